// Samplers: deterministic for a seed, mutation changes one decision, and evolution / REINFORCE
// beat random search on a synthetic objective with a known optimum.
#include <QtTest>

#include "search/sampler.h"

using namespace archscope;

namespace {

// Fitness peaks when every decision takes its last choice.
double syntheticFitness(const SearchSpace& space, const Candidate& c) {
    double f = 0.0;
    for (int i = 0; i < space.decisionCount(); ++i) {
        const int n = space.choiceCount(i);
        if (n > 1) f += double(c.choices[size_t(i)]) / (n - 1);
    }
    return f;
}

double bestAfter(Sampler& sampler, const SearchSpace& space, int budget, unsigned seed) {
    SplitMix64 rng(seed);
    double best = -1.0;
    for (int i = 0; i < budget; ++i) {
        Candidate c = sampler.propose(rng);
        const double f = syntheticFitness(space, c);
        best = std::max(best, f);
        sampler.observe({c, f, 1.0, f});
    }
    return best;
}

}  // namespace

class TestSampler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The generator every seeded draw goes through: the reference sequence of SplitMix64
    // (Vigna's splitmix64.c, seed 0), so a seed gives the same run with any standard library.
    void splitMixIsPortable() {
        SplitMix64 rng(0);
        QCOMPARE(rng.next(), 0xe220a8397b1dcdafull);
        QCOMPARE(rng.next(), 0x6e789e6aa1b965f4ull);
        QCOMPARE(rng.next(), 0x06c45d188009454full);
        SplitMix64 draws(3);
        int counts[3] = {0, 0, 0};
        for (int i = 0; i < 30000; ++i) ++counts[drawWeighted(draws, std::vector<double>{1, 0, 2})];
        QCOMPARE(counts[1], 0);  // a zero weight is never drawn
        QVERIFY2(std::abs(counts[2] - 20000) < 600, qPrintable(QString::number(counts[2])));
        for (int i = 0; i < 1000; ++i) {
            const int v = draws.between(1, 4);
            QVERIFY(v >= 1 && v <= 4);
            const double u = draws.unit();
            QVERIFY(u >= 0.0 && u < 1.0);
        }
    }

    void mutationChangesExactlyOneDecision() {
        const SearchSpace space = loadSearchSpace("efficientnet-x");
        SplitMix64 rng(1);
        for (int i = 0; i < 200; ++i) {
            const Candidate parent = randomCandidate(space, rng);
            const Candidate child = mutate(space, parent, rng);
            int diff = 0;
            for (size_t d = 0; d < parent.choices.size(); ++d) {
                diff += parent.choices[d] != child.choices[d];
                QVERIFY(child.choices[d] < space.choiceCount(int(d)));
            }
            QCOMPARE(diff, 1);
        }
    }

    void deterministicForSeed() {
        const SearchSpace space = loadSearchSpace("efficientnet-x");
        auto a = makeEvolutionSampler(space, 20, 5, SelectionMode::Reward);
        auto b = makeEvolutionSampler(space, 20, 5, SelectionMode::Reward);
        QCOMPARE(bestAfter(*a, space, 100, 9), bestAfter(*b, space, 100, 9));
    }

    void searchBeatsRandom() {
        const SearchSpace space = loadSearchSpace("efficientnet-x");
        auto random = makeRandomSampler(space);
        auto evolution = makeEvolutionSampler(space, 30, 8, SelectionMode::Reward);
        auto paretoEvolution = makeEvolutionSampler(space, 30, 8, SelectionMode::Pareto);
        auto reinforce = makeReinforceSampler(space, 0.5);
        const double r = bestAfter(*random, space, 600, 11);
        const double e = bestAfter(*evolution, space, 600, 11);
        const double p = bestAfter(*paretoEvolution, space, 600, 11);
        const double rl = bestAfter(*reinforce, space, 600, 11);
        qInfo(
            "best synthetic fitness after 600: random %.2f evolution %.2f pareto-evolution %.2f "
            "reinforce %.2f",
            r, e, p, rl);
        QVERIFY(e > r);
        QVERIFY(rl > r);
        QVERIFY(p >= r);
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "tst_sampler.moc"
