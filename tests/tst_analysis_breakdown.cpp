// core/analysis breakdown and comparison: rows add up to the prediction at every granularity, the
// stacked split is the op's time, measured times join by layer or scope; the "why" of B0 vs
// X-TPU-B0 on TPUv3 as data; family speed-ups across platforms.
#include <QtTest>

#include "analysis/breakdown.h"
#include "analysis/comparison.h"
#include "arch/expand.h"
#include "hw/profile_io.h"
#include "zoo/zoo.h"

using namespace archscope;
using namespace archscope::analysis;

Q_DECLARE_METATYPE(archscope::analysis::Granularity)

class TestAnalysisBreakdown : public QObject {
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
        const auto split = analysis::criticalSplit(g, shares);
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
            QCOMPARE(rows.front().name, std::string("stem"));
            QCOMPARE(rows.back().name, std::string("head"));
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
        const std::map<std::string, double> byLayer = {
            {"block3/expand", 0.1}, {"block3/dw", 0.2}, {"block3", 9.0}};
        applyMeasured(blocks, layers, groups, Granularity::Block, byLayer);
        QVERIFY(qAbs(*blocks[4].measuredSeconds - 0.3e-3) < 1e-12);
        auto ops = breakdownRows(layers, groups, p, Granularity::FusedOp);
        applyMeasured(ops, layers, groups, Granularity::FusedOp, byLayer);
        int measured = 0;
        for (const auto& r : ops) measured += r.measuredSeconds.has_value();
        QCOMPARE(measured, 2);
    }

    void granularityWords() {
        QCOMPARE(parseGranularity("op"), std::optional(Granularity::FusedOp));
        QCOMPARE(parseGranularity("block"), std::optional(Granularity::Block));
        QCOMPARE(parseGranularity("stage"), std::optional(Granularity::Stage));
        QVERIFY(!parseGranularity("layer"));
    }

    // The core demo: X-TPU-B0 has 2.38x the MACs of B0 and is faster on TPUv3, because B0's
    // depthwise convolutions wait on the vector unit.
    void explanationOfTheCoreDemo() {
        const Profile p = loadProfile("tpuv3");
        const auto a = summarizeNetwork(*zooSpec("efficientnet-b0"), p, 128, p.defaultDtype);
        const auto b = summarizeNetwork(*zooSpec("efficientnet-x-tpu-b0"), p, 128, p.defaultDtype);
        const Explanation e = explainDifference(a, b);
        QCOMPARE(e.nameA, std::string("efficientnet-b0"));
        QVERIFY2(std::abs(e.macsRatio - 2.38) < 0.01, std::to_string(e.macsRatio).c_str());
        QVERIFY(e.latencyRatio < 1.0);
        QCOMPARE(e.latencyRatio, e.secondsB / e.secondsA);
        QVERIFY(e.secondsByBoundA[int(Bound::Vector)] > e.secondsByBoundB[int(Bound::Vector)]);
        QCOMPARE(int(e.stages.size()), 3);
        for (size_t i = 1; i < e.stages.size(); ++i) {
            QVERIFY(std::abs(e.stages[i - 1].secondsB - e.stages[i - 1].secondsA) >=
                    std::abs(e.stages[i].secondsB - e.stages[i].secondsA));
        }
        const auto sentences = explanationSentences(e);
        QVERIFY(sentences.front().find("faster on") != std::string::npos);
        // In the platform's own words: the TPU's VPU and MXU, not "vector unit" / "matrix unit".
        QVERIFY2(sentences[2].find("by the VPU") != std::string::npos, sentences[2].c_str());
        QVERIFY2(sentences[1].find("MXU utilization") == 0, sentences[1].c_str());
        const Profile gpu = loadProfile("v100");
        const auto ga = summarizeNetwork(*zooSpec("efficientnet-b0"), gpu, 1, gpu.defaultDtype);
        const auto gb =
            summarizeNetwork(*zooSpec("efficientnet-x-gpu-b0"), gpu, 1, gpu.defaultDtype);
        const auto gpuSentences = explanationSentences(explainDifference(ga, gb));
        QVERIFY2(gpuSentences[1].find("Tensor Cores utilization") == 0, gpuSentences[1].c_str());
        QVERIFY2(gpuSentences[2].find("CUDA cores") != std::string::npos &&
                     gpuSentences[2].find("VPU") == std::string::npos,
                 gpuSentences[2].c_str());
        QCOMPARE(int(explanationSentences(explainDifference(a, b, 10)).size()),
                 3 + int(std::min(a.stages.size(), b.stages.size())));
    }

    void familySpeedupsAcrossPlatforms() {
        const std::vector<Profile> tpus = {loadProfile("tpuv2"), loadProfile("tpuv3")};
        const auto base = familySpeedups("efficientnet", tpus, 128);
        const auto x = familySpeedups("efficientnet-x-tpu", tpus, 128);
        QCOMPARE(int(base.size()), 2);
        QCOMPARE(base.front(), 1.0);
        QVERIFY(x[1] >= base[1]);  // the family built for the matrix units gains more
        QVERIFY(familySpeedups("efficientnet", {}, 1).empty());
    }
};

QTEST_GUILESS_MAIN(TestAnalysisBreakdown)
#include "tst_analysis_breakdown.moc"
