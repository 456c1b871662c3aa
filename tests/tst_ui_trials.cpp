// The Trials view: the table model passes QAbstractItemModelTester and sorts numbers as numbers;
// a stored run fills table, plot and importance; row and point select each other by evaluation
// id; and a search that archscope-cli is writing in another process grows here live while
// History shows it running.
#include <QAbstractItemModelTester>
#include <QProcess>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "mainwindow.h"
#include "models/runstablemodel.h"
#include "models/trialstablemodel.h"
#include "pages/historypage.h"
#include "pages/paretopage.h"
#include "pages/trialspage.h"
#include "plots/qcp.h"
#include "runfollower.h"
#include "search/searchrun.h"
#include "session.h"
#include "store/store.h"
#include "zoo/zoo.h"

using namespace archscope;
using namespace archscope::ui;

namespace {

Trial trial(qint64 id, qint64 seq, double latency, std::optional<double> accuracy, int kernel) {
    Trial t;
    t.evaluationId = id;
    t.seq = seq;
    t.name = "candidate-" + std::to_string(seq);
    t.latencyMs = latency;
    t.latencySource = store::LatencySource::Predicted;
    t.accuracy = accuracy;
    t.metric = "top-1 %";
    BlockArgs b;
    b.kernel = kernel;
    b.outFilters = 16;
    t.stages = {b, b};
    return t;
}

/// A search run of `n` candidates whose latency grows with stage 1's kernel and whose accuracy
/// grows with stage 2's expansion: the importance must find exactly that.
qint64 writeRun(const QString& path, int n) {
    store::ResultStore s(path.toStdString());
    SearchRunParams params;
    const qint64 run = s.createRun(kSearchKind, params.toJson(), {}, n);
    std::vector<store::Evaluation> evals;
    for (int i = 0; i < n; ++i) {
        NetworkSpec spec = *zooSpec("efficientnet-b0");
        spec.name = "candidate-" + std::to_string(i);
        spec.blocks[0].kernel = i % 2 ? 5 : 3;
        spec.blocks[1].expand = (i / 2) % 2 ? 6 : 4;
        store::Evaluation e;
        e.runId = run;
        e.seq = i;
        e.architectureId = s.internArchitecture(spec);
        e.predictedMs = 1.0 + (i % 2) + 0.01 * (i % 7);
        e.accuracy = store::AccuracyEstimate{
            70.0 + 3.0 * ((i / 2) % 2) + 0.1 * (i % 5), "imagenet", {}, "imagenet", "top-1 %"};
        evals.push_back(std::move(e));
    }
    s.insertEvaluations(evals);
    s.setRunStatus(run, store::kStatusFinished);
    return run;
}

}  // namespace

