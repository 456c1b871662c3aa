#pragma once
// Which weights a weight-sharing supernet holds for a search space, and which of them a candidate
// uses. Plain C++ (no torch): the layout is computed from resolved networks, so it is tested
// without LibTorch and the supernet module (supernet.cpp) only allocates what it describes.

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>
#include <vector>

#include "arch/network.h"
#include "search/space.h"

namespace archscope {

/// One block position of the supernet and the structural regime of the block there. Choices
/// that change tensor shapes only (kernel, expansion, filters) share one weight tensor, sliced;
/// choices that change the block's structure (MBConv vs fused, space-to-depth, stride) get a
/// branch of their own.
struct SupernetSlotKey {
    int stage = 0;
    int repeat = 0;
    BlockType type = BlockType::MBConv;
    int spaceToDepth = 0;  ///< of the resolved block: 0, 1 (starts with a 2x2/s2 conv) or 2
    int stride = 1;        ///< of the resolved block's main conv
    auto operator<=>(const SupernetSlotKey&) const = default;
    /// "s3.r0.mbconv.d0.s2": the prefix of the slot's parameter names.
    std::string name() const;
};

/// What one slot must hold: the largest of every dimension over the space, and the values that
/// occur (a candidate asking for one that never occurs would use untrained weights).
struct SupernetSlot {
    int maxIn = 0;         ///< channels entering the block
    int maxNominalIn = 0;  ///< channels after the space-to-depth conv (= in without one)
    int maxExpanded = 0;
    int maxOut = 0;
    int maxKernel = 0;
    int maxSeReduced = 0;        ///< 0: no candidate has SE here
    bool anyExpandConv = false;  ///< some MBConv here has expansion > 1
    std::set<int> kernels, ins, expandeds, outs, seReduceds;
};

/// The whole layout: the fixed stem and head of the proxy-scale space, and the slots.
struct SupernetLayout {
    int inputChannels = 1;
    int numClasses = 10;
    int stemChannels = 0;
    int stemKernel = 3;
    int stemStride = 1;
    Activation stemActivation = Activation::Swish;
    int headChannels = 0;  ///< 0: no head conv
    int maxLastOut = 0;    ///< widest last stage (the head conv's input)
    std::map<SupernetSlotKey, SupernetSlot> slots;
};

/// The candidate network at the supernet's proxy scale (proxySpec), resolved.
Network supernetPath(const NetworkSpec& candidate, int resolution, double widthMultiplier,
                     int stemStride, int inputChannels, int numClasses);

/// The slot a resolved block runs in.
SupernetSlotKey slotKeyOf(const Block& b);

/// Collects the layout from `samples` random candidates of the space (with the portable
/// SplitMix64, so the same seed gives the same layout everywhere) plus the base candidate and
/// every single-choice variation of it. Every marginal choice of every stage occurs among them.
SupernetLayout collectSupernetLayout(const SearchSpace& space, int resolution,
                                     double widthMultiplier, int stemStride, int inputChannels,
                                     int numClasses, int samples, uint64_t seed);

/// Throws ArchError naming the network, the block and the dimension when `path` does not run in
/// `layout` (a block outside the space, a width the supernet never trained, another stem/head).
void checkPathInLayout(const Network& path, const SupernetLayout& layout);

nlohmann::json supernetLayoutSummary(const SupernetLayout& layout);

}  // namespace archscope
