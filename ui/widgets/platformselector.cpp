#include "platformselector.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>

#include "hw/profile_io.h"

namespace archscope::ui {

PlatformSelector::PlatformSelector(QWidget* parent, int defaultBatch)
    : QWidget(parent),
      m_profileBox(new QComboBox),
      m_dtypeBox(new QComboBox),
      m_batchBox(new QSpinBox) {
    for (const std::string& name : listProfiles()) {
        m_profileBox->addItem(QString::fromStdString(name));
    }
    m_profileBox->setToolTip(tr("Platform profile (resources/profiles/*.json)"));
    m_dtypeBox->setToolTip(tr("Precision: picks the matrix-unit rate and bytes per element"));
    m_batchBox->setRange(1, 4096);
    m_batchBox->setValue(defaultBatch);
    m_batchBox->setToolTip(
        tr("Images per forward pass; 1 = single-image latency, large = "
           "throughput regime"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Platform")));
    layout->addWidget(m_profileBox);
    layout->addWidget(new QLabel(tr("dtype")));
    layout->addWidget(m_dtypeBox);
    layout->addWidget(new QLabel(tr("batch")));
    layout->addWidget(m_batchBox);

    const int tpuv3 = m_profileBox->findText(QStringLiteral("tpuv3"));
    if (tpuv3 >= 0) m_profileBox->setCurrentIndex(tpuv3);
    loadCurrentProfile();
    connect(m_profileBox, &QComboBox::currentIndexChanged, this, [this] {
        loadCurrentProfile();
        Q_EMIT changed();
    });
    connect(m_dtypeBox, &QComboBox::currentIndexChanged, this, [this] { Q_EMIT changed(); });
    connect(m_batchBox, &QSpinBox::valueChanged, this, [this] { Q_EMIT changed(); });
}

void PlatformSelector::loadCurrentProfile() {
    if (m_profileBox->count() == 0) return;
    m_profile = loadProfile(m_profileBox->currentText().toStdString());
    fillDtypes();
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
