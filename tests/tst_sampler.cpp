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
    std::mt19937_64 rng(seed);
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
    void mutationChangesExactlyOneDecision() {
        const SearchSpace space = loadSearchSpace("efficientnet-x");
        std::mt19937_64 rng(1);
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
