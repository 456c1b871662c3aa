#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "arch/layer.h"
#include "hw/model.h"

namespace archscope {

/// The unit a Bound stands for on this platform, in its own words: "MXU" / "VPU" / "HBM" on a
/// TPU, "Tensor Cores" / "CUDA cores" / "memory" on a GPU, "FMA units" / "vector units" /
/// "memory" on a CPU; "overhead" everywhere.
std::string unitName(const Profile& profile, Bound bound);

/// One block of a network as a chain of blocks shows it: the stem, each block, the head.
struct BlockSummary {
    std::string label;  ///< "stem", "block 4" (0-based, as the IR's "block4/..."), "head"
    int block = -1;     ///< Layer::block: -1 stem, -2 head
    int stage = -1;     ///< Layer::stage
    std::string ops;    ///< the block's convolutions in order: "1×1 → dw 5×5 → SE → 1×1"
    Shape in, out;
    int64_t macs = 0;
    int64_t params = 0;
    /// Predicted seconds of the fused ops whose producer lies in the block, split by what bounds
    /// each op (so the parts add up to `seconds`).
    std::array<double, kBoundCount> secondsByBound{};
    double seconds = 0.0;
    Bound bound = Bound::Overhead;  ///< the Bound holding the most of `seconds`
};

/// The blocks of `layers` in execution order with the predicted `groups` (predictGroups on the
/// same layers) assigned by their anchor layer.
std::vector<BlockSummary> summarizeBlocks(const std::vector<Layer>& layers,
                                          const std::vector<GroupCost>& groups);

}  // namespace archscope
