#include "runpage.h"

#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "hw/profile_io.h"
#include "hw/runtime_io.h"
#include "jobbridge.h"
#include "search/evaluators.h"
#include "search/searchrun.h"
#include "session.h"

namespace archscope::ui {

RunPage::RunPage(Session* session, JobBridge* bridge, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_bridge(bridge),
      m_spaceLabel(new QLabel),
      m_profile(new QComboBox),
      m_runtime(new QComboBox),
      m_latency(new QComboBox),
      m_estimator(new QComboBox),
      m_algorithm(new QComboBox),
      m_objective(new QComboBox),
      m_budget(new QSpinBox),
      m_seed(new QSpinBox),
      m_target(new QDoubleSpinBox),
      m_db(new QLabel),
      m_start(new QPushButton(tr("Start search"))),
      m_pause(new QPushButton(tr("Pause"))),
      m_cancel(new QPushButton(tr("Cancel"))),
      m_progress(new QProgressBar),
      m_eta(new QLabel),
      m_log(new QPlainTextEdit) {
    fillChoices();
    connectSession();
    fillRuntimes();
    setSpace(m_space);
    buildLayout();
    connectControls();
    connectBridge();
    updateButtons();
}

/// The form's choices, ranges and tooltips; the profile and store shown are the session's.
void RunPage::fillChoices() {
    for (const auto& name : listProfiles()) m_profile->addItem(QString::fromStdString(name));
    m_profile->setCurrentText(m_session->profileName());
    m_runtime->setToolTip(
        tr("Runtime of predicted latency (resources/runtimes): fusion rules, overheads and "
           "per-op-class efficiencies of the software on this platform"));

    m_latency->addItem(tr("Predicted by the profile's analytical model"), QString());
    m_latency->addItem(tr("Measured on this CPU (LibTorch)"), QStringLiteral("cpu"));
    m_latency->addItem(tr("Measured on the CUDA GPU (LibTorch)"), QStringLiteral("cuda"));
    const auto estimators = accuracyEstimatorNames();
    for (const auto& e : estimators) m_estimator->addItem(QString::fromStdString(e));
    if (estimators.empty()) {
        m_estimator->addItem(tr("(none: built without LibTorch)"));
        m_estimator->setEnabled(false);
    }
    m_estimator->setCurrentText(QStringLiteral("zero-cost"));
    m_estimator->setToolTip(
        tr("zero-cost: NASWOT score, seconds per candidate.\n"
           "proxy: real short training on Fashion-MNIST, minutes per "
           "candidate."));
    m_algorithm->addItems(
        {QStringLiteral("evolution"), QStringLiteral("reinforce"), QStringLiteral("random")});
    m_objective->addItem(tr("Pareto front (multi-objective)"), QStringLiteral("pareto"));
    m_objective->addItem(tr("MnasNet reward, soft constraint"), QStringLiteral("reward-soft"));
    m_objective->addItem(tr("MnasNet reward, hard constraint"), QStringLiteral("reward-hard"));
    m_budget->setRange(1, 1000000);
    m_budget->setValue(300);
    m_seed->setRange(0, 1 << 30);
    m_target->setRange(0.0, 1e6);
    m_target->setDecimals(4);
    m_target->setSuffix(tr(" ms"));
    m_target->setSpecialValueText(tr("base network's latency"));
    m_db->setWordWrap(true);
    m_db->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_db->setText(m_session->databasePath());
}

void RunPage::connectSession() {
    connect(m_profile, &QComboBox::currentTextChanged, m_session, &Session::setProfileName);
    connect(m_session, &Session::profileChanged, m_profile, &QComboBox::setCurrentText);
    // Another profile starts at its default runtime.
    connect(m_profile, &QComboBox::currentTextChanged, this, &RunPage::fillRuntimes);
    connect(m_session, &Session::databaseChanged, m_db, &QLabel::setText);
}

void RunPage::buildLayout() {
    auto* changeDb = new QPushButton(tr("Change…"));
    connect(changeDb, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Result store"), m_session->databasePath(), tr("SQLite (*.db *.sqlite)"),
            nullptr, QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty()) m_session->setDatabasePath(path);
    });
    auto* form = new QFormLayout;
    form->addRow(tr("Search space"), m_spaceLabel);
    form->addRow(tr("Platform profile"), m_profile);
    form->addRow(tr("Runtime"), m_runtime);
    form->addRow(tr("Latency"), m_latency);
    form->addRow(tr("Accuracy estimator"), m_estimator);
    form->addRow(tr("Algorithm"), m_algorithm);
    form->addRow(tr("Objective"), m_objective);
    form->addRow(tr("Target latency"), m_target);
    form->addRow(tr("Budget (candidates)"), m_budget);
    form->addRow(tr("Seed"), m_seed);
    auto* dbRow = new QHBoxLayout;
    dbRow->addWidget(m_db, 1);
    dbRow->addWidget(changeDb);
    form->addRow(tr("Result store"), dbRow);
    auto* settings = new QGroupBox(tr("Search"));
    settings->setLayout(form);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_eta);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);  // a long run must not grow the log without bound

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(settings);
    layout->addLayout(buttons);
    layout->addLayout(progressRow);
    layout->addWidget(new QLabel(tr("<b>Events</b>")));
    layout->addWidget(m_log, 1);
}

