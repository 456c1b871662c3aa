#include "hw/blocksummary.h"

#include <algorithm>
#include <map>

namespace archscope {
namespace {

/// A convolution's short name, or empty for ops the chain does not name (BN, activations...).
std::string opWord(const Layer& l) {
    const std::string k = std::to_string(l.kernelH) + "×" + std::to_string(l.kernelW);
    switch (l.kind) {
        case OpKind::Conv:
            return "conv " + k;
        case OpKind::PointwiseConv:
            return "1×1";
        case OpKind::DepthwiseConv:
            return "dw " + k;
        case OpKind::SpaceToDepthConv:
            return "s2d " + k;
        case OpKind::SeReduce:
            return "SE";
        case OpKind::MaxPool:
            return "maxpool " + k;
        case OpKind::GlobalPool:
            return "pool";
        case OpKind::FullyConnected:
            return "FC";
        default:
            return {};
    }
}

}  // namespace

std::string unitName(const Profile& profile, Bound bound) {
    const bool tpu = profile.kind == "tpu", gpu = profile.kind == "gpu";
    switch (bound) {
        case Bound::Matrix:
            return tpu ? "MXU" : gpu ? "Tensor Cores" : "FMA units";
        case Bound::Vector:
            return tpu ? "VPU" : gpu ? "CUDA cores" : "vector units";
        case Bound::Memory:
            return tpu ? "HBM" : "memory";
        case Bound::Overhead:
            break;
    }
    return "overhead";
}

std::vector<BlockSummary> summarizeBlocks(const std::vector<Layer>& layers,
                                          const std::vector<GroupCost>& groups) {
    std::vector<BlockSummary> out;
    std::map<int, size_t> index;  // Layer::block -> position in `out`
    for (const Layer& l : layers) {
        auto [it, added] = index.try_emplace(l.block, out.size());
        if (added) {
            BlockSummary b;
            b.block = l.block;
            b.stage = l.stage;
            b.label = l.block == -1   ? "stem"
                      : l.block == -2 ? "head"
                                      : "block " + std::to_string(l.block);
            b.in = l.in;
            out.push_back(b);
        }
        BlockSummary& b = out[it->second];
        b.out = l.out;
        b.macs += l.macs;
        b.params += l.params;
        if (const std::string word = opWord(l); !word.empty())
            b.ops += (b.ops.empty() ? "" : " → ") + word;
    }
    for (const GroupCost& g : groups) {
        if (g.anchorLayer < 0 || size_t(g.anchorLayer) >= layers.size()) continue;
        BlockSummary& b = out[index.at(layers[size_t(g.anchorLayer)].block)];
        b.secondsByBound[size_t(g.bound)] += g.seconds;
        b.seconds += g.seconds;
    }
    for (BlockSummary& b : out)
        b.bound = Bound(std::max_element(b.secondsByBound.begin(), b.secondsByBound.end()) -
                        b.secondsByBound.begin());
    return out;
}

}  // namespace archscope
