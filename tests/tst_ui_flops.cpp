// FLOPs vs latency (the statistics are tested in tst_analysis): the page's zoo points, roofline and
// stats text; a stored run loaded off the GUI thread, with the latest request winning.
#include <QImage>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "support/cliprocess.h"

#include "pages/flopspage.h"
#include "plots/qcp.h"
#include "store/store.h"
#include "widgets/platformselector.h"
#include "zoo/zoo.h"

using namespace archscope;
using namespace archscope::ui;

namespace {

/// A store with two runs: run 1 holds two architectures (one measured on tpuv3), run 2 three.
QString makeStore(const QTemporaryDir& dir) {
    const QString path = dir.filePath("runs.db");
    store::ResultStore s(path.toStdString());
    const int64_t run1 = s.createRun("sweep", {}, {});
    const int64_t run2 = s.createRun("sweep", {}, {});
    auto add = [&](int64_t run, const char* model, std::optional<double> measuredMs) {
        store::Evaluation e;
        e.runId = run;
        e.architectureId = s.internArchitecture(*zooSpec(model));
        e.platform = "tpuv3";
        e.batch = 128;
        if (measuredMs)
            e.measured = store::MeasuredLatency{*measuredMs, *measuredMs, *measuredMs, 5, {}};
        s.insertEvaluation(e);
    };
    add(run1, "efficientnet-b0", 20.0);
    add(run1, "efficientnet-b1", std::nullopt);
    add(run2, "resnet-50", std::nullopt);
    add(run2, "mobilenet-v2", std::nullopt);
    add(run2, "efficientnet-x-tpu-b0", std::nullopt);
    return path;
}

}  // namespace

class TestUiFlops : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void zooPointsAndRoofline() {
        FlopsPage page;
        QVERIFY(page.setPlatform("tpuv3"));
        QCOMPARE(int(page.zooPoints().size()), int(zooModelNames().size()));
        for (const NetworkPoint& p : page.zooPoints())
            QVERIFY(p.macsPerImage > 0 && p.predictedSeconds > 0);
        QVERIFY(page.statsText().contains("R²"));
        QVERIFY(page.statsText().contains("ρ"));
        QCOMPARE(page.scatterPlot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(page.rooflinePlot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(page.selectModel("efficientnet-x-tpu-b0"));
        QCOMPARE(page.rooflineNetwork(), QString("efficientnet-x-tpu-b0"));
        // Points coloured by bound plus three roofs; every point sits under the roofline.
        int points = 0;
        for (int i = 0; i < page.rooflinePlot()->graphCount(); ++i) {
            QCPGraph* g = page.rooflinePlot()->graph(i);
            if (g->lineStyle() == QCPGraph::lsNone) points += g->dataCount();
        }
        QVERIFY(points > 50);
        QVERIFY(!page.selectModel("nope"));
    }

    void clickingAPointSelectsItsNetwork() {
        // Each zoo point, clicked where it is drawn, selects its own network for the roofline
        // (found by the point, not by matching a graph's data index or its MACs as a float).
        FlopsPage page;
        page.resize(1100, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.scatterPlot()->replot();
        int clicked = 0;
        for (const NetworkPoint& p : page.zooPoints()) {
            const QPoint pixel(
                int(std::lround(page.scatterPlot()->xAxis->coordToPixel(p.macsPerImage / 1e9))),
                int(std::lround(
                    page.scatterPlot()->yAxis->coordToPixel(p.predictedSeconds * 1e3))));
            if (!page.scatterPlot()->viewport().contains(pixel)) continue;
            QTest::mouseClick(page.scatterPlot(), Qt::LeftButton, {}, pixel);
            // Points may overlap: the one clicked must be this network or one drawn on it.
            const QString chosen = page.rooflineNetwork();
            for (const NetworkPoint& q : page.zooPoints()) {
                if (q.name != chosen) continue;
                const double dx =
                    page.scatterPlot()->xAxis->coordToPixel(q.macsPerImage / 1e9) - pixel.x();
                const double dy =
                    page.scatterPlot()->yAxis->coordToPixel(q.predictedSeconds * 1e3) - pixel.y();
                QVERIFY2(std::hypot(dx, dy) <= 10.0, qPrintable(p.name + " -> " + chosen));
            }
            clicked += chosen == p.name;
        }
        QVERIFY2(clicked >= 30, qPrintable(QString::number(clicked)));  // most are apart
    }

    void storedRunLoadsOffTheGuiThread() {
        QTemporaryDir dir;
        const QString db = makeStore(dir);
        FlopsPage page;
        page.setPlatform("tpuv3");
        page.platformSelector()->setBatch(128);  // the store's figures are at batch 128
        QSignalSpy listed(&page, &FlopsPage::runsListed);
        QSignalSpy loaded(&page, &FlopsPage::runPointsLoaded);
        page.setDatabasePath(db);
        QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, 10000);
        QCOMPARE(page.listedRuns(), (QList<qint64>{0, 2, 1}));  // "none", newest first
        page.selectRun(1);
        QTRY_VERIFY_WITH_TIMEOUT(!page.runPoints().empty(), 10000);
        QCOMPARE(int(page.runPoints().size()), 2);
        int measured = 0;
        for (const NetworkPoint& p : page.runPoints()) {
            QVERIFY(p.fromStore);
            if (p.measuredSeconds) {
                ++measured;
                QCOMPARE(*p.measuredSeconds, 0.020);
            }
        }
        QCOMPARE(measured, 1);
        // Two requests back to back: only the latest one's points land.
        loaded.clear();
        page.selectRun(1);
        page.selectRun(2);
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() >= 1, 10000);
        QTest::qWait(200);
        QCOMPARE(int(page.runPoints().size()), 3);
        QVERIFY(page.statsText().contains(QString("%1 networks").arg(zooModelNames().size() + 3)));
    }

    void missingStoreIsNoStore() {
        QTemporaryDir dir;
        FlopsPage page;
        QSignalSpy listed(&page, &FlopsPage::runsListed);
        page.setDatabasePath(dir.filePath("never-created.db"));
        QCOMPARE(page.listedRuns(), QList<qint64>{0});
        QVERIFY(page.runPoints().empty());
    }

    void screenshotOption() {
#ifdef ARCHSCOPE_GUI_PATH
        QTemporaryDir dir;
        const QString path = dir.filePath("flops.png");
        const archscope::testing::Run r =
            archscope::testing::runGui({"--screenshot", path, "--view", "flops", "--hw", "tpuv3"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!QImage(path).isNull());
#else
        QSKIP("GUI binary not built");
#endif
    }
};

QTEST_MAIN(TestUiFlops)
#include "tst_ui_flops.moc"
