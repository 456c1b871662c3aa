#pragma once

#include <string>
#include <vector>

#include "activation.h"
#include "blockstring.h"

namespace archscope {

/// Width/depth/resolution scaling of a base network (EfficientNet compound scaling, or LACS).
struct ScalingParams {
    double width = 1.0;
    double depth = 1.0;
    int resolution = 224;
    double dropout = 0.2;
    double seCoefficient = 0.0;  ///< EfficientNet-X SE coefficient; 0 means none (factor 1)
    bool operator==(const ScalingParams&) const = default;
};

struct StemSpec {
    int filters = 32;  ///< before width scaling
    int kernel = 3;
    int stride = 2;
    bool maxPool = false;  ///< a 3x3/s2 max pool after the stem (ResNet)
    bool operator==(const StemSpec&) const = default;
};

/// A network as a person writes it: block strings + scaling + stem/head. Users save and share
/// this (see json.h); everything else is derived from it.
struct NetworkSpec {
    std::string name;
    std::vector<BlockArgs> blocks;
    ScalingParams scaling;
    Activation defaultActivation = Activation::Swish;
    StemSpec stem;
    int headFilters = 1280;  ///< before width scaling; 0 = no 1x1 head conv (ResNet)
    int numClasses = 1000;
    int inputChannels = 3;
    int depthDivisor = 8;
    bool operator==(const NetworkSpec&) const = default;
};

/// One block instance after scaling, repeat expansion and space-to-depth bookkeeping, exactly as
/// the TensorFlow reference builds it (efficientnet_model.Model._build).
struct Block {
    int index = 0;   ///< 0-based over all blocks of the network
    int stage = 0;   ///< index of the block string it came from
    int repeat = 0;  ///< index within its stage
    BlockType type = BlockType::MBConv;
    int inChannels = 0;  ///< channels actually entering the block
    int nominalIn = 0;   ///< the block args' input filters: expansion and SE derive from it
    int outChannels = 0;
    int expandRatio = 1;
    int kernel = 3;
    int strideH = 1;
    int strideW = 1;
    double seRatio = 0.0;  ///< 0 = no SE
    int seReduced = 0;     ///< SE bottleneck width
    int spaceToDepth = 0;  ///< 1: starts with a 2x2/s2 conv to nominalIn channels
    Activation activation = Activation::Swish;
    bool idSkip = true;

    /// buildNetwork() keeps this within kMaxChannels.
    int expandedChannels() const { return nominalIn * expandRatio; }
    int bottleneckMid() const { return outChannels / expandRatio; }
    bool hasResidual() const {
        return idSkip && strideH == 1 && strideW == 1 && inChannels == outChannels;
    }
};

struct Network {
    NetworkSpec spec;
    int resolution = 224;
    int stemChannels = 32;
    std::vector<Block> blocks;
    int headChannels = 1280;     ///< 0 if no head conv
    int featureChannels = 1280;  ///< channels entering the classifier

    const std::string& name() const { return spec.name; }
};

/// Caps on what a network may ask for. Past them a network stops being a real architecture
/// and its costs leave 64-bit counts (or its layer list leaves memory); each error names the cap.
inline constexpr int kMaxChannels = 1 << 24;  ///< any layer's channels, after scaling
inline constexpr int kMaxBlocks = 4096;       ///< block instances after depth scaling
inline constexpr int kMaxResolution = 4096;   ///< input pixels per side
inline constexpr int kMinResolution = 8;
inline constexpr int kMaxKernel = 31;  ///< stem and block kernels
inline constexpr int kMaxStemStride = 16;
inline constexpr int kMaxSpecFilters = 1 << 20;  ///< stem/head filters and classes, unscaled
inline constexpr int kMaxInputChannels = 1 << 16;
inline constexpr int kMaxDepthDivisor = 1024;
inline constexpr double kMaxMultiplier = 100.0;  ///< width, depth and SE coefficient
inline constexpr int kMaxBatch = 1 << 16;
/// The one default batch of every command and view: archscope-cli's --batch, search, LACS and
/// sweep runs, measurement, and the GUI's platform row. Batch 1 is the latency of one image: the
/// figure a user can measure on every device (a CPU takes minutes per pass at batch 128) and what
/// "latency" means in the CLI's tables. Throughput questions set a batch explicitly (--batch, the
/// GUI's --batch or spin box); every table, plot title and stored evaluation names its batch.
inline constexpr int kDefaultBatch = 1;
/// Network totals (MACs, params, activations, bytes at 8 bytes an element) stay below this.
inline constexpr int64_t kMaxCost = int64_t(1) << 60;

/// `filters` x `width`, rounded to a multiple of `divisor` as the reference does. Throws
/// ArchError when the result passes kMaxChannels or the divisor is < 1.
int roundFilters(int filters, double width, int divisor = 8);
int roundRepeats(int repeats, double depth);

/// Resolves a spec into concrete blocks. Throws ArchError when the spec cannot be built.
Network buildNetwork(const NetworkSpec& spec);

}  // namespace archscope
