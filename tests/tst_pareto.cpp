// The incremental Pareto front and non-dominated sorting agree with brute force.
#include <QtTest>
#include <random>
#include <set>

#include "search/pareto.h"
#include "search/reward.h"

using namespace archscope;

namespace {

std::vector<FrontPoint> randomPoints(int n, unsigned seed, bool coarse) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<FrontPoint> pts;
    for (int i = 0; i < n; ++i) {
        double lat = u(rng), acc = u(rng);
        if (coarse) {  // many ties
            lat = std::round(lat * 10) / 10;
            acc = std::round(acc * 10) / 10;
        }
        pts.push_back({i, lat, acc});
    }
    return pts;
}

std::vector<int> bruteRanks(const std::vector<FrontPoint>& pts) {
    std::vector<int> rank(pts.size(), -1);
    int r = 0;
    size_t assigned = 0;
    while (assigned < pts.size()) {
        std::vector<size_t> layer;
        for (size_t i = 0; i < pts.size(); ++i) {
            if (rank[i] >= 0) continue;
            bool dominated = false;
            for (size_t j = 0; j < pts.size(); ++j) {
                if (rank[j] < 0 && dominates(pts[j], pts[i])) dominated = true;
            }
            if (!dominated) layer.push_back(i);
        }
        for (size_t i : layer) rank[i] = r;
        assigned += layer.size();
        ++r;
    }
    return rank;
}

}  // namespace

class TestPareto : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void incrementalMatchesBruteForce_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<bool>("coarse");
        QTest::newRow("200 distinct") << 200 << false;
        QTest::newRow("500 with ties") << 500 << true;
        QTest::newRow("2000 distinct") << 2000 << false;
    }
    void incrementalMatchesBruteForce() {
        QFETCH(int, n);
        QFETCH(bool, coarse);
        const auto pts = randomPoints(n, 42, coarse);
        ParetoFront front;
        for (const auto& p : pts) front.insert(p);
        const auto ranks = bruteRanks(pts);
        std::set<std::pair<double, double>> expected, got;
        for (size_t i = 0; i < pts.size(); ++i) {
            if (ranks[i] == 0) expected.insert({pts[i].latency, pts[i].accuracy});
        }
        for (const auto& p : front.points()) got.insert({p.latency, p.accuracy});
        QCOMPARE(got, expected);
        for (size_t i = 1; i < front.points().size(); ++i) {
            QVERIFY(front.points()[i - 1].latency < front.points()[i].latency);
            QVERIFY(front.points()[i - 1].accuracy < front.points()[i].accuracy);
        }
    }

    void ranksMatchBruteForce() {
        for (bool coarse : {false, true}) {
            const auto pts = randomPoints(400, 3, coarse);
            const auto fast = nonDominatedRanks(pts);
            const auto brute = bruteRanks(pts);
            for (size_t i = 0; i < pts.size(); ++i) {
                QVERIFY2(
                    fast[i] == brute[i],
                    qPrintable(QString("point %1: %2 vs %3").arg(i).arg(fast[i]).arg(brute[i])));
            }
        }
    }

    void removedIdsReported() {
        ParetoFront front;
        QVERIFY(front.insert({1, 2.0, 0.5}));
        QVERIFY(front.insert({2, 3.0, 0.6}));
        QVERIFY(!front.insert({3, 3.5, 0.55}));  // dominated by id 2
        std::vector<int64_t> removed;
        QVERIFY(front.insert({4, 1.0, 0.7}, &removed));  // dominates both
        QCOMPARE(removed, (std::vector<int64_t>{1, 2}));
        QCOMPARE(int(front.size()), 1);
    }

    void mnasReward() {
        // At the target the reward is the accuracy; soft: 2x slower costs 2^-0.07 ~ 4.7%.
        QCOMPARE(archscope::mnasReward(0.8, 10.0, RewardConfig::soft(10.0)), 0.8);
        QVERIFY(std::abs(archscope::mnasReward(0.8, 20.0, RewardConfig::soft(10.0)) -
                         0.8 * std::pow(2.0, -0.07)) < 1e-12);
        // Hard: no bonus below the target, 1/ratio penalty above it.
        QCOMPARE(archscope::mnasReward(0.8, 5.0, RewardConfig::hard(10.0)), 0.8);
        QCOMPARE(archscope::mnasReward(0.8, 20.0, RewardConfig::hard(10.0)), 0.4);
    }
};

QTEST_GUILESS_MAIN(TestPareto)
#include "tst_pareto.moc"
