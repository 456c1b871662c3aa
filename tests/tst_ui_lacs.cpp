// The LACS view: a run with the imagenet estimator (no LibTorch, microseconds per estimate) off
// the GUI thread fills the family plot with B0..B7 of LACS and of the FLOPs rule, every member
// lands on its latency target, the estimate axis names the estimator's metric; the latest
// request wins; `--screenshot --view lacs` renders.
#include <QImage>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "support/cliprocess.h"

#include "pages/lacspage.h"
#include "plots/plotstyle.h"
#include "plots/qcp.h"
#include "search/evaluators.h"
#include "search/imagenet_predictor.h"
#include "widgets/platformselector.h"

using namespace archscope;
using namespace archscope::ui;

namespace {

constexpr int kTimeoutMs = 120000;

}  // namespace

class TestUiLacs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { registerCoreEvaluators(); }

    void defaults() {
        LacsPage page;
        QCOMPARE(page.base(), QString("efficientnet-x-tpu-b0"));
        QCOMPARE(page.estimator(), QString("imagenet"));
        QCOMPARE(page.platformSelector()->profileName(), QString("tpuv3"));
        QCOMPARE(page.platformSelector()->batch(), LacsRunParams().batch);  // as the CLI's
        QVERIFY(!page.busy());
        QVERIFY(!page.setBase("no-such-network"));
        QVERIFY(!page.setEstimator("no-such-estimator"));
    }

    void runFillsBothPlots() {
        LacsPage page;
        QSignalSpy computed(&page, &LacsPage::computed);
        page.run();
        QVERIFY(page.busy());
        QTRY_COMPARE_WITH_TIMEOUT(computed.count(), 1, kTimeoutMs);
        QVERIFY(!page.busy());
        const LacsReport& rep = page.report();
        QVERIFY2(rep.result.complete, qPrintable(page.statusText()));
        const int members = LacsParams().steps + 1;
        QCOMPARE(int(rep.result.family.size()), members);
        QCOMPARE(int(rep.result.flopsScaling.size()), members);

        // Both families on the plot, every member with an estimate.
        QCOMPARE(page.lacsGraph()->data()->size(), members);
        QCOMPARE(page.flopsGraph()->data()->size(), members);
        QCOMPARE(page.familyPlot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
        for (int k = 0; k < members; ++k) {
            const FamilyMember& m = rep.result.family[size_t(k)];
            QCOMPARE(page.lacsGraph()->data()->at(k)->key, m.latencyMs);
            QCOMPARE(page.flopsGraph()->data()->at(k)->key,
                     rep.result.flopsScaling[size_t(k)].latencyMs);
            QVERIFY(rep.result.flopsScaling[size_t(k)].accuracy.has_value());
            if (k == 0) continue;  // the base has no target
            QVERIFY2(std::abs(m.latencyMs / m.targetMs - 1.0) <= 0.10,
                     qPrintable(QString("B%1: %2 ms for a %3 ms target")
                                    .arg(k)
                                    .arg(m.latencyMs)
                                    .arg(m.targetMs)));
        }

        // The estimate axis says what the estimate is.
        const QString metric = QString::fromStdString(rep.metric);
        QVERIFY(metric.contains("ImageNet top-1"));
        QCOMPARE(axisLabel(page.familyPlot()->yAxis), metric);
        QCOMPARE(axisLabel(page.searchPlot()->yAxis), metric);

        // The grid search: one point per latency-feasible estimate, the chosen one marked.
        int feasible = 0;
        for (const LacsPoint& p : rep.result.grid)
            feasible += p.feasible && !std::isnan(p.accuracy);
        QVERIFY(feasible > 0);
        QCOMPARE(page.searchPlot()->graph(0)->data()->size(), feasible);
        QCOMPARE(page.searchPlot()->graph(1)->data()->size(), 1);

        // The table and the details.
        QCOMPARE(page.membersTable()->rowCount(), members);
        QCOMPARE(page.membersTable()->item(members - 1, 0)->text(),
                 QString("B%1").arg(members - 1));
        QVERIFY(page.detailsText().contains(QString::fromStdString(rep.latencyMethod)));
        for (const std::string& w : rep.result.warnings)
            QVERIFY(page.detailsText().contains(QString::fromStdString(w)));
    }

    void latestRequestWins() {
        LacsPage page;
        QSignalSpy computed(&page, &LacsPage::computed);
        page.run();
        QVERIFY(page.setBase("efficientnet-b0"));
        page.run();
        QTRY_COMPARE_WITH_TIMEOUT(computed.count(), 1, kTimeoutMs);
        QVERIFY(!page.busy());
        QVERIFY(page.report().result.complete);
        const QString first = QString::fromStdString(page.report().result.family.front().name);
        QVERIFY2(first.startsWith("efficientnet-b0-"), qPrintable(first));
    }

    void screenshotOption() {
#ifdef ARCHSCOPE_GUI_PATH
        QTemporaryDir dir;
        const QString path = dir.filePath("lacs.png");
        const archscope::testing::Run r =
            archscope::testing::runGui({"--screenshot", path, "--view", "lacs"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!QImage(path).isNull());
#else
        QSKIP("GUI binary not built");
#endif
    }
};

QTEST_MAIN(TestUiLacs)
#include "tst_ui_lacs.moc"
