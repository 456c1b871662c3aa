#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "space.h"
#include "util/splitmix64.h"

namespace archscope {

/// What a sampler learns from one evaluated candidate. `fitness` is the scalar the search
/// optimizes (the MnasNet reward); accuracy and latency feed Pareto-based selection.
struct Observation {
    Candidate candidate;
    double accuracy = 0.0;
    double latencyMs = 0.0;
    double fitness = 0.0;
};

/// Proposes candidates and learns from their evaluations. Not thread-safe: one search loop owns
/// it. Deterministic for a given seed and observation sequence, so a resumed run can replay
/// its stored evaluations through observe() and continue.
class Sampler {
public:
    virtual ~Sampler() = default;
    virtual Candidate propose(SplitMix64& rng) = 0;
    virtual void observe(const Observation& o) = 0;
    virtual std::string name() const = 0;
};

enum class SelectionMode { Reward, Pareto };

/// Uniform over every decision (the baseline any search must beat).
std::unique_ptr<Sampler> makeRandomSampler(const SearchSpace& space);

/// Regularized evolution (Real et al., "Regularized Evolution for Image Classifier Architecture
/// Search", AAAI 2019): a population of `population`, tournaments of `sampleSize`, the winner's
/// child differs in one decision, the oldest member dies. The first `population` proposals are
/// random. In Pareto mode the winner is a sample member that no other member dominates.
std::unique_ptr<Sampler> makeEvolutionSampler(const SearchSpace& space, int population,
                                              int sampleSize, SelectionMode mode);

/// A factorized categorical policy over the space's decisions trained with REINFORCE
/// (Williams 1992) and a moving-average baseline; the family of controllers the MnasNet and
/// EfficientNet-X searches used (they used an RNN controller with PPO).
std::unique_ptr<Sampler> makeReinforceSampler(const SearchSpace& space, double learningRate,
                                              double baselineDecay = 0.95);

/// Mutates one decision that has more than one choice (a no-op if none has).
Candidate mutate(const SearchSpace& space, const Candidate& parent, SplitMix64& rng);
Candidate randomCandidate(const SearchSpace& space, SplitMix64& rng);

}  // namespace archscope
