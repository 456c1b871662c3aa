// The search loop on the real model: predicted latency from a profile, a deterministic
// synthetic accuracy; resume by replay reproduces an uninterrupted run exactly; LACS.
#include <QtTest>

#include "arch/expand.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "search/lacs.h"
#include "search/searchloop.h"
#include "zoo/zoo.h"

using namespace archscope;

namespace {

// A stand-in accuracy that rewards capacity with diminishing returns: deterministic, cheap.
// (The real estimators live in core/torch; here only the loop's mechanics are under test.)
double syntheticAccuracy(const NetworkSpec& spec) {
    const NetworkCost c = totalCost(expandLayers(buildNetwork(spec)));
    return 1.0 - 1.0 / std::log(double(c.macs) + 10.0);
}

std::vector<SearchStep> run(SearchLoop& loop, const Profile& profile, int steps) {
    for (int i = 0; i < steps && !loop.finished(); ++i) {
        auto [c, spec] = loop.propose();
        Metrics m;
        if (auto hit = loop.cached(c)) {
            m = *hit;
        } else {
            m.latencyMs = predictModel(profile, spec, 1, Dtype::Bf16).latencySeconds * 1e3;
            m.accuracy = syntheticAccuracy(spec);
        }
        loop.record(c, std::move(spec), m);
    }
    return loop.steps();
}

}  // namespace

class TestSearchLoop : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resumeByReplayIsExact_data() {
        QTest::addColumn<QString>("algorithm");
        QTest::addColumn<QString>("objective");
        QTest::newRow("evolution pareto") << "evolution"
                                          << "pareto";
        QTest::newRow("evolution soft") << "evolution"
                                        << "reward-soft";
        QTest::newRow("reinforce hard") << "reinforce"
                                        << "reward-hard";
        QTest::newRow("random") << "random"
                                << "pareto";
    }
    void resumeByReplayIsExact() {
        QFETCH(QString, algorithm);
        QFETCH(QString, objective);
        const Profile tpu = loadProfile("tpuv3");
        SearchParams params = SearchParams::fromJson({{"algorithm", algorithm.toStdString()},
                                                      {"objective", objective.toStdString()},
                                                      {"budget", 120},
                                                      {"seed", 5},
                                                      {"population", 20},
                                                      {"tournament", 5},
                                                      {"target_ms", 0.2}});
        const SearchSpace space = loadSearchSpace(params.space);
        SearchLoop whole(params, space);
        const auto all = run(whole, tpu, 120);
        QCOMPARE(int(all.size()), 120);

        // Interrupted after 47 steps, then resumed as the search run kind does: each stored step
        // re-proposed (the same candidate, or the resume stops) and recorded with stored metrics.
        SearchLoop resumed(params, space);
        for (int i = 0; i < 47; ++i) {
            const auto [c, spec] = resumed.propose();
            QVERIFY(c == all[size_t(i)].candidate);
            resumed.record(c, spec, all[size_t(i)].metrics);
        }
        const auto after = run(resumed, tpu, 200);
        QCOMPARE(int(after.size()), 120);
        for (size_t i = 0; i < all.size(); ++i) {
            QVERIFY2(after[i].candidate == all[i].candidate, qPrintable(QString("step %1").arg(i)));
        }
        QCOMPARE(resumed.front().size(), whole.front().size());
    }

    void frontIsNonDominatedAndIncremental() {
        const Profile tpu = loadProfile("tpuv3");
        SearchLoop loop(SearchParams::fromJson({{"budget", 150}, {"seed", 2}, {"population", 25}}),
                        loadSearchSpace("efficientnet-x"));
        const auto steps = run(loop, tpu, 150);
        for (const auto& p : loop.front().points()) {
            for (const auto& s : steps) {
                QVERIFY(!dominates({0, s.metrics.latencyMs, s.metrics.accuracy}, p));
            }
        }
    }

    void lacsOnTpuv3() {
        const Profile tpu = loadProfile("tpuv3");
        auto latency = [&](const NetworkSpec& s) {
            return predictModel(tpu, s, 1, Dtype::Bf16).latencySeconds * 1e3;
        };
        LacsParams p;
        p.steps = 3;
        p.gridStep = 0.1;
        const NetworkSpec base = *zooSpec("efficientnet-x-tpu-b0");
        const LacsResult r = runLacs(base, latency, syntheticAccuracy, p);
        QVERIFY(r.alpha >= 1.0 && r.beta >= 1.0 && r.gamma >= 1.0);
        QCOMPARE(int(r.family.size()), 4);
        QCOMPARE(int(r.flopsScaling.size()), 4);
        // The chosen step lands on the latency target within the tolerance.
        const double l1 = r.family[1].latencyMs;
        QVERIFY2(std::abs(l1 / r.targetMs - 1.0) <= p.tolerance + 1e-9,
                 qPrintable(QString("B1 %1 ms vs target %2").arg(l1).arg(r.targetMs)));
        for (size_t k = 1; k < r.family.size(); ++k) {
            QVERIFY(r.family[k].latencyMs > r.family[k - 1].latencyMs);
            QVERIFY(r.flopsScaling[k].macs > r.flopsScaling[k - 1].macs);
        }
        QCOMPARE(r.flopsScaling[1].depth, 1.2);
    }
};

QTEST_GUILESS_MAIN(TestSearchLoop)
#include "tst_searchloop.moc"
