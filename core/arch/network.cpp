#include "network.h"

#include <algorithm>
#include <cmath>

#include "error.h"

namespace archscope {

int roundFilters(int filters, double width, int divisor) {
    if (divisor < 1) throw ArchError("depth divisor must be >= 1, got " + std::to_string(divisor));
    if (width == 0.0) return filters;
    const double f = double(filters) * width;
    // Computed in 64 bits, checked before it becomes an int (no wrap-around).
    if (!(f >= 0.0) || f > double(kMaxChannels)) {
        throw ArchError(std::to_string(filters) + " filters x width " + std::to_string(width) +
                        " is over the cap of " + std::to_string(kMaxChannels) + " channels");
    }
    const int64_t d = divisor;
    int64_t rounded = std::max<int64_t>(d, int64_t(f + double(d) / 2.0) / d * d);
    // Round-down must not lose more than 10% (reference implementation).
    if (double(rounded) < 0.9 * f) rounded += d;
    if (rounded > kMaxChannels) {
        throw ArchError(std::to_string(filters) + " filters x width " + std::to_string(width) +
                        " rounded to a multiple of " + std::to_string(divisor) +
                        " is over the cap of " + std::to_string(kMaxChannels) + " channels");
    }
    return int(rounded);
}

int roundRepeats(int repeats, double depth) {
    if (depth == 0.0) return repeats;
    const double r = std::ceil(depth * double(repeats));
    if (!(r >= 0.0) || r > double(kMaxBlocks)) {
        throw ArchError(std::to_string(repeats) + " repeats x depth " + std::to_string(depth) +
                        " is over the cap of " + std::to_string(kMaxBlocks) + " blocks");
    }
    return int(r);
}

namespace {

void validate(const NetworkSpec& spec) {
    const auto& s = spec.scaling;
    auto bad = [&](const std::string& what) {
        throw ArchError("network \"" + spec.name + "\": " + what);
    };
    const auto range = [](auto lo, auto hi) {
        return " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    };
    if (spec.blocks.empty()) bad("has no blocks; add at least one block string");
    if (spec.blocks.size() > size_t(kMaxBlocks)) {
        bad("has " + std::to_string(spec.blocks.size()) + " block strings; the cap is " +
            std::to_string(kMaxBlocks));
    }
    if (!(s.width > 0.0) || s.width > kMaxMultiplier) bad("width multiplier must be in (0, 100]");
    if (!(s.depth > 0.0) || s.depth > kMaxMultiplier) bad("depth multiplier must be in (0, 100]");
    if (s.resolution < kMinResolution || s.resolution > kMaxResolution) {
        bad("resolution" + range(kMinResolution, kMaxResolution) + " pixels");
    }
    if (!(s.dropout >= 0.0) || s.dropout >= 1.0) bad("dropout must be in [0, 1)");
    if (!(s.seCoefficient >= 0.0) || s.seCoefficient > kMaxMultiplier) {
        bad("SE coefficient must be in [0, 100]");
    }
    if (spec.numClasses < 1 || spec.numClasses > kMaxSpecFilters) {
        bad("classes" + range(1, kMaxSpecFilters));
    }
    if (spec.inputChannels < 1 || spec.inputChannels > kMaxInputChannels) {
        bad("input channels" + range(1, kMaxInputChannels));
    }
    if (spec.stem.filters < 1 || spec.stem.filters > kMaxSpecFilters) {
        bad("stem filters" + range(1, kMaxSpecFilters));
    }
    if (spec.stem.kernel < 1 || spec.stem.kernel > kMaxKernel) {
        bad("stem kernel" + range(1, kMaxKernel));
    }
    if (spec.stem.stride < 1 || spec.stem.stride > kMaxStemStride) {
        bad("stem stride" + range(1, kMaxStemStride));
    }
    if (spec.headFilters < 0 || spec.headFilters > kMaxSpecFilters) {
        bad("head filters" + range(0, kMaxSpecFilters) + " (0 = no head conv)");
    }
    if (spec.depthDivisor < 1 || spec.depthDivisor > kMaxDepthDivisor) {
        bad("depth divisor" + range(1, kMaxDepthDivisor));
    }
}

int seReducedFilters(int nominalIn, double seRatio, double seCoefficient, int spaceToDepth) {
    double coefficient = seCoefficient > 0.0 ? seCoefficient : 1.0;
    const double r = double(nominalIn) * (seRatio * coefficient);
    if (r > double(kMaxChannels)) {
        throw ArchError("SE width " + std::to_string(r) + " is over the cap of " +
                        std::to_string(kMaxChannels) + " channels");
    }
    int reduced = static_cast<int>(r);
    // The SE ratio refers to the depth before space-to-depth multiplied it by 4.
    if (spaceToDepth == 1) reduced /= 4;
    return std::max(1, reduced);
}

Network buildValidated(const NetworkSpec& spec);

}  // namespace

// Long (~80 lines) to read like the reference builder it reproduces, one rule after another.
Network buildNetwork(const NetworkSpec& spec) {
    validate(spec);
    try {
        return buildValidated(spec);
    } catch (const ArchError& e) {
        throw ArchError("network \"" + spec.name + "\": " + e.what());
    }
}

namespace {

// Long (~90 lines): the reference's build order, one check after another, each naming its cap.
Network buildValidated(const NetworkSpec& spec) {
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
            if (net.blocks.size() >= size_t(kMaxBlocks)) {
                throw ArchError("has over " + std::to_string(kMaxBlocks) +
                                " blocks after depth scaling (the cap)");
            }
            if (int64_t(blk.nominalIn) * blk.expandRatio > kMaxChannels ||
                blk.outChannels > kMaxChannels) {
                throw ArchError("stage " + std::to_string(stage) + ": " +
                                std::to_string(blk.nominalIn) + " channels x expansion " +
                                std::to_string(blk.expandRatio) + " is over the cap of " +
                                std::to_string(kMaxChannels) + " channels");
            }
            blk.index = static_cast<int>(net.blocks.size());
            blk.inChannels = channels;
            blk.seReduced = blk.seRatio > 0.0 ? seReducedFilters(blk.nominalIn, blk.seRatio,
                                                                 sc.seCoefficient, blk.spaceToDepth)
                                              : 0;
            if (blk.type == BlockType::Bottleneck && blk.outChannels % blk.expandRatio != 0) {
                throw ArchError("stage " + std::to_string(stage) +
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
                throw ArchError("stage " + std::to_string(stage) +
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

}  // namespace

}  // namespace archscope