class TestUiTrials : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void modelSortsAndFilters() {
        TrialsTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append({trial(10, 0, 9.5, 70.0, 3), trial(11, 1, 10.25, std::nullopt, 5)});
        model.append({trial(12, -2, 2.0, 75.0, 3)});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(TrialsTableModel::FixedColumns) + 2);
        QCOMPARE(model.rowOfEvaluation(12), 2);
        QCOMPARE(model.index(1, TrialsTableModel::Status).data().toString(),
                 QString("no accuracy"));
        QCOMPARE(model.index(2, TrialsTableModel::Status).data().toString(), QString("reference"));
        QVERIFY(model.index(0, TrialsTableModel::FixedColumns).data().toString().contains("k3"));
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(Qt::UserRole);
        proxy.sort(TrialsTableModel::Latency);
        // As numbers: 2 < 9.5 < 10.25 (as text "10.25" would sort before "2").
        QCOMPARE(proxy.index(0, TrialsTableModel::Latency).data().toString(), QString("2"));
        QCOMPARE(proxy.index(2, TrialsTableModel::Latency).data().toString(), QString("10.25"));
        proxy.sort(TrialsTableModel::Accuracy);  // a missing accuracy sorts last
        QCOMPARE(proxy.index(2, TrialsTableModel::Status).data().toString(),
                 QString("no accuracy"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void storedRunFillsTableAndPlotsAndLinksBothWays() {
        QTemporaryDir dir;
        const QString db = dir.filePath("trials.db");
        const qint64 run = writeRun(db, 40);
        TrialsPage page;
        page.resize(1280, 760);
        page.show();
        QSignalSpy updated(&page, &TrialsPage::updated);
        page.showRun(db, run);
        QTRY_COMPARE(page.model()->rowCount(), 40);
        QTRY_VERIFY(!page.importance(Objective::Latency).empty());
        // Stage 0's kernel drives latency, stage 1's expansion accuracy.
        QCOMPARE(page.importance(Objective::Latency).front().parameter,
                 std::string("stage 0 kernel"));
        QVERIFY(page.importance(Objective::Latency).front().share > 0.9);
        QCOMPARE(page.importance(Objective::Accuracy).front().parameter,
                 std::string("stage 1 expansion"));
        QTRY_VERIFY(!page.follower()->following());  // a finished run is read once

        // Row -> point: selecting row 7 marks its evaluation.
        const QModelIndex row7 = page.proxy()->mapFromSource(page.model()->index(7, 0));
        page.view()->selectionModel()->setCurrentIndex(
            row7, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        const qint64 id7 = page.model()->trials()[7].evaluationId;
        QCOMPARE(page.selectedEvaluation(), id7);
        // Point -> row: a click on evaluation 12's point selects its row.
        page.plot()->replot();
        const Trial& t12 = page.model()->trials()[12];
        const QPoint pixel(int(page.plot()->xAxis->coordToPixel(*t12.latencyMs)),
                           int(page.plot()->yAxis->coordToPixel(*t12.accuracy)));
        QCOMPARE(page.evaluationAt(pixel), t12.evaluationId);
        QSignalSpy selected(&page, &TrialsPage::evaluationSelected);
        QTest::mouseClick(page.plot(), Qt::LeftButton, {}, pixel);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.first().at(0).toLongLong(), t12.evaluationId);
        QCOMPARE(page.view()->currentIndex().data(TrialsTableModel::EvaluationIdRole).toLongLong(),
                 t12.evaluationId);
    }

    void cliSearchInAnotherProcessGrowsLive() {
        QTemporaryDir dir;
        const QString db = dir.filePath("live.db");
        // ~2.4 s of writing on the 2-core development machine: time for many polls.
        const int budget = 4000;
        MainWindow window;
        window.session()->setDatabasePath(db);
        window.showPage("history");
        window.show();
        TrialsPage* trials = window.trialsPage();
        trials->follower()->setInterval(100);
        QSignalSpy batches(trials->follower(), &RunFollower::trialsArrived);
        bool sawRunning = false, historySawRunning = false;
        connect(trials->follower(), &RunFollower::runUpdated, this, [&](const store::RunRecord& r) {
            sawRunning |= r.status == store::kStatusRunning;
        });
        connect(window.historyPage(), &HistoryPage::refreshed, this, [&] {
            const RunRow* row = window.historyPage()->model()->rowAt(0);
            historySawRunning |= row && row->state.text == "running";
        });

        QProcess cli;
        cli.start(QStringLiteral(ARCHSCOPE_CLI_PATH),
                  {"search", "--db", db, "--hw", "tpuv3", "--accuracy", "imagenet", "--budget",
                   QString::number(budget), "--seed", "3"});
        QVERIFY(cli.waitForStarted());
        // The run exists once the CLI has created the store and the run (the event loop runs
        // meanwhile: QTRY, never a blocking wait).
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                try {
                    store::StoreReader reader(db.toStdString());
                    return reader.run(1).has_value();
                } catch (const std::exception&) {
                    return false;
                }
            }(),
            30000);
        window.historyPage()->refresh();
        QTRY_VERIFY(historySawRunning || cli.state() == QProcess::NotRunning);
        window.openRun(1);
        QTRY_VERIFY_WITH_TIMEOUT(cli.state() == QProcess::NotRunning, 240000);
        QCOMPARE(cli.exitCode(), 0);
        const int references = int(SearchRunParams().references.size()) + 1;  // + the base
        QTRY_COMPARE_WITH_TIMEOUT(trials->model()->rowCount(), budget + references, 30000);
        QTRY_VERIFY(!trials->follower()->following());  // stopped at "finished"
        QVERIFY2(batches.count() >= 2, "the trials arrived in one read: nothing was live");
        QVERIFY(sawRunning);
        QVERIFY(historySawRunning);
        QTRY_COMPARE(window.paretoPage()->points().size(), qsizetype(budget + references));
        QCOMPARE(trials->run().status, std::string(store::kStatusFinished));
        // Each evaluation arrived once, in order.
        for (int i = 1; i < trials->model()->rowCount(); ++i)
            QVERIFY(trials->model()->trials()[size_t(i)].evaluationId >
                    trials->model()->trials()[size_t(i - 1)].evaluationId);
    }
};

QTEST_MAIN(TestUiTrials)
#include "tst_ui_trials.moc"
