#include "lacs.h"

#include <cmath>
#include <limits>

#include "arch/error.h"
#include "arch/expand.h"

namespace archscope {

NetworkSpec scaledSpec(const NetworkSpec& base, double depth, double width, double resolution,
                       const std::string& name) {
    NetworkSpec s = base;
    s.name = name;
    s.scaling.depth = base.scaling.depth * depth;
    s.scaling.width = base.scaling.width * width;
    s.scaling.resolution = static_cast<int>(std::lround(base.scaling.resolution * resolution));
    return s;
}

namespace {

FamilyMember member(const NetworkSpec& spec, const LatencyFn& latency) {
    const NetworkCost cost = totalCost(expandLayers(buildNetwork(spec), 1));
    return {spec.name,     spec.scaling.width, spec.scaling.depth, spec.scaling.resolution,
            latency(spec), cost.macs,          cost.params};
}

std::vector<FamilyMember> family(const NetworkSpec& base, int steps, double alpha, double beta,
                                 double gamma, const std::string& suffix,
                                 const LatencyFn& latency) {
    std::vector<FamilyMember> out;
    for (int k = 0; k <= steps; ++k) {
        const std::string name = base.name + suffix + "-b" + std::to_string(k);
        out.push_back(member(
            scaledSpec(base, std::pow(alpha, k), std::pow(beta, k), std::pow(gamma, k), name),
            latency));
    }
    return out;
}

}  // namespace

std::vector<FamilyMember> flopsCompoundFamily(const NetworkSpec& base, int steps,
                                              const LatencyFn& latency) {
    return family(base, steps, 1.2, 1.1, 1.15, "-flops", latency);
}

LacsResult runLacs(const NetworkSpec& base, const LatencyFn& latency, const AccuracyFn& accuracy,
                   const LacsParams& p, std::stop_token stop) {
    if (p.steps < 1 || p.steps > 12) throw ArchError("LACS: steps must be in 1..12");
    if (!(p.latencyRatio > 1.0)) throw ArchError("LACS: the latency ratio must be > 1");
    if (!(p.gridStep > 0.0)) throw ArchError("LACS: the grid step must be > 0");
    LacsResult r;
    r.baseLatencyMs = latency(base);
    r.targetMs = r.baseLatencyMs * p.latencyRatio;
    const int na = static_cast<int>(std::floor((p.alphaMax - 1.0) / p.gridStep + 1e-9)) + 1;
    const int nb = static_cast<int>(std::floor((p.betaMax - 1.0) / p.gridStep + 1e-9)) + 1;
    const int ng = static_cast<int>(std::floor((p.gammaMax - 1.0) / p.gridStep + 1e-9)) + 1;
    for (int i = 0; i < na && !stop.stop_requested(); ++i) {
        for (int j = 0; j < nb; ++j) {
            for (int k = 0; k < ng; ++k) {
                LacsPoint pt;
                pt.alpha = 1.0 + i * p.gridStep;
                pt.beta = 1.0 + j * p.gridStep;
                pt.gamma = 1.0 + k * p.gridStep;
                if (i == 0 && j == 0 && k == 0) continue;  // the base itself is no step
                pt.latencyMs = latency(scaledSpec(base, pt.alpha, pt.beta, pt.gamma, "grid"));
                pt.feasible = std::abs(pt.latencyMs / r.targetMs - 1.0) <= p.tolerance;
                pt.accuracy = std::numeric_limits<double>::quiet_NaN();
                r.grid.push_back(pt);
            }
        }
    }
    // Estimate accuracy only where the latency is on target: that is where the choice is made.
    const LacsPoint* best = nullptr;
    for (auto& pt : r.grid) {
        if (!pt.feasible || stop.stop_requested()) continue;
        pt.accuracy = accuracy(scaledSpec(base, pt.alpha, pt.beta, pt.gamma, "grid"));
        pt.reward = pt.accuracy * std::pow(pt.latencyMs / r.targetMs, p.rewardExponent);
        if (!best || pt.reward > best->reward) best = &pt;
    }
    if (!best) {
        throw ArchError("LACS: no (depth, width, resolution) step on the grid reaches " +
                        std::to_string(p.latencyRatio) + "x the base latency within " +
                        std::to_string(int(p.tolerance * 100)) +
                        "%; raise the grid maxima or the tolerance");
    }
    r.alpha = best->alpha;
    r.beta = best->beta;
    r.gamma = best->gamma;
    r.family = family(base, p.steps, r.alpha, r.beta, r.gamma, "-lacs", latency);
    r.flopsScaling = flopsCompoundFamily(base, p.steps, latency);
    return r;
}

}  // namespace archscope
