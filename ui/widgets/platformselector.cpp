#include "platformselector.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

#include "hw/profile_io.h"
#include "hw/runtime_io.h"

namespace archscope::ui {

PlatformSelector::PlatformSelector(QWidget* parent, int defaultBatch)
    : QWidget(parent),
      m_profileBox(new QComboBox),
      m_runtimeBox(new QComboBox),
      m_dtypeBox(new QComboBox),
      m_batchBox(new QSpinBox) {
    for (const std::string& name : listProfiles()) {
        m_profileBox->addItem(QString::fromStdString(name));
    }
    m_profileBox->setToolTip(tr("Platform profile (resources/profiles/*.json)"));
    // One width for every profile ("default (tensorrt)"), so the row does not jump.
    m_runtimeBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_runtimeBox->setMinimumContentsLength(12);
    m_runtimeBox->setToolTip(
        tr("Runtime (resources/runtimes/*.json): the software's fusion rules, per-kernel and "
           "per-step overheads and per-op-class efficiencies"));
    m_dtypeBox->setToolTip(tr("Precision: picks the matrix-unit rate and bytes per element"));
    m_batchBox->setRange(1, kMaxViewBatch);
    m_batchBox->setValue(defaultBatch);
    m_batchBox->setToolTip(
        tr("Images per forward pass; 1 = one image's latency, large = the throughput regime.\n"
           "Every view and archscope-cli start at %1 (archscope --batch N starts the views at N).")
            .arg(kDefaultBatch));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Platform")));
    layout->addWidget(m_profileBox);
    layout->addWidget(new QLabel(tr("runtime")));
    layout->addWidget(m_runtimeBox);
    layout->addWidget(new QLabel(tr("dtype")));
    layout->addWidget(m_dtypeBox);
    layout->addWidget(new QLabel(tr("batch")));
    layout->addWidget(m_batchBox);

    const int tpuv3 = m_profileBox->findText(QStringLiteral("tpuv3"));
    if (tpuv3 >= 0) m_profileBox->setCurrentIndex(tpuv3);
    fillRuntimes();
    loadCurrentProfile();
    connect(m_profileBox, &QComboBox::currentIndexChanged, this, [this] {
        fillRuntimes();  // another profile starts at its default runtime
        loadCurrentProfile();
        Q_EMIT changed();
    });
    connect(m_runtimeBox, &QComboBox::currentIndexChanged, this, [this] {
        loadCurrentProfile();
        Q_EMIT changed();
    });
    connect(m_dtypeBox, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT changed(); });
    connect(m_batchBox, &QSpinBox::valueChanged, this, [this] { Q_EMIT changed(); });
}

void PlatformSelector::loadCurrentProfile() {
    if (m_profileBox->count() == 0) return;
    m_profile =
        loadPlatform(m_profileBox->currentText().toStdString(), runtimeName().toStdString());
    fillDtypes();
}

void PlatformSelector::fillRuntimes() {
    const QSignalBlocker blocker(m_runtimeBox);
    m_runtimeBox->clear();
    if (m_profileBox->count() == 0) return;
    // The default's name and the profile's kind come from the profile under its own runtime.
    const Profile base = loadPlatform(m_profileBox->currentText().toStdString(), "");
    m_runtimeBox->addItem(tr("default (%1)").arg(QString::fromStdString(base.runtime.name)),
                          QString());
    for (const std::string& name : runtimesForKind(base.kind)) {
        m_runtimeBox->addItem(QString::fromStdString(name), QString::fromStdString(name));
    }
    m_runtimeBox->setCurrentIndex(0);
}

void PlatformSelector::fillDtypes() {
    const QSignalBlocker blocker(m_dtypeBox);
    const QString previous = m_dtypeBox->currentText();
    m_dtypeBox->clear();
    for (int d = 0; d < kDtypeCount; ++d) {
        if (m_profile.supports(Dtype(d))) {
            m_dtypeBox->addItem(QString::fromUtf8(dtypeName(Dtype(d)).data()), d);
        }
    }
    // Keep the user's precision across platforms when the new one has it, else its default.
    int index = m_dtypeBox->findText(previous);
    if (index < 0) index = m_dtypeBox->findData(int(m_profile.defaultDtype));
    m_dtypeBox->setCurrentIndex(std::max(index, 0));
}

bool PlatformSelector::setProfileName(const QString& name) {
    const int index = m_profileBox->findText(name);
    if (index < 0) return false;
    m_profileBox->setCurrentIndex(index);
    return true;
}

QString PlatformSelector::profileName() const {
    return m_profileBox->currentText();
}

bool PlatformSelector::setRuntimeName(const QString& name) {
    const int index = m_runtimeBox->findData(name);
    if (index < 0) return false;
    m_runtimeBox->setCurrentIndex(index);
    return true;
}

QString PlatformSelector::runtimeName() const {
    return m_runtimeBox->currentData().toString();
}

QStringList PlatformSelector::runtimeChoices() const {
    QStringList names;
    for (int i = 1; i < m_runtimeBox->count(); ++i) names << m_runtimeBox->itemData(i).toString();
    return names;
}

QString PlatformSelector::method() const {
    return QString::fromStdString(predictionMethod(m_profile));
}

Dtype PlatformSelector::dtype() const {
    const QVariant d = m_dtypeBox->currentData();
    return d.isValid() ? Dtype(d.toInt()) : m_profile.defaultDtype;
}

int PlatformSelector::batch() const {
    return m_batchBox->value();
}

void PlatformSelector::setBatch(int batch) {
    m_batchBox->setValue(batch);
}

}  // namespace archscope::ui
