#include "search/trials.h"

#include <cmath>
#include <map>
#include <sstream>

#include "search/searchrun.h"
#include "store/store.h"

namespace archscope {
namespace {

std::string kindName(BlockType t) {
    switch (t) {
        case BlockType::MBConv:
            return "MBConv";
        case BlockType::FusedMBConv:
            return "fused MBConv";
        case BlockType::Bottleneck:
            return "bottleneck";
    }
    return "?";
}

std::string number(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

}  // namespace

std::string Trial::status() const {
    if (isReference()) return "reference";
    if (!latencyMs) return "no latency";
    if (!accuracy) return "no accuracy";
    return "complete";
}

std::vector<Trial> readTrials(store::StoreReader& reader, int64_t runId, int64_t afterId) {
    const store::RunRecord run = reader.requireRun(runId);
    std::map<int64_t, NetworkSpec> specs;  // by architecture id: candidates repeat networks
    std::vector<Trial> out;
    for (const store::Evaluation& e : reader.evaluationsAfter(runId, afterId)) {
        auto spec = specs.find(e.architectureId);
        if (spec == specs.end())
            spec = specs.emplace(e.architectureId, reader.architectureSpec(e.architectureId)).first;
        Trial t;
        t.evaluationId = e.id;
        t.seq = e.seq;
        t.archHash = e.archHash;
        t.stages = spec->second.blocks;
        const auto reference = run.kind == kSearchKind && e.seq
                                   ? searchReferenceName(run.params, *e.seq)
                                   : std::nullopt;
        t.name = reference ? *reference : spec->second.name;
        t.macs = e.macs;
        const store::LatencyFigure latency = e.latency();
        t.latencyMs = latency.value();
        t.latencySource = latency.source;
        if (e.accuracy) {
            t.accuracy = e.accuracy->value;
            t.metric = e.accuracy->figure().metric;
        }
        t.createdAt = e.createdAt;
        t.costSeconds = e.costSeconds;
        out.push_back(std::move(t));
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> choiceLevels(const Trial& trial) {
    std::vector<std::pair<std::string, std::string>> out;
    for (size_t i = 0; i < trial.stages.size(); ++i) {
        const BlockArgs& b = trial.stages[i];
        // 0-based, as the Search space page and the IR name stages.
        const std::string stage = "stage " + std::to_string(i) + " ";
        out.emplace_back(stage + "block", kindName(b.type));
        out.emplace_back(stage + "kernel", std::to_string(b.kernel));
        out.emplace_back(stage + "expansion", std::to_string(b.expand));
        out.emplace_back(stage + "SE", b.hasSe() ? number(*b.seRatio) : "none");
        out.emplace_back(stage + "activation",
                         b.activation ? std::string(activationName(*b.activation)) : "default");
        out.emplace_back(stage + "repeats", std::to_string(b.repeats));
        out.emplace_back(stage + "filters", std::to_string(b.outFilters));
        out.emplace_back(stage + "space-to-depth", std::to_string(b.spaceToDepth));
    }
    return out;
}

ImportanceData importanceData(const std::vector<Trial>& trials, Objective objective) {
    ImportanceData data;
    std::optional<size_t> stageCount;
    for (const Trial& t : trials) {
        if (t.isReference()) continue;
        if (!stageCount) {
            stageCount = t.stages.size();
            for (const auto& [name, level] : choiceLevels(t)) data.parameters.push_back(name);
        }
        if (t.stages.size() != *stageCount) continue;
        std::vector<std::string> levels;
        for (auto& [name, level] : choiceLevels(t)) levels.push_back(std::move(level));
        data.levels.push_back(std::move(levels));
        const std::optional<double> value =
            objective == Objective::Latency ? t.latencyMs : t.accuracy;
        data.objective.push_back(value.value_or(NAN));
    }
    return data;
}

}  // namespace archscope