void RunPage::connectControls() {
    connect(m_start, &QPushButton::clicked, this, &RunPage::startSearch);
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (m_bridge->paused()) {
            m_bridge->resume();
            log(tr("resumed"));
        } else {
            m_bridge->pause();
            log(tr("paused: the candidate in progress finishes, then the run waits"));
        }
        updateButtons();
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_bridge->cancel();
        log(tr("cancelling: the candidate in progress finishes and is stored"));
    });
    connect(m_bridge, &JobBridge::runningChanged, this, &RunPage::updateButtons);
}

/// The run's events, as the bridge delivers them on the GUI thread, into progress and the log.
void RunPage::connectBridge() {
    connect(m_bridge, &JobBridge::started, this,
            [this](qint64 run, const QString& kind, qint64 total, qint64 already) {
                log(tr("run %1 (%2) started: %3 candidates, %4 already stored")
                        .arg(run)
                        .arg(kind)
                        .arg(total)
                        .arg(already));
                m_progress->setRange(0, int(total));
                m_progress->setValue(int(already));
            });
    connect(m_bridge, &JobBridge::progress, this, [this](qint64 done, qint64 total, double eta) {
        m_progress->setRange(0, int(total));
        m_progress->setValue(int(done));
        m_eta->setText(eta < 0
                           ? tr("ETA –")
                           : tr("ETA %1").arg(QDateTime::fromSecsSinceEpoch(qint64(eta), Qt::UTC)
                                                  .toString(QStringLiteral("H:mm:ss"))));
    });
    connect(m_bridge, &JobBridge::result, this, [this](const engine::Result& r) {
        const QString latency =
            r.latency.known()
                ? tr("%1 ms %2")
                      .arg(r.latency.ms, 0, 'f', 4)
                      .arg(QString::fromUtf8(store::latencySourceName(r.latency.source)))
                : tr("no latency");
        const QString accuracy = r.accuracy ? tr("%1 %2")
                                                  .arg(QString::fromStdString(r.accuracy->metric))
                                                  .arg(r.accuracy->value, 0, 'f', 3)
                                            : tr("no accuracy");
        log(tr("#%1 %2: %3, %4").arg(r.seq).arg(QString::fromStdString(r.name), latency, accuracy));
    });
    connect(m_bridge, &JobBridge::finished, this, [this](qint64 run, qint64 n, bool cancelled) {
        log(cancelled ? tr("run %1 cancelled with %2 evaluations stored (resume it from History)")
                            .arg(run)
                            .arg(n)
                      : tr("run %1 finished: %2 evaluations stored").arg(run).arg(n));
    });
    connect(m_bridge, &JobBridge::failed, this, [this](qint64 run, const QString& message) {
        log(tr("run %1 failed: %2 (what was stored is kept; resume it from History)")
                .arg(run)
                .arg(message));
    });
}

void RunPage::setSpace(const QString& nameOrPath) {
    m_space = nameOrPath;
    m_spaceLabel->setText(nameOrPath);
}

void RunPage::fillRuntimes() {
    m_runtime->clear();
    try {
        const Profile base = loadPlatform(m_profile->currentText().toStdString(), "");
        m_runtime->addItem(tr("default (%1)").arg(QString::fromStdString(base.runtime.name)),
                           QString());
        for (const std::string& name : runtimesForKind(base.kind))
            m_runtime->addItem(QString::fromStdString(name), QString::fromStdString(name));
    } catch (const std::exception& e) {
        m_runtime->addItem(tr("default"), QString());
        log(tr("cannot load profile %1: %2")
                .arg(m_profile->currentText(), QString::fromUtf8(e.what())));
    }
}

bool RunPage::setRuntime(const QString& name) {
    const int index = m_runtime->findData(name);
    if (index < 0) return false;
    m_runtime->setCurrentIndex(index);
    return true;
}

QStringList RunPage::runtimeChoices() const {
    QStringList names;
    for (int i = 1; i < m_runtime->count(); ++i) names << m_runtime->itemData(i).toString();
    return names;
}

void RunPage::setBudget(int budget) {
    m_budget->setValue(budget);
}

void RunPage::setEstimator(const QString& name) {
    m_estimator->setCurrentText(name);
}

bool RunPage::startSearch() {
    SearchRunParams p;
    try {
        p.search = SearchParams::fromJson(
            {{"space", m_space.toStdString()},
             {"algorithm", m_algorithm->currentText().toStdString()},
             {"objective", m_objective->currentData().toString().toStdString()},
             {"budget", m_budget->value()},
             {"seed", m_seed->value()},
             {"target_ms", m_target->value()}});
        p.hw = m_profile->currentText().toStdString();
        p.runtime = m_runtime->currentData().toString().toStdString();
        p.measureDevice = m_latency->currentData().toString().toStdString();
        p.accuracy = m_estimator->currentText().toStdString();
        const qint64 run = m_bridge->startNew(m_session->databasePath(), kSearchKind, p.toJson(),
                                              m_budget->value());
        log(tr("run %1 created in %2").arg(run).arg(m_session->databasePath()));
        Q_EMIT runStarted(run, m_target->value());
        updateButtons();
        return true;
    } catch (const std::exception& e) {
        log(tr("cannot start: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
}

void RunPage::log(const QString& line) {
    m_log->appendPlainText(QTime::currentTime().toString(QStringLiteral("HH:mm:ss  ")) + line);
}

void RunPage::updateButtons() {
    const bool running = m_bridge->running();
    m_start->setEnabled(!running);
    m_pause->setEnabled(running);
    m_cancel->setEnabled(running);
    m_pause->setText(m_bridge->paused() ? tr("Resume") : tr("Pause"));
}

}  // namespace archscope::ui
