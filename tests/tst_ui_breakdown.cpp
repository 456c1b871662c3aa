// The breakdown view: rows add up to the prediction at every granularity, the stacked split is
// the op's time, measured times join by layer or scope, the table passes the model tester, the
// page follows the Models page and finds measurements in a store off the GUI thread.
#include <QAbstractItemModelTester>
#include <QImage>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "support/cliprocess.h"

#include "arch/expand.h"
#include "hw/profile_io.h"
#include "mainwindow.h"
#include "models/breakdowntablemodel.h"
#include "models/opbreakdown.h"
#include "pages/breakdownpage.h"
#include "pages/modelspage.h"
#include "plots/qcp.h"
#include "store/store.h"
#include "zoo/zoo.h"

using namespace archscope;
using namespace archscope::ui;

Q_DECLARE_METATYPE(archscope::ui::Granularity)

class TestUiBreakdown : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void criticalSplit_data() {
        QTest::addColumn<double>("matrix");
        QTest::addColumn<double>("vector");
        QTest::addColumn<double>("memory");
        QTest::addColumn<bool>("shares");
        QTest::addColumn<QList<double>>("expected");
        QTest::newRow("matrix wins") << 3.0 << 2.0 << 1.0 << false << QList<double>{3, 0, 0, 0.5};
        QTest::newRow("vector wins") << 1.0 << 2.0 << 1.5 << false << QList<double>{0, 2, 0, 0.5};
        QTest::newRow("memory wins") << 1.0 << 2.0 << 4.0 << false << QList<double>{0, 0, 4, 0.5};
        QTest::newRow("shared units add")
            << 2.0 << 1.5 << 3.0 << true << QList<double>{2, 1.5, 0, 0.5};
        QTest::newRow("shared, memory wins")
            << 1.0 << 1.0 << 3.0 << true << QList<double>{0, 0, 3, 0.5};
    }
    void criticalSplit() {
        QFETCH(double, matrix);
        QFETCH(double, vector);
        QFETCH(double, memory);
        QFETCH(bool, shares);
        QFETCH(QList<double>, expected);
        GroupCost g;
        g.matrixSeconds = matrix;
        g.vectorSeconds = vector;
        g.memorySeconds = memory;
        g.overheadSeconds = 0.5;
        const auto split = ui::criticalSplit(g, shares);
        for (int i = 0; i < 4; ++i) QCOMPARE(split[size_t(i)], expected[i]);
    }

    void rowsAddUp_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("model");
        QTest::addColumn<Granularity>("granularity");
        for (const char* p : {"tpuv3", "h100", "cpu"}) {
            for (const char* m : {"efficientnet-b0", "efficientnet-x-tpu-b3", "resnet-50"}) {
                QTest::addRow("%s %s ops", p, m) << p << m << Granularity::FusedOp;
                QTest::addRow("%s %s blocks", p, m) << p << m << Granularity::Block;
                QTest::addRow("%s %s stages", p, m) << p << m << Granularity::Stage;
            }
        }
    }
    void rowsAddUp() {
        QFETCH(QString, profile);
        QFETCH(QString, model);
        QFETCH(Granularity, granularity);
        const Profile p = loadProfile(profile.toStdString());
        const auto layers = expandLayers(buildNetwork(*zooSpec(model.toStdString())), 8);
        const auto groups = predictGroups(p, layers, p.defaultDtype);
        const auto total = summarize(groups, 8);
        const auto rows = breakdownRows(layers, groups, p, granularity);
        double sum = 0.0;
        int next = 0;
        for (const auto& r : rows) {
            QCOMPARE(r.firstGroup, next);  // contiguous, in execution order
            next = r.lastGroup + 1;
            double split = 0.0;
            for (double s : r.criticalSeconds) split += s;
            QVERIFY(qAbs(split - r.seconds) <= 1e-12 + 1e-9 * r.seconds);
            QVERIFY(r.matrixUtilization >= 0 && r.matrixUtilization <= 1.0 + 1e-9);
            sum += r.seconds;
        }
        QCOMPARE(next, int(groups.size()));
        QVERIFY(qAbs(sum - total.latencySeconds) <= 1e-9 * total.latencySeconds);
        if (granularity == Granularity::FusedOp) QCOMPARE(int(rows.size()), total.groups);
        if (granularity == Granularity::Block) {
            QCOMPARE(rows.front().name, QString("stem"));
            QCOMPARE(rows.back().name, QString("head"));
        }
    }

    void measuredJoinsByLayerAndScope() {
        const Profile p = loadProfile("tpuv3");
        const auto layers = expandLayers(buildNetwork(*zooSpec("efficientnet-b0")), 1);
        const auto groups = predictGroups(p, layers, p.defaultDtype);
        auto blocks = breakdownRows(layers, groups, p, Granularity::Block);
        // Scope level (as XProf traces give it).
        applyMeasured(blocks, layers, groups, Granularity::Block,
                      {{"block3", 0.25}, {"stem", 0.5}});
        QCOMPARE(*blocks[0].measuredSeconds, 0.5e-3);
        QCOMPARE(*blocks[4].measuredSeconds, 0.25e-3);
        QVERIFY(!blocks[1].measuredSeconds);
        // Layer level wins over scope level, and sums into fused ops and blocks.
        const QHash<QString, double> byLayer = {
            {"block3/expand", 0.1}, {"block3/dw", 0.2}, {"block3", 9.0}};
        applyMeasured(blocks, layers, groups, Granularity::Block, byLayer);
        QVERIFY(qAbs(*blocks[4].measuredSeconds - 0.3e-3) < 1e-12);
        auto ops = breakdownRows(layers, groups, p, Granularity::FusedOp);
        applyMeasured(ops, layers, groups, Granularity::FusedOp, byLayer);
        int measured = 0;
        for (const auto& r : ops) measured += r.measuredSeconds.has_value();
        QCOMPARE(measured, 2);
    }

    void tableModelAndPage() {
        BreakdownPage page;
        QAbstractItemModelTester tester(page.tableModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(page.setPlatform("tpuv3"));
        QVERIFY(page.selectModel("efficientnet-x-tpu-b0"));
        QVERIFY(!page.selectModel("no-such-model"));
        BreakdownTableModel* model = page.tableModel();
        QCOMPARE(model->index(0, BreakdownTableModel::Name).data().toString(), QString("stem"));
        page.setGranularity(Granularity::FusedOp);
        QCOMPARE(model->rowCount(), page.prediction().groups);
        const QString bound = model->index(5, BreakdownTableModel::BoundColumn).data().toString();
        // On a TPU the table speaks TPU words; on a GPU its own.
        QVERIFY2(QStringList({"MXU", "VPU", "HBM", "overhead"}).contains(bound), qPrintable(bound));
        QCOMPARE(model->headerData(BreakdownTableModel::MatrixUtil, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
                 QString("MXU %"));
        QVERIFY(page.setPlatform("a100"));
        QCOMPARE(model->headerData(BreakdownTableModel::VectorUtil, Qt::Horizontal, Qt::DisplayRole)
                     .toString(),
                 QString("CUDA cores %"));
        QVERIFY(page.setPlatform("tpuv3"));
        QVERIFY(model->index(5, BreakdownTableModel::Time).data(Qt::UserRole).toDouble() > 0);
        // Selecting a row explains it.
        page.selectRow(5);
        QVERIFY(page.explanation().contains(model->row(5).name));
        QVERIFY(page.explanation().contains("bound"));
        page.setBarMode(BreakdownPage::BarMode::Units);
        QVERIFY(page.plot()->plottableCount() >= 4);
        // No store: the note says so; a fed measurement shows in the table and the note.
        QVERIFY(page.measurementNote().contains(
            "No measurement stored for this network on this platform"));
        page.setGranularity(Granularity::Block);
        page.setMeasuredTimes({{"stem", 0.42}}, "test feed");
        QCOMPARE(model->index(0, BreakdownTableModel::Measured).data(Qt::UserRole).toDouble(),
                 420.0);
        QVERIFY(page.measurementNote().contains("test feed"));
        page.setMeasuredTimes({}, {});
        QVERIFY(page.measurementNote().contains("No measurement stored"));
    }

    void followsModelsPage() {
        MainWindow window;
        QVERIFY(window.showPage("breakdown"));
        QVERIFY(window.modelsPage()->selectModel("efficientnet-x-tpu-b2"));
        QCOMPARE(QString::fromStdString(window.breakdownPage()->spec().name),
                 QString("efficientnet-x-tpu-b2"));
    }

    void findsStoredMeasurements() {
        QTemporaryDir dir;
        const QString db = dir.filePath("m.db");
        {
            store::ResultStore s(db.toStdString());
            const int64_t run = s.createRun("import", {}, {});
            store::Evaluation e;
            e.runId = run;
            e.architectureId = s.internArchitecture(*zooSpec("efficientnet-b0"));
            e.platform = "tpuv3";
            e.layers.push_back({0, "stem/conv", "Conv", {}, {}, {}, {}, 0.125});
            e.layers.push_back({1, "block0/dw", "DepthwiseConv", {}, {}, {}, {}, 0.0625});
            s.insertEvaluation(e);
        }
        BreakdownPage page;
        page.setPlatform("tpuv3");
        page.selectModel("efficientnet-b0");
        QSignalSpy done(&page, &BreakdownPage::measurementLookupFinished);
        page.setDatabasePath(db);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 10000);
        QVERIFY2(page.measurementNote().contains("run 1"), qPrintable(page.measurementNote()));
        QCOMPARE(page.tableModel()
                     ->index(0, BreakdownTableModel::Measured)
                     .data(Qt::UserRole)
                     .toDouble(),
                 125.0);
        // Another platform: nothing stored there.
        page.setPlatform("tpuv2");
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 10000);
        QVERIFY(page.measurementNote().contains("No measurement stored"));
    }

    void screenshotOption() {
#ifdef ARCHSCOPE_GUI_PATH
        QTemporaryDir dir;
        const QString path = dir.filePath("breakdown.png");
        const archscope::testing::Run r = archscope::testing::runGui(
            {"--screenshot", path, "--view", "breakdown", "--model", "efficientnet-x-tpu-b0",
             "--hw", "tpuv3", "--db", dir.filePath("none.db")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!QImage(path).isNull());
#else
        QSKIP("GUI binary not built");
#endif
    }
};

QTEST_MAIN(TestUiBreakdown)
#include "tst_ui_breakdown.moc"
