#pragma once

#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "arch/network.h"

namespace archscope {

/// Latency-aware compound scaling (LACS, Li et al., CVPR 2021 §5): search the per-step depth
/// (alpha), width (beta) and resolution (gamma) multipliers with latency, not FLOPs, in the
/// objective, then scale the base network into a family: member k uses alpha^k, beta^k, gamma^k.
struct LacsParams {
    int steps = 7;              ///< family members B1..B<steps>
    double latencyRatio = 2.0;  ///< target: one step costs this much more latency
    double tolerance = 0.08;    ///< feasible: latency within target x (1 +- tolerance)
    double alphaMax = 2.0, betaMax = 1.5, gammaMax = 1.5;
    double gridStep = 0.05;
    double rewardExponent = -0.07;  ///< MnasNet soft reward exponent for the latency term
};

struct LacsPoint {
    double alpha = 1, beta = 1, gamma = 1;
    double latencyMs = 0;
    double accuracy = 0;  ///< NaN when not estimated (infeasible latency)
    double reward = 0;
    bool feasible = false;
};

struct FamilyMember {
    std::string name;
    double width = 1, depth = 1;
    int resolution = 224;
    double latencyMs = 0;
    int64_t macs = 0;
    int64_t params = 0;
};

struct LacsResult {
    double alpha = 1, beta = 1, gamma = 1;
    double baseLatencyMs = 0;
    double targetMs = 0;
    std::vector<LacsPoint> grid;             ///< every point whose latency was predicted
    std::vector<FamilyMember> family;        ///< LACS, B0..B<steps>
    std::vector<FamilyMember> flopsScaling;  ///< EfficientNet's rule on the same base
};

using LatencyFn = std::function<double(const NetworkSpec&)>;
using AccuracyFn = std::function<double(const NetworkSpec&)>;

/// Multiplies a base spec's scaling by (depth, width, resolution) factors.
NetworkSpec scaledSpec(const NetworkSpec& base, double depth, double width, double resolution,
                       const std::string& name);

/// Scales `base` with EfficientNet's FLOPs-based compound rule (alpha 1.2, beta 1.1, gamma 1.15:
/// Tan & Le 2019 §3.3), member k = phi k.
std::vector<FamilyMember> flopsCompoundFamily(const NetworkSpec& base, int steps,
                                              const LatencyFn& latency);

/// Runs the grid search (accuracy is estimated only for latency-feasible points) and builds both
/// families. Stops early (returning what it has) when `stop` is requested.
LacsResult runLacs(const NetworkSpec& base, const LatencyFn& latency, const AccuracyFn& accuracy,
                   const LacsParams& params, std::stop_token stop = {});

}  // namespace archscope
