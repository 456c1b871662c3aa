#include "sampler.h"

#include <algorithm>
#include <cmath>

#include "arch/error.h"
#include "pareto.h"

namespace archscope {

Candidate randomCandidate(const SearchSpace& space, SplitMix64& rng) {
    Candidate c;
    c.choices.resize(static_cast<size_t>(space.decisionCount()));
    for (int i = 0; i < space.decisionCount(); ++i) {
        c.choices[static_cast<size_t>(i)] =
            static_cast<uint8_t>(rng.below(uint64_t(space.choiceCount(i))));
    }
    return c;
}

Candidate mutate(const SearchSpace& space, const Candidate& parent, SplitMix64& rng) {
    std::vector<int> free;
    for (int i = 0; i < space.decisionCount(); ++i) {
        if (space.choiceCount(i) > 1) free.push_back(i);
    }
    Candidate child = parent;
    if (free.empty()) return child;
    const int d = free[size_t(rng.below(free.size()))];
    const int n = space.choiceCount(d);
    // A different choice: shift by 1..n-1.
    const int shift = rng.between(1, n - 1);
    auto& v = child.choices[static_cast<size_t>(d)];
    v = static_cast<uint8_t>((v + shift) % n);
    return child;
}

namespace {

class RandomSampler : public Sampler {
public:
    explicit RandomSampler(const SearchSpace& space) : m_space(space) {}
    Candidate propose(SplitMix64& rng) override { return randomCandidate(m_space, rng); }
    void observe(const Observation&) override {}
    std::string name() const override { return "random"; }

private:
    const SearchSpace& m_space;
};

class EvolutionSampler : public Sampler {
public:
    EvolutionSampler(const SearchSpace& space, int population, int sampleSize, SelectionMode mode)
        : m_space(space), m_populationSize(population), m_sampleSize(sampleSize), m_mode(mode) {
        if (population < 2 || sampleSize < 1 || sampleSize > population) {
            throw ArchError("evolution needs population >= 2 and 1 <= sample size <= population");
        }
    }
    Candidate propose(SplitMix64& rng) override {
        if (static_cast<int>(m_population.size()) < m_populationSize) {
            return randomCandidate(m_space, rng);
        }
        std::vector<const Observation*> sample;
        for (int i = 0; i < m_sampleSize; ++i)
            sample.push_back(&m_population[size_t(rng.below(m_population.size()))]);
        return mutate(m_space, winner(sample, rng)->candidate, rng);
    }
    void observe(const Observation& o) override {
        m_population.push_back(o);
        if (static_cast<int>(m_population.size()) > m_populationSize) m_population.pop_front();
    }
    std::string name() const override { return "evolution"; }

private:
    const Observation* winner(const std::vector<const Observation*>& sample,
                              SplitMix64& rng) const {
        if (m_mode == SelectionMode::Reward) {
            return *std::max_element(sample.begin(), sample.end(),
                                     [](auto* a, auto* b) { return a->fitness < b->fitness; });
        }
        std::vector<const Observation*> nonDominated;
        for (auto* a : sample) {
            bool dominated = false;
            for (auto* b : sample) {
                dominated = dominated || dominates({0, b->latencyMs, b->accuracy},
                                                   {0, a->latencyMs, a->accuracy});
            }
            if (!dominated) nonDominated.push_back(a);
        }
        return nonDominated[size_t(rng.below(nonDominated.size()))];
    }

    const SearchSpace& m_space;
    int m_populationSize;
    int m_sampleSize;
    SelectionMode m_mode;
    std::deque<Observation> m_population;
};

class ReinforceSampler : public Sampler {
public:
    ReinforceSampler(const SearchSpace& space, double lr, double decay) : m_lr(lr), m_decay(decay) {
        for (int i = 0; i < space.decisionCount(); ++i) {
            m_logits.emplace_back(static_cast<size_t>(space.choiceCount(i)), 0.0);
        }
    }
    Candidate propose(SplitMix64& rng) override {
        Candidate c;
        for (const auto& logits : m_logits) {
            c.choices.push_back(static_cast<uint8_t>(drawWeighted(rng, softmax(logits))));
        }
        return c;
    }
    void observe(const Observation& o) override {
        if (!m_hasBaseline) {
            m_baseline = o.fitness;
            m_hasBaseline = true;
            return;
        }
        const double advantage = o.fitness - m_baseline;
        m_baseline = m_decay * m_baseline + (1.0 - m_decay) * o.fitness;
        for (size_t d = 0; d < m_logits.size(); ++d) {
            const auto p = softmax(m_logits[d]);
            const size_t chosen = o.candidate.choices[d];
            // Gradient of log softmax: onehot - p.
            for (size_t k = 0; k < p.size(); ++k) {
                m_logits[d][k] += m_lr * advantage * ((k == chosen ? 1.0 : 0.0) - p[k]);
            }
        }
    }
    std::string name() const override { return "reinforce"; }

private:
    static std::vector<double> softmax(const std::vector<double>& logits) {
        const double m = *std::max_element(logits.begin(), logits.end());
        std::vector<double> p(logits.size());
        double sum = 0.0;
        for (size_t i = 0; i < p.size(); ++i) sum += p[i] = std::exp(logits[i] - m);
        for (auto& v : p) v /= sum;
        return p;
    }

    double m_lr;
    double m_decay;
    std::vector<std::vector<double>> m_logits;
    double m_baseline = 0.0;
    bool m_hasBaseline = false;
};

}  // namespace

std::unique_ptr<Sampler> makeRandomSampler(const SearchSpace& space) {
    return std::make_unique<RandomSampler>(space);
}

std::unique_ptr<Sampler> makeEvolutionSampler(const SearchSpace& space, int population,
                                              int sampleSize, SelectionMode mode) {
    return std::make_unique<EvolutionSampler>(space, population, sampleSize, mode);
}

std::unique_ptr<Sampler> makeReinforceSampler(const SearchSpace& space, double learningRate,
                                              double baselineDecay) {
    return std::make_unique<ReinforceSampler>(space, learningRate, baselineDecay);
}

}  // namespace archscope
