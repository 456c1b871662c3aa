#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arch/layer.h"
#include "dtype.h"
#include "runtime.h"

namespace archscope {

/// How a convolution is laid onto the matrix unit.
enum class MatrixMapping {
    Systolic,  ///< TPU MXU: weight-stationary tiles (K x N), rows of batch*H*W stream through
    Tiles,     ///< GPU / CPU: output tiles (M x N) spread over the units in waves
};

/// Vector-unit work per element, one entry per elementwise kind (ops of one 32-bit lane).
enum class VectorOp { BatchNorm, Relu, Relu6, Swish, Sigmoid, Multiply, Add, Pool, DepthwiseMac };
inline constexpr int kVectorOpCount = 9;
/// The op's key in profile files ("vector.ops_per_element.<name>"): "bn", ..., "depthwise_mac".
std::string_view vectorOpName(VectorOp op);

struct MatrixUnitSpec {
    MatrixMapping mapping = MatrixMapping::Systolic;
    int unitsPerCore = 1;           ///< MXUs per TensorCore, SMs per GPU, cores of a CPU
    int kChannelMultiple = 1;       ///< input channels per kernel window padded to this multiple
                                    ///< (systolic: or the whole folded window, model.cpp)
    int nMultiple = 1;              ///< systolic: output channels padded to the array width
    int mMultiple = 1;              ///< systolic: streamed rows padded to this multiple
    double clockHz = 0.0;           ///< systolic: one row per cycle
    double weightLoadCycles = 0.0;  ///< systolic: cycles to load one K x N weight tile
    std::vector<std::pair<int, int>> tiles;               ///< tiles: (M, N) output tile candidates
    int tileKMultiple = 1;                                ///< tiles: K padded to this multiple
    std::array<double, kDtypeCount> peakMacsPerSecond{};  ///< whole chip; 0 = unsupported
    double efficiency = 1.0;  ///< free parameter: fraction of peak reached on full tiles
};

struct VectorUnitSpec {
    double peakOpsPerSecond = 0.0;  ///< whole chip, 32-bit lane-ops (an FMA counts once)
    int laneChannels = 1;           ///< channels (minor dimension) padded to the lane width
    std::array<double, kVectorOpCount> opsPerElement{};
    bool sharesMatrixUnits = false;  ///< CPU: the FMA units do both, so their times add
    double efficiency = 1.0;         ///< free parameter
};

struct MemorySpec {
    double bandwidthBytesPerSecond = 0.0;  ///< whole chip
    double capacityBytes = 0.0;
    double efficiency = 1.0;  ///< free parameter
    /// Share of the shorter of compute and memory time hidden under the longer: 1 = full overlap
    /// (the roofline's max), 0 = none (they add). Optional in files, default 1; calibrated CPU
    /// profiles fit it (docs/calibration.md).
    double overlap = 1.0;
    /// Optional: the rate weights stream at, whole chip (0 = bandwidthBytesPerSecond). A CPU
    /// reads activations back from cache right after writing them, but a network's weights do
    /// not stay in cache between two inferences (docs/calibration.md).
    double weightBandwidthBytesPerSecond = 0.0;
    /// Optional on-chip memory in front of the main memory (TPUv4i's CMEM): a fused op whose
    /// bytes fit in it reads the tensor the previous op wrote at the on-chip rate
    /// (docs/hw-model.md). 0 = none: every byte moves at bandwidthBytesPerSecond.
    double onChipCapacityBytes = 0.0;
    double onChipBandwidthBytesPerSecond = 0.0;  ///< whole chip
};

/// A platform as a plain value: loaded from resources/profiles/<name>.json (profile_io.h).
struct Profile {
    std::string name;         ///< short name, e.g. "tpuv3"
    std::string displayName;  ///< e.g. "Google Cloud TPU v3 (one chip)"
    std::string kind;         ///< "tpu", "gpu" or "cpu"
    std::string file;         ///< where it was loaded from
    int version = 1;          ///< bumped whenever a figure changes; stored with each evaluation
    int cores = 1;            ///< independent cores that split the batch (TPU TensorCores)
    Dtype defaultDtype = Dtype::Bf16;
    MatrixUnitSpec matrix;
    VectorUnitSpec vector;
    MemorySpec memory;
    std::vector<ProfileParameter> parameters;  ///< every hardware parameter, in file order
    /// The runtime used when none is named (--runtime): "xla", "tensorrt", "pytorch-eager".
    std::string defaultRuntime;
    /// The runtime in effect: fusion rules, per-kernel and per-step overheads, per-class
    /// efficiencies. Loading a profile applies its default runtime (or the one embedded in a
    /// calibrated file); withRuntime() (runtime_io.h) swaps it.
    Runtime runtime;

    bool supports(Dtype d) const { return matrix.peakMacsPerSecond[int(d)] > 0.0; }
    FusionRule fusionOf(OpKind k) const { return runtime.fusionOf(k); }
    /// "tpuv3 v1 + xla v1": what predicted a figure.
    std::string predictorLabel() const;
};

/// The parameters a calibration step may fit (efficiencies and overheads), by dotted name.
const std::vector<std::string>& freeParameterNames();
double freeParameter(const Profile& p, std::string_view name);
/// Sets a free parameter (efficiency in (0, 1]: a fraction of peak; overhead in microseconds >= 0).
/// Throws ArchError for an unknown name or a value out of range.
void setFreeParameter(Profile& p, std::string_view name, double value);

/// Whether a parameter name belongs to the runtime (overhead.*, efficiency.*, fusion.*) rather
/// than to the hardware; runtime parameters live in Profile::runtime.parameters.
bool isRuntimeParameter(std::string_view name);
/// The parameter list that records `name`: the runtime's or the profile's.
std::vector<ProfileParameter>& parametersHolding(Profile& p, std::string_view name);

/// Throws ArchError (naming the profile file) when the profile cannot run `dtype`.
void requireDtype(const Profile& p, Dtype dtype);

}  // namespace archscope
