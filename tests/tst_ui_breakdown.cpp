// The breakdown view (the rows themselves are tested in tst_analysis_breakdown): the table passes
// the model tester, the page follows the Models page and finds measurements in a store off the GUI
// thread.
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
        QVERIFY(page.explanation().contains(QString::fromStdString(model->row(5).name)));
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
