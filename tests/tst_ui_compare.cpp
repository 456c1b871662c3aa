// The compare view: the core demo's defaults (TPUv3, EfficientNet-B0 vs EfficientNet-X-TPU-B0)
// show X with more MACs yet faster and say why; the table passes the model tester; the family
// view's speed-ups follow the platforms; the plots render.
#include <QAbstractItemModelTester>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "support/cliprocess.h"

#include "models/comparetablemodel.h"
#include "pages/comparepage.h"
#include "plots/qcp.h"
#include "widgets/platformselector.h"
#include "zoo/zoo.h"

using namespace archscope;
using namespace archscope::ui;

class TestUiCompare : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsShowTheCoreDemo() {
        ComparePage page;
        CompareTableModel* model = page.tableModel();
        QAbstractItemModelTester tester(model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model->rowCount(), int(CompareTableModel::RowCount));
        QCOMPARE(model->a().name, std::string("efficientnet-b0"));
        QCOMPARE(model->b().name, std::string("efficientnet-x-tpu-b0"));
        QVERIFY(QString::fromStdString(model->a().platform).contains("TPU v3"));
        const double macsRatio = model->index(CompareTableModel::Macs, CompareTableModel::Ratio)
                                     .data(Qt::UserRole)
                                     .toDouble();
        const double latencyRatio =
            model->index(CompareTableModel::Latency, CompareTableModel::Ratio)
                .data(Qt::UserRole)
                .toDouble();
        QVERIFY2(macsRatio > 2.0, qPrintable(QString::number(macsRatio)));
        QVERIFY2(latencyRatio < 1.0,
                 qPrintable(QString::number(latencyRatio)));  // more MACs, faster
        // The split by bound adds up to the latency in both columns.
        for (int column : {int(CompareTableModel::A), int(CompareTableModel::B)}) {
            double sum = 0.0;
            for (int row = CompareTableModel::MatrixBound; row <= CompareTableModel::OverheadTime;
                 ++row) {
                sum += model->index(row, column).data(Qt::UserRole).toDouble();
            }
            const double latency =
                model->index(CompareTableModel::Latency, column).data(Qt::UserRole).toDouble();
            QVERIFY(qAbs(sum - latency) < 1e-9 * latency);
        }
        QVERIFY(page.whyText().contains("faster"));
        QVERIFY(page.whyText().contains("by the VPU"));  // the TPU's own word
        QVERIFY(page.stagePlot()->plottableCount() >= 8);
        QVERIFY(model->headerData(CompareTableModel::B, Qt::Horizontal, Qt::DisplayRole)
                    .toString()
                    .contains("efficientnet-x-tpu-b0"));
    }

    void defaultsFollowThePlatformUntilChosen() {
        ComparePage page;
        QVERIFY(page.setPlatform("a100"));
        QCOMPARE(page.tableModel()->b().name, std::string("efficientnet-x-gpu-b0"));
        QCOMPARE(page.seriesProfiles().front(), std::string("v100"));  // the GPU chain
        QVERIFY(page.setPlatform("tpuv3"));
        QCOMPARE(page.tableModel()->b().name, std::string("efficientnet-x-tpu-b0"));
        QCOMPARE(page.seriesProfiles().front(), std::string("tpuv2"));
        QVERIFY(page.setNetworks("efficientnet-b0", "efficientnet-b1"));  // the user's choice stays
        QVERIFY(page.setPlatform("a100"));
        QCOMPARE(page.tableModel()->b().name, std::string("efficientnet-b1"));
    }

    void switchingNetworksAndPlatforms() {
        ComparePage page;
        QAbstractItemModelTester tester(page.tableModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(page.setNetworks("resnet-50", "efficientnet-b4"));
        QCOMPARE(page.tableModel()->b().name, std::string("efficientnet-b4"));
        QVERIFY(!page.setNetworks("resnet-50", "nope"));
        QVERIFY(page.setPlatform("h100"));
        QVERIFY(QString::fromStdString(page.tableModel()->a().platform).contains("H100"));
        QVERIFY(!page.setPlatform("no-such-profile"));
        // Unknown top-1 shows a dash, known ones a percentage.
        const QString top1 = page.tableModel()
                                 ->index(CompareTableModel::Top1, CompareTableModel::B)
                                 .data()
                                 .toString();
        QVERIFY2(top1.endsWith("%"), qPrintable(top1));
    }

    void familySpeedups_data() {
        QTest::addColumn<int>("series");
        QTest::addColumn<int>("platforms");
        QTest::newRow("TPUs") << 0 << 3;
        QTest::newRow("GPUs") << 1 << 4;
    }
    void familySpeedups() {
        QFETCH(int, series);
        QFETCH(int, platforms);
        ComparePage page;
        page.setSeries(series);
        // A throughput claim: at batch 1 a GPU waits on launches and memory, and the model
        // predicts no generation gain for X-GPU over EfficientNet there.
        page.platformSelector()->setBatch(128);
        QCOMPARE(int(page.seriesProfiles().size()), platforms);
        for (const std::string& family : zooFamilies()) {
            const auto s = page.familySpeedups(family);
            QCOMPARE(int(s.size()), platforms);
            QCOMPARE(s.front(), 1.0);
            for (size_t i = 1; i < s.size(); ++i) QVERIFY(s[i] > 0.0);
        }
        // The paper's second claim: the family built for the matrix units gains more on each newer
        // generation than EfficientNet does. (On TPUv4i the model now predicts EfficientNet
        // slightly slower than on TPUv2 at batch 128: its depthwise convs run on a vector unit
        // assumed narrower; docs/hw-model.md.)
        const auto base = page.familySpeedups("efficientnet");
        const auto x =
            page.familySpeedups(series == 0 ? "efficientnet-x-tpu" : "efficientnet-x-gpu");
        for (size_t i = 1; i < base.size(); ++i) {
            QVERIFY2(x[i] >= base[i],
                     qPrintable(QString::number(x[i]) + " < " + QString::number(base[i])));
            if (series == 1) QVERIFY(base[i] > 1.0);  // newer GPUs are faster for both
        }
        QCOMPARE(page.speedupPlot()->plottableCount(), 3);  // EfficientNet, X-TPU, X-GPU
    }

    void logAxesToggle() {
        ComparePage page;
        QCOMPARE(page.familyPlot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
        page.setLogAxes(false);
        QCOMPARE(page.familyPlot()->xAxis->scaleType(), QCPAxis::stLinear);
        QCOMPARE(page.familyPlot()->yAxis->scaleType(), QCPAxis::stLinear);
        // Three families plus the ring marking A and B.
        QCOMPARE(page.familyPlot()->graphCount(), int(zooFamilies().size()) + 1);
    }

    void screenshotOption() {
#ifdef ARCHSCOPE_GUI_PATH
        QTemporaryDir dir;
        const QString path = dir.filePath("compare.png");
        const archscope::testing::Run r = archscope::testing::runGui(
            {"--screenshot", path, "--view", "compare", "--hw", "tpuv3"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!QImage(path).isNull());
#else
        QSKIP("GUI binary not built");
#endif
    }
};

QTEST_MAIN(TestUiCompare)
#include "tst_ui_compare.moc"
