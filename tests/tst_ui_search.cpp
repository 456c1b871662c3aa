// The search -> plot path in the GUI: a search started from the Run page runs on the engine's
// thread while the event loop stays responsive, results reach the Pareto page, the run appears in
// History and can be exported and reopened; the Space page's model refuses invalid edits.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "arch/expand.h"
#include "jobbridge.h"
#include "mainwindow.h"
#include "models/runstablemodel.h"
#include "models/spacetablemodel.h"
#include "pages/historypage.h"
#include "pages/paretopage.h"
#include "pages/runpage.h"
#include "pages/spacepage.h"
#include "search/evaluators.h"
#include "search/plugins.h"
#include "session.h"
#include "store/store.h"

using namespace archscope;
using namespace archscope::ui;

namespace {

// A slow-ish deterministic estimator so the search takes long enough to watch the event loop.
void registerSlowEstimator() {
    registerAccuracyEstimator(
        {"test-slow", "stand-in for tests: sleeps 5 ms per candidate",
         [](const nlohmann::json&) -> EstimateFn {
             return [](const NetworkSpec& spec, std::stop_token) {
                 std::this_thread::sleep_for(std::chrono::milliseconds(5));
                 const NetworkCost c = totalCost(expandLayers(buildNetwork(spec)));
                 return AccuracyResult{100.0 - 1000.0 / std::log(double(c.macs)),
                                       "test-slow",
                                       "synthetic score",
                                       "",
                                       {},
                                       0.005,
                                       std::nullopt,
                                       false};
             };
         },
         [](const nlohmann::json& s) { return s; }});
}

}  // namespace

