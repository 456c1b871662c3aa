#include "mainwindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QtConcurrent>
#include <cmath>

#include "fileactions.h"
#include "jobbridge.h"
#include "lecturepanel.h"
#include "pages/breakdownpage.h"
#include "pages/comparepage.h"
#include "pages/flopspage.h"
#include "pages/graphpage.h"
#include "pages/historypage.h"
#include "pages/lacspage.h"
#include "pages/modelspage.h"
#include "pages/paretopage.h"
#include "pages/runpage.h"
#include "pages/spacepage.h"
#include "pages/trialspage.h"
#include "pages/validationpage.h"
#include "plots/plotstyle.h"
#include "plots/qcp.h"
#include "session.h"
#include "store/store.h"
#include "widgets/platformselector.h"

namespace archscope::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_session(new Session(this)),
      m_bridge(new JobBridge(this)),
      m_nav(new QListWidget),
      m_stack(new QStackedWidget),
      m_models(new ModelsPage),
      m_space(new SpacePage),
      m_run(new RunPage(m_session, m_bridge)),
      m_pareto(new ParetoPage),
      m_trials(new TrialsPage),
      m_history(new HistoryPage(m_session)),
      m_breakdown(new BreakdownPage),
      m_compare(new ComparePage),
      m_flops(new FlopsPage),
      m_graph(new GraphPage),
      m_validation(new ValidationPage),
      m_lacs(new LacsPage),
      m_lecture(new LecturePanel),
      m_lectureDock(new QDockWidget(tr("Lecture"))) {
    setWindowTitle(tr("Archscope — platform-aware architecture explorer"));
    m_nav->setFixedWidth(160);
    m_nav->setSpacing(2);
    addPage(QStringLiteral("models"), tr("Models"), m_models);
    addPage(QStringLiteral("space"), tr("Search space"), m_space);
    addPage(QStringLiteral("run"), tr("Run"), m_run);
    addPage(QStringLiteral("pareto"), tr("Pareto front"), m_pareto);
    addPage(QStringLiteral("trials"), tr("Trials"), m_trials);
    addPage(QStringLiteral("breakdown"), tr("Per-layer breakdown"), m_breakdown);
    addPage(QStringLiteral("compare"), tr("Compare"), m_compare);
    addPage(QStringLiteral("flops"), tr("FLOPs vs latency"), m_flops);
    addPage(QStringLiteral("graph"), tr("Network graph"), m_graph);
    addPage(QStringLiteral("history"), tr("History"), m_history);
    addPage(QStringLiteral("validation"), tr("Validation"), m_validation);
    addPage(QStringLiteral("lacs"), tr("LACS"), m_lacs);

    auto* central = new QWidget;
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_nav);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);
    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    // LACS runs on a worker, first when its page is first opened (not at start-up).
    connect(m_nav, &QListWidget::currentRowChanged, this, [this](int row) {
        if (m_ids.value(row) == QLatin1String("lacs")) m_lacs->runOnce();
    });
    m_nav->setCurrentRow(0);

    connect(m_space, &SpacePage::useForSearch, this, [this](const QString& space) {
        m_run->setSpace(space);
        showPage(QStringLiteral("run"));
    });
    connect(m_run, &RunPage::runStarted, this, [this](qint64 runId, double) {
        m_pareto->clear(runId);
        m_trials->showRun(m_session->databasePath(), runId);
        statusBar()->showMessage(
            tr("Run %1 started; its front grows on the Pareto page").arg(runId), 8000);
    });
    connect(m_bridge, &JobBridge::result, m_pareto, &ParetoPage::addResult);
    connect(m_bridge, &JobBridge::finished, m_history, &HistoryPage::refresh);
    connect(m_bridge, &JobBridge::failed, m_history, &HistoryPage::refresh);
    connect(m_bridge, &JobBridge::started, m_history, &HistoryPage::refresh);
    connect(m_history, &HistoryPage::openRun, this, &MainWindow::openRun);
    connect(m_history, &HistoryPage::resumeRun, this, &MainWindow::resumeRun);
    connect(m_history, &HistoryPage::exportPlot, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export the Pareto plot"),
                                         QStringLiteral("pareto-run-%1.png").arg(m_pareto->runId()),
                                         tr("Images (*.png *.pdf *.svg)"));
        QString error;
        if (!path.isEmpty() && !exportPlot(m_pareto->plot(), path, &error)) {
            QMessageBox::warning(this, tr("Export failed"), error);
        }
    });
    connect(m_pareto, &ParetoPage::candidateActivated, this,
            [this](qint64 runId, qint64 seq, const QString&) { openCandidate(runId, seq, false); });
    connect(m_pareto, &ParetoPage::exportRequested, this,
            [this](qint64 runId, qint64 seq, const QString&) { openCandidate(runId, seq, true); });
    wireAnalysisPages();
    m_lectureDock->setObjectName(QStringLiteral("lecture"));
    m_lectureDock->setWidget(m_lecture);
    m_lectureDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    addDockWidget(Qt::LeftDockWidgetArea, m_lectureDock);
    m_lectureDock->hide();
    connect(m_lecture, &LecturePanel::stepRequested, this, &MainWindow::applyLectureStep);
    connect(m_lecture, &LecturePanel::exportPlotsRequested, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Export the plots to"));
        if (folder.isEmpty()) return;
        QString error;
        const QStringList files = exportCurrentPlots(folder, &error);
        if (!error.isEmpty())
            QMessageBox::warning(this, tr("Export failed"), error);
        else
            statusBar()->showMessage(tr("Wrote %1").arg(files.join(QStringLiteral(", "))), 10000);
    });
    buildMenus();
    resize(1280, 800);  // the smallest window every view is laid out for
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open result store…"), this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Open result store"), m_session->databasePath(),
                                         tr("SQLite (*.db *.sqlite);;All files (*)"));
        if (!path.isEmpty()) m_session->setDatabasePath(path);
    });
    file->addAction(tr("Import measurements or a profiler trace…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Import"), QString(),
            tr("Measurements and traces (*.json *.json.gz);;All files (*)"));
        if (path.isEmpty()) return;
        const QString db = m_session->databasePath();
        const QString platform = m_session->profileName();
        auto* watcher = new QFutureWatcher<ImportOutcome>(this);
        connect(watcher, &QFutureWatcher<ImportOutcome>::finished, this, [this, watcher] {
            watcher->deleteLater();
            const ImportOutcome outcome = watcher->result();
            if (!outcome.error.isEmpty()) {
                QMessageBox::warning(this, tr("Import failed (nothing was stored)"), outcome.error);
                return;
            }
            statusBar()->showMessage(outcome.summary, 15000);
            m_history->refresh();
        });
        watcher->setFuture(QtConcurrent::run(importMeasurements, path, db, platform));
    });
    file->addAction(tr("Export the current architecture…"), this,
                    [this] { exportArchitectureInteractive(this, m_models->currentSpec()); });
    file->addSeparator();
    file->addAction(tr("Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* lecture = view->addAction(tr("Lecture mode (guided tour, large fonts)"));
    lecture->setCheckable(true);
    lecture->setShortcut(QKeySequence(Qt::Key_F9));
    connect(lecture, &QAction::toggled, this, &MainWindow::setLectureMode);
}

void MainWindow::wireAnalysisPages() {
    // The breakdown follows the Models page; the roofline follows it for zoo networks.
    connect(m_models, &ModelsPage::networkChanged, m_breakdown, &BreakdownPage::setNetwork);
    connect(m_models, &ModelsPage::networkChanged, m_flops, [this](const NetworkSpec& spec) {
        m_flops->selectModel(QString::fromStdString(spec.name));
    });
    m_breakdown->setNetwork(m_models->currentSpec());
    auto applyProfile = [this](const QString& name) {
        m_breakdown->setPlatform(name);
        m_compare->setPlatform(name);
        m_flops->setPlatform(name);
        m_graph->setPlatform(name);
    };
    auto applyDatabase = [this](const QString& path) {
        m_breakdown->setDatabasePath(path);
        m_flops->setDatabasePath(path);
    };
    auto applyBatch = [this](int batch) {
        for (PlatformSelector* selector : findChildren<PlatformSelector*>())
            selector->setBatch(batch);
    };
    applyProfile(m_session->profileName());
    applyDatabase(m_session->databasePath());
    applyBatch(m_session->batch());
    connect(m_session, &Session::profileChanged, this, applyProfile);
    connect(m_session, &Session::batchChanged, this, applyBatch);
    connect(m_session, &Session::databaseChanged, this, applyDatabase);
}

void MainWindow::setLectureMode(bool on) {
    if (on == m_lectureMode) return;
    m_lectureMode = on;
    // What the audience reads grows (plot text 1.4x, the tour's text); the controls keep their
    // size, and the tour takes the navigation list's place, so every view still fits 1280x800.
    const double factor = on ? 1.4 : 1.0 / 1.4;
    const auto scaledBy = [](QFont f, double by) {
        f.setPointSizeF(f.pointSizeF() * by);
        return f;
    };
    const auto scaled = [&](const QFont& f) { return scaledBy(f, factor); };
    for (QCustomPlot* plot : findChildren<QCustomPlot*>()) {
        for (QCPAxis* axis : plot->axisRect()->axes()) {
            axis->setTickLabelFont(scaled(axis->tickLabelFont()));
            axis->setLabelFont(scaled(axis->labelFont()));
        }
        // Legends sit inside the axis rect: they grow less, or they cover the data.
        plot->legend->setFont(scaledBy(plot->legend->font(), std::sqrt(factor)));
        for (int i = 0; i < plot->itemCount(); ++i)
            if (auto* text = qobject_cast<QCPItemText*>(plot->item(i)))
                text->setFont(scaled(text->font()));
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
    m_nav->setVisible(!on);
    m_lectureDock->setVisible(on);
    if (on && m_lecture->current() < 0) m_lecture->goTo(0);
}

void MainWindow::applyLectureStep(const LectureStep& step) {
    if (!step.profile.isEmpty()) m_session->setProfileName(step.profile);
    if (step.batch > 0) m_session->setBatch(step.batch);
    if (!step.model.isEmpty()) {
        m_models->selectModel(step.model);  // the breakdown follows the Models page
        m_flops->selectModel(step.model);
    }
    showPage(step.page);
}

QStringList MainWindow::exportCurrentPlots(const QString& folder, QString* error) {
    QStringList written;
    const QString page = currentPage();
    if (page == QLatin1String("graph")) {
        const QString path = QDir(folder).filePath(QStringLiteral("graph.svg"));
        if (!m_graph->exportTo(path, error)) return {};
        return {path};
    }
    int i = 0;
    for (QCustomPlot* plot : m_stack->currentWidget()->findChildren<QCustomPlot*>()) {
        if (!plot->isVisible()) continue;
        const QString path = QDir(folder).filePath(QStringLiteral("%1-%2.svg").arg(page).arg(++i));
        if (!exportPlot(plot, path, error)) return {};
        written << path;
    }
    if (written.isEmpty() && error) *error = tr("the %1 view has no plot").arg(page);
    return written;
}

MainWindow::~MainWindow() {
    m_bridge->cancelAndWait();
}

void MainWindow::addPage(const QString& id, const QString& title, QWidget* page) {
    m_ids << id;
    m_nav->addItem(title);
    m_stack->addWidget(page);
}

bool MainWindow::showPage(const QString& id) {
    const int index = static_cast<int>(m_ids.indexOf(id));
    if (index < 0) return false;
    m_nav->setCurrentRow(index);
    return true;
}

QString MainWindow::currentPage() const {
    return m_ids.value(m_nav->currentRow());
}

void MainWindow::openRun(qint64 runId) {
    m_pareto->loadRun(m_session->databasePath(), runId);
    m_trials->showRun(m_session->databasePath(), runId);
    showPage(QStringLiteral("pareto"));
}

void MainWindow::resumeRun(qint64 runId) {
    // Load what is stored first, then follow the resumed run live, so no point is lost between.
    m_pareto->loadRun(m_session->databasePath(), runId);
    m_trials->showRun(m_session->databasePath(), runId);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection =
        connect(m_pareto, &ParetoPage::loaded, this, [this, runId, connection](qint64 loaded, int) {
            if (loaded != runId) return;
            disconnect(*connection);
            try {
                m_bridge->resumeRun(m_session->databasePath(), runId);
            } catch (const std::exception& e) {
                QMessageBox::warning(this, tr("Cannot resume run %1").arg(runId),
                                     QString::fromUtf8(e.what()));
            }
        });
    showPage(QStringLiteral("pareto"));
}

void MainWindow::openCandidate(qint64 runId, qint64 seq, bool exportIt) {
    const QString db = m_session->databasePath();
    auto* watcher = new QFutureWatcher<std::optional<NetworkSpec>>(this);
    connect(watcher, &QFutureWatcher<std::optional<NetworkSpec>>::finished, this,
            [this, watcher, exportIt] {
                watcher->deleteLater();
                if (auto spec = watcher->result()) {
                    if (exportIt) {
                        exportArchitectureInteractive(this, *spec);
                        return;
                    }
                    m_models->showNetwork(*spec);
                    showPage(QStringLiteral("breakdown"));  // the breakdown follows the Models page
                }
            });
    // The lookup reads the store: off the GUI thread.
    watcher->setFuture(QtConcurrent::run([db, runId, seq]() -> std::optional<NetworkSpec> {
        try {
            store::StoreReader reader(db.toStdString());
            for (const auto& e : reader.evaluations(runId)) {
                if (e.seq && *e.seq == seq) return reader.architectureSpec(e.architectureId);
            }
        } catch (const std::exception&) {
        }
        return std::nullopt;
    }));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (m_bridge->running()) {
        statusBar()->showMessage(tr("Cancelling the run: the candidate in progress is stored…"));
        m_bridge->cancelAndWait();
    }
    event->accept();
}

}  // namespace archscope::ui
