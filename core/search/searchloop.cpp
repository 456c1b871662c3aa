#include "searchloop.h"

#include "arch/error.h"

namespace archscope {

std::string_view algorithmName(SearchAlgorithm a) {
    switch (a) {
        case SearchAlgorithm::Random:
            return "random";
        case SearchAlgorithm::Evolution:
            return "evolution";
        case SearchAlgorithm::Reinforce:
            return "reinforce";
    }
    return "?";
}

std::optional<SearchAlgorithm> algorithmFromName(std::string_view n) {
    if (n == "random") return SearchAlgorithm::Random;
    if (n == "evolution") return SearchAlgorithm::Evolution;
    if (n == "reinforce") return SearchAlgorithm::Reinforce;
    return std::nullopt;
}

std::string_view objectiveName(ObjectiveMode m) {
    switch (m) {
        case ObjectiveMode::Pareto:
            return "pareto";
        case ObjectiveMode::RewardSoft:
            return "reward-soft";
        case ObjectiveMode::RewardHard:
            return "reward-hard";
    }
    return "?";
}

std::optional<ObjectiveMode> objectiveFromName(std::string_view n) {
    if (n == "pareto") return ObjectiveMode::Pareto;
    if (n == "reward-soft" || n == "soft") return ObjectiveMode::RewardSoft;
    if (n == "reward-hard" || n == "hard") return ObjectiveMode::RewardHard;
    return std::nullopt;
}

nlohmann::json SearchParams::toJson() const {
    return {{"space", space},
            {"algorithm", std::string(algorithmName(algorithm))},
            {"objective", std::string(objectiveName(objective))},
            {"budget", budget},
            {"seed", seed},
            {"target_ms", targetMs},
            {"population", population},
            {"tournament", tournament},
            {"learning_rate", learningRate}};
}

SearchParams SearchParams::fromJson(const nlohmann::json& j) {
    SearchParams p;
    try {
        p.space = j.value("space", p.space);
        const std::string algo = j.value("algorithm", std::string("evolution"));
        const std::string objective = j.value("objective", std::string("pareto"));
        auto a = algorithmFromName(algo);
        if (!a)
            throw ArchError("search parameters: unknown algorithm \"" + algo +
                            "\" (expected random, evolution or reinforce)");
        auto o = objectiveFromName(objective);
        if (!o)
            throw ArchError("search parameters: unknown objective \"" + objective +
                            "\" (expected pareto, reward-soft or reward-hard)");
        p.algorithm = *a;
        p.objective = *o;
        p.budget = j.value("budget", p.budget);
        p.seed = j.value("seed", p.seed);
        p.targetMs = j.value("target_ms", p.targetMs);
        p.population = j.value("population", p.population);
        p.tournament = j.value("tournament", p.tournament);
        p.learningRate = j.value("learning_rate", p.learningRate);
    } catch (const nlohmann::json::exception& e) {
        throw ArchError(std::string("search parameters: ") + e.what());
    }
    if (p.budget < 1) throw ArchError("search parameters: budget must be >= 1");
    if (p.targetMs < 0) throw ArchError("search parameters: target latency must be >= 0 ms");
    return p;
}

SearchLoop::SearchLoop(SearchParams params, SearchSpace space)
    : m_params(std::move(params)), m_space(std::move(space)), m_rng(m_params.seed) {
    const SelectionMode mode =
        m_params.objective == ObjectiveMode::Pareto ? SelectionMode::Pareto : SelectionMode::Reward;
    switch (m_params.algorithm) {
        case SearchAlgorithm::Random:
            m_sampler = makeRandomSampler(m_space);
            break;
        case SearchAlgorithm::Evolution:
            m_sampler =
                makeEvolutionSampler(m_space, m_params.population,
                                     std::min(m_params.tournament, m_params.population), mode);
            break;
        case SearchAlgorithm::Reinforce:
            m_sampler = makeReinforceSampler(m_space, m_params.learningRate);
            break;
    }
    setTargetMs(m_params.targetMs > 0 ? m_params.targetMs : 1.0);
}

void SearchLoop::setTargetMs(double targetMs) {
    // Pareto mode still needs a scalar for REINFORCE and reward-mode tournaments: the soft
    // MnasNet reward, which MnasNet designed to trace the front.
    m_reward = m_params.objective == ObjectiveMode::RewardHard ? RewardConfig::hard(targetMs)
                                                               : RewardConfig::soft(targetMs);
}

double SearchLoop::fitnessOf(const Metrics& m) const {
    return mnasReward(m.accuracy, m.latencyMs, m_reward);
}

std::string SearchLoop::key(const Candidate& c) {
    return std::string(c.choices.begin(), c.choices.end());
}

std::pair<Candidate, NetworkSpec> SearchLoop::propose() {
    Candidate c = m_sampler->propose(m_rng);
    // "cand-<run>-<step>": a name that cannot be mistaken for a zoo model.
    NetworkSpec spec = decodeCandidate(m_space, c, m_namePrefix + std::to_string(done()));
    return {std::move(c), std::move(spec)};
}

std::optional<Metrics> SearchLoop::cached(const Candidate& c) const {
    auto it = m_seen.find(key(c));
    if (it == m_seen.end()) return std::nullopt;
    return m_steps[static_cast<size_t>(it->second)].metrics;
}

const SearchStep& SearchLoop::record(const Candidate& c, NetworkSpec spec, Metrics m) {
    SearchStep step;
    step.index = done();
    step.candidate = c;
    step.spec = std::move(spec);
    step.metrics = m;
    step.fitness = fitnessOf(m);
    auto [it, inserted] = m_seen.emplace(key(c), step.index);
    step.reused = !inserted;
    std::vector<int64_t> removed;
    step.onFront = m_front.insert({step.index, m.latencyMs, m.accuracy}, &removed);
    for (int64_t r : removed) step.leftFront.push_back(static_cast<int>(r));
    m_sampler->observe({c, m.accuracy, m.latencyMs, step.fitness});
    m_steps.push_back(std::move(step));
    return m_steps.back();
}

}  // namespace archscope