class TestUiSearch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        registerCorePlugins();  // as the GUI's main() does: the search run kind
        registerSlowEstimator();
    }

    void searchRunsOffTheGuiThreadAndFillsThePlot() {
        QTemporaryDir dir;
        MainWindow window;
        window.session()->setDatabasePath(dir.filePath("gui.db"));
        RunPage* run = window.runPage();
        run->setEstimator("test-slow");
        run->setBudget(80);
        QSignalSpy finished(window.jobBridge(), &JobBridge::finished);
        QSignalSpy results(window.jobBridge(), &JobBridge::result);

        int ticks = 0;
        QTimer timer;
        connect(&timer, &QTimer::timeout, [&] { ++ticks; });
        timer.start(10);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(run->startSearch());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        const double seconds = clock.elapsed() / 1000.0;
        // The GUI thread kept serving its timer while the search ran (>= 1 tick per 50 ms).
        QVERIFY2(ticks >= int(seconds * 20 * 0.5),
                 qPrintable(QString("%1 ticks in %2 s").arg(ticks).arg(seconds)));
        QCOMPARE(finished.first().at(2).toBool(), false);  // not cancelled
        QCOMPARE(results.count(), 83);                     // 3 references + 80 candidates
        QTRY_COMPARE(window.paretoPage()->points().size(), 83);
        QVERIFY(window.paretoPage()->front().size() >= 1);
        QTRY_VERIFY(window.paretoPage()->replotCount() >= 1);
        // Throttled: far fewer replots than results.
        QVERIFY(window.paretoPage()->replotCount() < results.count());

        // History lists it; export works; reopening loads the same points.
        HistoryPage* history = window.historyPage();
        QAbstractItemModelTester tester(history->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        history->refresh();
        QTRY_COMPARE(history->model()->rowCount(), 1);
        const qint64 runId = history->model()->runAt(0)->id;
        QString error;
        QVERIFY2(history->exportRun(runId, dir.filePath("run.csv"), &error), qPrintable(error));
        QFile csv(dir.filePath("run.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 84);  // header + 83 rows
        QSignalSpy loaded(window.paretoPage(), &ParetoPage::loaded);
        window.openRun(runId);
        QTRY_COMPARE(loaded.count(), 1);
        QCOMPARE(window.paretoPage()->points().size(), 83);
        QCOMPARE(window.currentPage(), QString("pareto"));
    }

    void searchUsesTheChosenRuntime() {
        QTemporaryDir dir;
        MainWindow window;
        const QString db = dir.filePath("runtime.db");
        window.session()->setDatabasePath(db);
        window.session()->setProfileName("h200");
        RunPage* run = window.runPage();
        QVERIFY(run->setRuntime("pytorch-eager"));
        run->setEstimator("test-slow");
        run->setBudget(2);
        QSignalSpy finished(window.jobBridge(), &JobBridge::finished);
        QSignalSpy started(run, &RunPage::runStarted);
        QVERIFY(run->startSearch());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        const qint64 runId = started.first().at(0).toLongLong();
        store::StoreReader reader(db.toStdString());
        QCOMPARE(reader.requireRun(runId).params.value("runtime", std::string()),
                 std::string("pytorch-eager"));
        const auto evaluations = reader.evaluations(runId);
        QVERIFY(!evaluations.empty());
        for (const auto& e : evaluations) {
            QVERIFY(e.runtime.has_value());
            QVERIFY2(e.runtime->starts_with("pytorch-eager"), e.runtime->c_str());
        }
    }

    void closingCancelsCleanlyAndResumeCompletes() {
        QTemporaryDir dir;
        qint64 runId = 0;
        {
            MainWindow window;
            window.session()->setDatabasePath(dir.filePath("gui.db"));
            window.runPage()->setEstimator("test-slow");
            window.runPage()->setBudget(400);
            QSignalSpy results(window.jobBridge(), &JobBridge::result);
            QVERIFY(window.runPage()->startSearch());
            QTRY_VERIFY_WITH_TIMEOUT(results.count() >= 10, 20000);
            runId = window.jobBridge()->runId();
            window.close();  // cancels and waits; what was computed is stored
            QVERIFY(!window.jobBridge()->running());
        }
        MainWindow window;
        window.session()->setDatabasePath(dir.filePath("gui.db"));
        QSignalSpy finished(window.jobBridge(), &JobBridge::finished);
        window.resumeRun(runId);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.first().at(1).toLongLong(), qint64(403));
        QTRY_COMPARE(window.paretoPage()->points().size(), 403);
    }

    void spaceModelRefusesInvalidEdits() {
        SpacePage page;
        SpaceTableModel* model = page.model();
        QAbstractItemModelTester tester(model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model->rowCount(), 7);
        const double before = model->space().size();
        QVERIFY(model->setData(model->index(2, SpaceTableModel::Kernel), "3, 5, 7", Qt::EditRole));
        QCOMPARE(model->space().size(), before * 1.5);
        QSignalSpy rejected(model, &SpaceTableModel::editRejected);
        QVERIFY(
            !model->setData(model->index(2, SpaceTableModel::Activation), "tanh", Qt::EditRole));
        QCOMPARE(rejected.count(), 1);
        QVERIFY(rejected.first().at(0).toString().contains("stages[2].activation"));
        QVERIFY(!page.loadSpace("/nonexistent/space.json"));
        QVERIFY(page.message().contains("Cannot load"));
    }

    void historyReportsABrokenDatabase() {
        QTemporaryDir dir;
        const QString path = dir.filePath("garbage.db");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        Session session;
        session.setDatabasePath(path);
        HistoryPage history(&session);
        QSignalSpy refreshed(&history, &HistoryPage::refreshed);
        QTRY_VERIFY(refreshed.count() >= 1);
        QVERIFY2(history.message().contains("Cannot read"), qPrintable(history.message()));
        QFile again(path);
        QVERIFY(again.open(QIODevice::ReadOnly));
        QCOMPARE(again.readAll(), QByteArray(4096, 'x'));  // untouched
    }
};

QTEST_MAIN(TestUiSearch)
#include "tst_ui_search.moc"
