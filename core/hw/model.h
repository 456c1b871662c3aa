#pragma once

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "arch/layer.h"
#include "arch/network.h"
#include "profile.h"

namespace archscope {

/// What limits a fused op: the unit whose time is largest, or the fixed overhead.
enum class Bound { Matrix = 0, Vector = 1, Memory = 2, Overhead = 3 };
/// How many Bound values there are: the size of every per-bound array.
inline constexpr int kBoundCount = 4;
std::string_view boundName(Bound b);

/// The compute units' time of one fused op: matrix and vector work in series where the vector
/// work runs on the matrix units (CPU cores), in parallel otherwise.
inline double computeSeconds(double matrixSeconds, double vectorSeconds,
                             bool vectorSharesMatrixUnits) {
    return vectorSharesMatrixUnits ? matrixSeconds + vectorSeconds
                                   : std::max(matrixSeconds, vectorSeconds);
}

/// One fused op's time from its units' busy times: compute against memory, the part of the
/// shorter one that does not overlap the longer added to it, scaled by the runtime's efficiency
/// for the op's class, plus the fixed overhead. The model and the calibration fit both call this,
/// so their arithmetic cannot drift apart.
inline double fusedOpSeconds(double matrixSeconds, double vectorSeconds, double memorySeconds,
                             double overheadSeconds, bool vectorSharesMatrixUnits, double overlap,
                             double runtimeEfficiency) {
    const double compute = computeSeconds(matrixSeconds, vectorSeconds, vectorSharesMatrixUnits);
    return (std::max(compute, memorySeconds) + (1.0 - overlap) * std::min(compute, memorySeconds)) /
               runtimeEfficiency +
           overheadSeconds;
}

/// The cost of one fused op: a producer (conv, depthwise, pool, ...) plus the elementwise ops the
/// profile's fusion rules fold into it. Times are for the whole chip running the layers' batch.
struct GroupCost {
    int firstLayer = 0;   ///< index into the layer vector (inclusive)
    int lastLayer = 0;    ///< inclusive
    int anchorLayer = 0;  ///< the producer; equals firstLayer for a lone elementwise op
    // Work per core (cores split the batch).
    double usefulMacs = 0.0;       ///< matrix-unit multiply-adds
    double issuedMacs = 0.0;       ///< on padded tiles (idle units of the last wave included)
    double vectorOps = 0.0;        ///< useful vector lane-ops
    double issuedVectorOps = 0.0;  ///< with channels padded to the lane width
    double bytes = 0.0;            ///< through memory, whole chip
    double onChipBytes = 0.0;      ///< the part of `bytes` read from on-chip memory (CMEM)
    double flops = 0.0;            ///< 2 x all MACs + elementwise ops, whole chip
    // Seconds.
    double matrixSeconds = 0.0;
    double vectorSeconds = 0.0;
    double memorySeconds = 0.0;
    double overheadSeconds = 0.0;
    double seconds = 0.0;  ///< max(matrix, vector, memory) / runtimeEfficiency + overhead
    OpClass opClass = OpClass::Elementwise;  ///< the anchor's class (the runtime's efficiency key)
    /// The explicit padding copy in front of the anchor (runtime.padCopy): reads the anchor's
    /// input and writes it padded; no compute.
    bool padCopy = false;
    double runtimeEfficiency = 1.0;  ///< the runtime's efficiency for opClass
    // Fractions of the datasheet peak over the group's whole time.
    double matrixUtilization = 0.0;
    double vectorUtilization = 0.0;
    double memoryUtilization = 0.0;
    double operationalIntensity = 0.0;    ///< flops / bytes (roofline x)
    double achievedFlopsPerSecond = 0.0;  ///< roofline y
    Bound bound = Bound::Overhead;
};

struct NetworkPrediction {
    double latencySeconds = 0.0;  ///< one batch: fused ops one after another, plus the step cost
    double stepSeconds = 0.0;     ///< the runtime's per-pass cost (included in latencySeconds)
    double throughput = 0.0;      ///< images per second = batch / latency
    int batch = 1;
    int groups = 0;
    std::array<double, kBoundCount> secondsByBound{};  ///< indexed by Bound
};

/// How one convolution / FC lands on the matrix unit (per core), for explanations.
struct MatrixTiling {
    int64_t m = 0, k = 0, n = 0;  ///< GEMM view: rows (batch x H x W), contraction, columns
    int64_t mPadded = 0, kPadded = 0, nPadded = 0;
    int tileM = 0, tileN = 0;  ///< systolic: (m multiple, array width); tiles: the chosen tile
    int64_t tiles = 0;         ///< systolic: K x N weight tiles; tiles: output tiles
    int64_t waves = 0;         ///< tiles: rounds of output tiles over the units; systolic: 0
    double seconds = 0.0;
    double issuedMacs = 0.0;
    /// Systolic: the kernel window is folded into the contraction (K = Cin x kh x kw padded to
    /// the array as a whole, as XLA maps few-channel convs) instead of padding each window.
    bool windowFolded = false;
};
/// The matrix-unit mapping of `l` (a convolution or FC) at the layer's batch.
MatrixTiling matrixTiling(const Profile& p, const Layer& l, Dtype dtype);

/// The roofs of a profile at a precision (whole chip, datasheet peaks).
struct Roofline {
    double matrixFlopsPerSecond = 0.0;
    double vectorOpsPerSecond = 0.0;
    double bytesPerSecond = 0.0;
    double ridgeIntensity = 0.0;  ///< flops/byte where the matrix roof meets the memory roof
};
Roofline rooflineOf(const Profile& p, Dtype dtype);

/// One GroupCost per fused op, in execution order. Throws ArchError if `dtype` is unsupported.
std::vector<GroupCost> predictGroups(const Profile& p, const std::vector<Layer>& layers,
                                     Dtype dtype);

/// The same totals as predictGroups without keeping per-group results: no allocation, for the
/// search loop.
NetworkPrediction predictNetwork(const Profile& p, const std::vector<Layer>& layers, Dtype dtype);

/// Builds, expands at `batch` and predicts.
NetworkPrediction predictModel(const Profile& p, const NetworkSpec& spec, int batch, Dtype dtype);

/// Totals of a group list (same as predictNetwork on the layers the groups came from when
/// `stepSeconds` is the profile's runtime.perStepSeconds).
NetworkPrediction summarize(const std::vector<GroupCost>& groups, int batch,
                            double stepSeconds = 0.0);

}  // namespace archscope
