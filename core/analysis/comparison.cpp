// Two networks on one platform, and one family across platforms: the figures and the "why" that
// the Compare view and `archscope-cli compare` share.
#include "analysis/comparison.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "arch/expand.h"
#include "hw/blocksummary.h"
#include "hw/explain.h"
#include "zoo/zoo.h"

namespace archscope::analysis {
namespace {

SlowestOp slowestOp(const NetworkSummary& s, const BreakdownRow& stage) {
    const BreakdownRow* slowest = nullptr;
    for (int g = stage.firstGroup; g <= stage.lastGroup; ++g) {
        const BreakdownRow& op = s.ops[size_t(g)];
        if (!slowest || op.seconds > slowest->seconds) slowest = &op;
    }
    if (!slowest) return {};
    return {slowest->name, slowest->firstOp, slowest->bound, slowest->seconds};
}

const BreakdownRow* stageOf(const NetworkSummary& s, int stage) {
    for (const auto& r : s.stages) {
        if (r.stage == stage) return &r;
    }
    return nullptr;
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string opText(const SlowestOp& op) {
    return op.name + " (" + op.kind + ", " + std::string(boundName(op.bound)) + "-bound)";
}

nlohmann::json opJson(const SlowestOp& op) {
    return {{"name", op.name},
            {"kind", op.kind},
            {"bound", std::string(boundName(op.bound))},
            {"seconds", op.seconds}};
}

nlohmann::json boundsJson(const std::array<double, kBoundCount>& s) {
    nlohmann::json j = nlohmann::json::object();
    for (int b = 0; b < kBoundCount; ++b) j[std::string(boundName(Bound(b)))] = s[size_t(b)];
    return j;
}

}  // namespace

NetworkSummary summarizeNetwork(const NetworkSpec& spec, const Profile& profile, int batch,
                                Dtype dtype) {
    NetworkSummary s;
    s.name = spec.name;
    s.platform = profile.displayName;
    for (size_t u = 0; u < kBoundCount; ++u) s.unitNames[u] = unitName(profile, Bound(u));
    s.batch = batch;
    const auto layers = expandLayers(buildNetwork(spec), batch);
    const NetworkCost cost = totalCost(layers);
    s.params = double(cost.params);
    s.macsPerImage = double(cost.macs) / batch;
    const auto groups = predictGroups(profile, layers, dtype);
    s.prediction = summarize(groups, batch, profile.runtime.perStepSeconds);
    double weighted = 0.0;
    for (const GroupCost& g : groups) weighted += g.matrixUtilization * g.seconds;
    if (s.prediction.latencySeconds > 0)
        s.matrixUtilization = weighted / s.prediction.latencySeconds;
    if (const auto top1 = publishedTop1(spec.name)) s.publishedTop1 = top1->top1;
    s.stages = breakdownRows(layers, groups, profile, Granularity::Stage);
    s.ops = breakdownRows(layers, groups, profile, Granularity::FusedOp);
    return s;
}

Explanation explainDifference(const NetworkSummary& a, const NetworkSummary& b, size_t maxStages) {
    Explanation e;
    e.nameA = a.name;
    e.nameB = b.name;
    e.platform = a.platform;
    e.unitNames = a.unitNames;
    e.batch = a.batch;
    e.macsRatio = a.macsPerImage > 0 ? b.macsPerImage / a.macsPerImage : 0.0;
    e.secondsA = a.prediction.latencySeconds;
    e.secondsB = b.prediction.latencySeconds;
    e.latencyRatio = e.secondsA > 0 ? e.secondsB / e.secondsA : 0.0;
    e.matrixUtilizationA = a.matrixUtilization;
    e.matrixUtilizationB = b.matrixUtilization;
    e.secondsByBoundA = a.prediction.secondsByBound;
    e.secondsByBoundB = b.prediction.secondsByBound;
    for (const auto& sa : a.stages) {
        if (const BreakdownRow* sb = stageOf(b, sa.stage))
            e.stages.push_back(
                {sa.name, sa.seconds, sb->seconds, slowestOp(a, sa), slowestOp(b, *sb)});
    }
    std::stable_sort(e.stages.begin(), e.stages.end(), [](const auto& x, const auto& y) {
        return std::abs(x.secondsB - x.secondsA) > std::abs(y.secondsB - y.secondsA);
    });
    if (e.stages.size() > maxStages) e.stages.resize(maxStages);
    return e;
}

std::vector<std::string> explanationSentences(const Explanation& e) {
    const bool faster = e.latencyRatio < 1.0;
    const double factor = faster ? 1.0 / e.latencyRatio : e.latencyRatio;
    std::vector<std::string> out;
    out.push_back(e.nameB + " has " + fixed(e.macsRatio, 2) + "x the MACs of " + e.nameA +
                  " and is " + fixed(factor, 2) + "x " + (faster ? "faster" : "slower") + " on " +
                  e.platform + " (" + formatSeconds(e.secondsB) + " vs " +
                  formatSeconds(e.secondsA) + " per batch of " + std::to_string(e.batch) + ").");
    const std::string& matrix = e.unitNames[size_t(Bound::Matrix)];
    out.push_back(matrix + " utilization " + fixed(100 * e.matrixUtilizationB, 1) + "% vs " +
                  fixed(100 * e.matrixUtilizationA, 1) + "%: MACs on the " + matrix +
                  " (the matrix unit) are cheap when its tiles are full.");
    auto bound = [&](Bound b) {
        return e.unitNames[size_t(b)] + " " + formatSeconds(e.secondsByBoundA[size_t(b)]) + " -> " +
               formatSeconds(e.secondsByBoundB[size_t(b)]);
    };
    out.push_back("Time bound by the " + bound(Bound::Vector) + ", by the " + bound(Bound::Matrix) +
                  ", by " + bound(Bound::Memory) + ".");
    for (const StageDifference& d : e.stages) {
        out.push_back(d.stage + ": " + formatSeconds(d.secondsA) + " -> " +
                      formatSeconds(d.secondsB) + "; slowest op " + opText(d.slowestA) + " -> " +
                      opText(d.slowestB));
    }
    return out;
}

nlohmann::json explanationToJson(const Explanation& e) {
    nlohmann::json stages = nlohmann::json::array();
    for (const StageDifference& d : e.stages) {
        stages.push_back({{"stage", d.stage},
                          {"seconds", {{"a", d.secondsA}, {"b", d.secondsB}}},
                          {"slowest_op", {{"a", opJson(d.slowestA)}, {"b", opJson(d.slowestB)}}}});
    }
    return {{"a", e.nameA},
            {"b", e.nameB},
            {"platform", e.platform},
            {"batch", e.batch},
            {"macs_ratio", e.macsRatio},
            {"latency_ratio", e.latencyRatio},
            {"matrix_utilization", {{"a", e.matrixUtilizationA}, {"b", e.matrixUtilizationB}}},
            {"seconds_by_bound",
             {{"a", boundsJson(e.secondsByBoundA)}, {"b", boundsJson(e.secondsByBoundB)}}},
            {"stages_differing_most", stages},
            {"sentences", explanationSentences(e)}};
}

nlohmann::json stageSplitToJson(const std::vector<BreakdownRow>& stages) {
    nlohmann::json out = nlohmann::json::array();
    for (const BreakdownRow& r : stages) {
        out.push_back({{"stage", r.name},
                       {"seconds", r.seconds},
                       {"bound", std::string(boundName(r.bound))},
                       {"critical_s", boundsJson(r.criticalSeconds)}});
    }
    return out;
}

std::vector<double> familySpeedups(const std::string& family, const std::vector<Profile>& platforms,
                                   int batch) {
    std::vector<double> out;
    if (platforms.empty()) return out;
    const std::vector<int> levels = familyLevels(family);
    std::vector<std::vector<Layer>> layers;
    for (int level : levels)
        layers.push_back(
            expandLayers(buildNetwork(*zooSpec(familyMemberName(family, level))), batch));
    const Profile& base = platforms.front();
    for (const Profile& p : platforms) {
        double logSum = 0.0;
        for (const auto& l : layers) {
            logSum += std::log(predictNetwork(base, l, base.defaultDtype).latencySeconds /
                               predictNetwork(p, l, p.defaultDtype).latencySeconds);
        }
        out.push_back(std::exp(logSum / double(levels.size())));
    }
    return out;
}

}  // namespace archscope::analysis
