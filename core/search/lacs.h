#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "arch/network.h"

namespace archscope {

/// Latency-aware compound scaling (LACS, Li et al., CVPR 2021 §5). The paper searches one
/// (alpha, beta, gamma) step with latency, not FLOPs, in the objective and compounds it
/// (member k = alpha^k, beta^k, gamma^k); compounding one step misses far targets. Archscope
/// keeps the step search for B1 (it fixes the scaling direction) and then solves every member
/// on its own latency target: member k = alpha^phi_k, beta^phi_k, gamma^phi_k with phi_k found
/// by bisection (latency is monotone in phi).
struct LacsParams {
    int steps = 7;                  ///< family members B1..B<steps>
    double latencyRatio = 2.0;      ///< default targets: member k costs ratio^k x the base latency
    std::vector<double> targetsMs;  ///< explicit B1..B<steps> targets (ms); empty: from the ratio
    double tolerance = 0.08;        ///< grid point feasible: latency within B1's target x (1 +- it)
    double memberTolerance = 0.10;  ///< a member further than this from its target is a warning
    double alphaMax = 2.0, betaMax = 1.5, gammaMax = 1.5;
    double gridStep = 0.05;
    double rewardExponent = -0.07;  ///< MnasNet soft reward exponent for the latency term
    /// Members' resolutions are rounded to a multiple of this (EfficientNet's published
    /// resolutions 224, 240, 260, 300, 380, 456, 528, 600 are all multiples of 4); width and
    /// depth are rounded by the network builder as EfficientNet does (filters to multiples of 8,
    /// repeats up).
    int resolutionMultiple = 4;

    /// Throws ArchError naming the first bad field.
    void validate() const;
    /// The number of grid points (the base excluded).
    int64_t gridSize() const;
    /// Every evaluation a complete run stores: grid points, LACS members B0..Bn, FLOPs-rule
    /// members B0..Bn.
    int64_t evaluationCount() const { return gridSize() + 2 * (int64_t(steps) + 1); }
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
    double width = 1, depth = 1;  ///< the network's own scaling (base scaling x factor)
    int resolution = 224;
    double latencyMs = 0;
    int64_t macs = 0;
    int64_t params = 0;
    double targetMs = 0;             ///< 0 for the FLOPs-rule family (no target)
    double deviation = 0;            ///< latency / target - 1
    double phi = 0;                  ///< exponent along (alpha, beta, gamma)
    double depthFactor = 1;          ///< alpha^phi
    double widthFactor = 1;          ///< beta^phi
    double resolutionFactor = 1;     ///< gamma^phi (before rounding the resolution)
    std::optional<double> accuracy;  ///< estimated for LACS members
};

struct LacsResult {
    double alpha = 1, beta = 1, gamma = 1;
    double baseLatencyMs = 0;
    double targetMs = 0;          ///< B1's target: the one the (alpha, beta, gamma) search aims at
    std::vector<LacsPoint> grid;  ///< every point whose latency was predicted
    std::vector<FamilyMember> family;        ///< LACS, B0..B<steps>, each on its own target
    std::vector<FamilyMember> flopsScaling;  ///< EfficientNet's rule on the same base
    std::vector<std::string> warnings;       ///< grid edges hit, targets missed
    int estimates = 0;      ///< accuracy estimates made (a stored run's report: all it stored)
    bool complete = false;  ///< false when stopped before the end
};

using LatencyFn = std::function<double(const NetworkSpec&)>;
using AccuracyFn = std::function<double(const NetworkSpec&)>;

/// What runLacs evaluates, in seq order: grid points 0..G-1, LACS members G..G+n, FLOPs-rule
/// members G+n+1..G+2n+1 (G = gridSize(), n = steps).
enum class LacsRole { Grid, Member, FlopsMember };

struct LacsEvaluation {
    int64_t seq = 0;
    LacsRole role = LacsRole::Grid;
    int member = -1;  ///< k for members, -1 for grid points
    NetworkSpec spec;
    double latencyMs = 0;
    std::optional<double> accuracy;
    double targetMs = 0;  ///< grid: B1's target; members: their own; FLOPs rule: 0
    double phi = 0;
};

/// Lets a caller store every evaluation and resume. `recall(seq)` returns what an earlier
/// session stored (outer optional: stored at all; inner: its accuracy), so the accuracy is not
/// estimated again; `record` receives each new evaluation, in seq order.
struct LacsRecorder {
    std::function<std::optional<std::optional<double>>(int64_t seq)> recall;
    std::function<void(const LacsEvaluation&)> record;
};

/// Multiplies a base spec's scaling by (depth, width, resolution) factors.
NetworkSpec scaledSpec(const NetworkSpec& base, double depth, double width, double resolution,
                       const std::string& name);

/// The member at exponent `phi` along (alpha, beta, gamma), its resolution rounded to a multiple
/// of `resolutionMultiple`.
NetworkSpec memberSpec(const NetworkSpec& base, double alpha, double beta, double gamma, double phi,
                       int resolutionMultiple, const std::string& name);

/// The exponent whose member's latency is nearest `targetMs`, by bisection on phi >= 0 (phi is
/// capped where a factor reaches 64x). `reached` is false when the nearest member is further
/// than `tolerance` from the target.
struct PhiSolution {
    double phi = 0;
    double latencyMs = 0;
    bool reached = false;
};
PhiSolution solvePhi(const NetworkSpec& base, double alpha, double beta, double gamma,
                     double targetMs, const LatencyFn& latency, int resolutionMultiple,
                     double tolerance);

/// Scales `base` with EfficientNet's FLOPs-based compound rule (alpha 1.2, beta 1.1, gamma 1.15:
/// Tan & Le 2019 §3.3), member k = phi k.
std::vector<FamilyMember> flopsCompoundFamily(const NetworkSpec& base, int steps,
                                              const LatencyFn& latency);

/// Runs the grid search (accuracy is estimated only for latency-feasible points), then solves
/// each member on its target and builds the FLOPs-rule family for comparison. Stops early
/// (returning what it has, complete = false) when `stop` is requested.
LacsResult runLacs(const NetworkSpec& base, const LatencyFn& latency, const AccuracyFn& accuracy,
                   const LacsParams& params, std::stop_token stop = {},
                   const LacsRecorder& recorder = {});

}  // namespace archscope
