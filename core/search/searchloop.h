#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "pareto.h"
#include "reward.h"
#include "sampler.h"
#include "space.h"

namespace archscope {

enum class SearchAlgorithm { Random, Evolution, Reinforce };
enum class ObjectiveMode { Pareto, RewardSoft, RewardHard };

std::string_view algorithmName(SearchAlgorithm a);
std::optional<SearchAlgorithm> algorithmFromName(std::string_view name);
std::string_view objectiveName(ObjectiveMode m);
std::optional<ObjectiveMode> objectiveFromName(std::string_view name);

/// Everything that defines a search run; stored as the run's parameters so it can be resumed.
struct SearchParams {
    std::string space = "efficientnet-x";  ///< shipped name or file path
    SearchAlgorithm algorithm = SearchAlgorithm::Evolution;
    ObjectiveMode objective = ObjectiveMode::Pareto;
    int budget = 100;
    uint64_t seed = 0;
    double targetMs = 0.0;      ///< MnasNet target T; 0 = the space's base network's latency
    int population = 50;        ///< evolution
    int tournament = 10;        ///< evolution sample size
    double learningRate = 0.3;  ///< REINFORCE

    nlohmann::json toJson() const;
    /// Throws ArchError naming the field.
    static SearchParams fromJson(const nlohmann::json& j);
};

/// What the evaluator returns for one network.
struct Metrics {
    double latencyMs = 0.0;
    double accuracy = 0.0;
};

/// One evaluated candidate of a run, in order.
struct SearchStep {
    int index = 0;
    Candidate candidate;
    NetworkSpec spec;
    Metrics metrics;
    double fitness = 0.0;
    bool onFront = false;        ///< on the front right after it was added
    std::vector<int> leftFront;  ///< indices this candidate pushed off the front
    bool reused = false;         ///< a duplicate: metrics came from an earlier step
};

/// The search state machine: propose -> (caller evaluates) -> record. It owns the sampler, the
/// RNG and the incremental front. Single-threaded: one job thread drives it. Resuming a run
/// replays its stored steps through propose() + record(), which restores the sampler, the RNG and the
/// front exactly, since proposals depend only on the seed and the observed metrics.
class SearchLoop {
public:
    SearchLoop(SearchParams params, SearchSpace space);

    const SearchParams& params() const { return m_params; }
    const SearchSpace& space() const { return m_space; }
    int done() const { return static_cast<int>(m_steps.size()); }
    bool finished() const { return done() >= m_params.budget; }

    /// The next candidate and its network, named "<prefix><index>" (setNamePrefix; default
    /// "cand-", a search run sets "cand-<run>-").
    std::pair<Candidate, NetworkSpec> propose();
    void setNamePrefix(std::string prefix) { m_namePrefix = std::move(prefix); }
    /// Metrics from an earlier identical candidate, if any (no need to evaluate twice).
    std::optional<Metrics> cached(const Candidate& c) const;
    /// Records the evaluated proposal; returns the step with its front changes.
    const SearchStep& record(const Candidate& c, NetworkSpec spec, Metrics m);

    void setTargetMs(double targetMs);
    double targetMs() const { return m_reward.targetMs; }
    double fitnessOf(const Metrics& m) const;
    const ParetoFront& front() const { return m_front; }
    const std::vector<SearchStep>& steps() const { return m_steps; }

private:
    static std::string key(const Candidate& c);

    SearchParams m_params;
    SearchSpace m_space;
    std::unique_ptr<Sampler> m_sampler;
    SplitMix64 m_rng;
    RewardConfig m_reward;
    ParetoFront m_front;
    std::vector<SearchStep> m_steps;
    std::unordered_map<std::string, int> m_seen;  ///< candidate -> first step index
    std::string m_namePrefix = "cand-";
};

}  // namespace archscope
