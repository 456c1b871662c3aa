#include "network.h"

#include <algorithm>
#include <cmath>

#include "error.h"

namespace archscope {

int roundFilters(int filters, double width, int divisor) {
    if (width == 0.0) return filters;
    double f = filters * width;
    int rounded = std::max(divisor, static_cast<int>(f + divisor / 2.0) / divisor * divisor);
    // Round-down must not lose more than 10% (reference implementation).
    if (rounded < 0.9 * f) rounded += divisor;
    return rounded;
}

int roundRepeats(int repeats, double depth) {
    if (depth == 0.0) return repeats;
    return static_cast<int>(std::ceil(depth * repeats));
}

namespace {

void validate(const NetworkSpec& spec) {
    const auto& s = spec.scaling;
    auto bad = [&](const std::string& what) {
        throw ArchError("network \"" + spec.name + "\": " + what);
    };
    if (spec.blocks.empty()) bad("has no blocks; add at least one block string");
    if (!(s.width > 0.0) || s.width > 100.0) bad("width multiplier must be in (0, 100]");
    if (!(s.depth > 0.0) || s.depth > 100.0) bad("depth multiplier must be in (0, 100]");
    if (s.resolution < 8 || s.resolution > 4096) bad("resolution must be in [8, 4096] pixels");
    if (s.dropout < 0.0 || s.dropout >= 1.0) bad("dropout must be in [0, 1)");
    if (s.seCoefficient < 0.0) bad("SE coefficient must be >= 0");
    if (spec.numClasses < 1) bad("needs at least one class");
    if (spec.inputChannels < 1) bad("needs at least one input channel");
    if (spec.stem.filters < 1 || spec.stem.kernel < 1 || spec.stem.stride < 1) {
        bad("stem filters, kernel and stride must be >= 1");
    }
    if (spec.headFilters < 0) bad("head filters must be >= 0 (0 = no head conv)");
    if (spec.depthDivisor < 1) bad("depth divisor must be >= 1");
}

int seReducedFilters(int nominalIn, double seRatio, double seCoefficient, int spaceToDepth) {
    double coefficient = seCoefficient > 0.0 ? seCoefficient : 1.0;
    int reduced = static_cast<int>(nominalIn * (seRatio * coefficient));
    // The SE ratio refers to the depth before space-to-depth multiplied it by 4.
    if (spaceToDepth == 1) reduced /= 4;
    return std::max(1, reduced);
}

}  // namespace

// Long (~80 lines) to read like the reference builder it reproduces, one rule after another.
Network buildNetwork(const NetworkSpec& spec) {
    validate(spec);
    Network net;
    net.spec = spec;
    const ScalingParams& sc = spec.scaling;
    net.resolution = sc.resolution;
    net.stemChannels = roundFilters(spec.stem.filters, sc.width, spec.depthDivisor);

    int channels = net.stemChannels;
    for (size_t stage = 0; stage < spec.blocks.size(); ++stage) {
        BlockArgs args = spec.blocks[stage];
        const int inFilters = roundFilters(args.inFilters, sc.width, spec.depthDivisor);
        const int outFilters = roundFilters(args.outFilters, sc.width, spec.depthDivisor);
        const int repeats = roundRepeats(args.repeats, sc.depth);

        Block b;
        b.stage = static_cast<int>(stage);
        b.type = args.type;
        b.nominalIn = inFilters;
        b.outChannels = outFilters;
        b.expandRatio = args.expand;
        b.kernel = args.kernel;
        b.strideH = args.strideH;
        b.strideW = args.strideW;
        b.seRatio = args.hasSe() ? *args.seRatio : 0.0;
        b.spaceToDepth = args.spaceToDepth;
        b.activation = args.activation.value_or(spec.defaultActivation);
        b.idSkip = args.idSkip;

        auto emit = [&](Block blk) {
            blk.index = static_cast<int>(net.blocks.size());
            blk.inChannels = channels;
            blk.seReduced = blk.seRatio > 0.0 ? seReducedFilters(blk.nominalIn, blk.seRatio,
                                                                 sc.seCoefficient, blk.spaceToDepth)
                                              : 0;
            if (blk.type == BlockType::Bottleneck && blk.outChannels % blk.expandRatio != 0) {
                throw ArchError("network \"" + spec.name + "\" stage " + std::to_string(stage) +
                                ": bottleneck output filters not divisible by the ratio e");
            }
            net.blocks.push_back(blk);
            channels = blk.outChannels;
        };

        if (args.spaceToDepth == 0) {
            emit(b);
        } else {
            // Space-to-depth: filters x depth_factor, kernel halved (rounded up).
            const int depthFactor = static_cast<int>(4.0 / args.strideH / args.strideW);
            if (depthFactor < 1) {
                throw ArchError("network \"" + spec.name + "\" stage " + std::to_string(stage) +
                                ": space-to-depth needs strides of at most 2x2");
            }
            b.nominalIn = inFilters * depthFactor;
            b.outChannels = outFilters * depthFactor;
            if (depthFactor > 1) b.kernel = (args.kernel + 1) / 2;
            if (args.strideH == 2 && args.strideW == 2) {
                // The s2d domain already consumed this stride; space-to-depth stops here.
                b.strideH = b.strideW = 1;
                emit(b);
                b.spaceToDepth = 0;
                b.nominalIn = inFilters;
                b.outChannels = outFilters;
                b.kernel = args.kernel;
            } else if (args.spaceToDepth == 1) {
                emit(b);
                b.spaceToDepth = 2;
            } else {
                emit(b);
            }
        }
        for (int r = 1; r < repeats; ++r) {
            b.repeat = r;
            b.nominalIn = b.outChannels;
            b.strideH = b.strideW = 1;
            emit(b);
        }
    }
    net.headChannels =
        spec.headFilters > 0 ? roundFilters(spec.headFilters, sc.width, spec.depthDivisor) : 0;
    net.featureChannels = net.headChannels > 0 ? net.headChannels : channels;
    return net;
}

}  // namespace archscope
