#include "layer.h"

#include "error.h"

namespace archscope {

std::string_view opKindName(OpKind k) {
    switch (k) {
        case OpKind::Conv:
            return "conv";
        case OpKind::PointwiseConv:
            return "conv1x1";
        case OpKind::DepthwiseConv:
            return "dwconv";
        case OpKind::SpaceToDepthConv:
            return "s2d-conv";
        case OpKind::BatchNorm:
            return "bn";
        case OpKind::Act:
            return "act";
        case OpKind::SePool:
            return "se-pool";
        case OpKind::SeReduce:
            return "se-reduce";
        case OpKind::SeExpand:
            return "se-expand";
        case OpKind::SeSigmoid:
            return "se-sigmoid";
        case OpKind::SeMultiply:
            return "se-mul";
        case OpKind::ResidualAdd:
            return "add";
        case OpKind::MaxPool:
            return "maxpool";
        case OpKind::GlobalPool:
            return "avgpool";
        case OpKind::FullyConnected:
            return "fc";
    }
    return "?";
}

bool isConvolution(OpKind k) {
    switch (k) {
        case OpKind::Conv:
        case OpKind::PointwiseConv:
        case OpKind::SpaceToDepthConv:
        case OpKind::SeReduce:
        case OpKind::SeExpand:
        case OpKind::FullyConnected:
            return true;
        default:
            return false;
    }
}

bool isElementwise(OpKind k) {
    switch (k) {
        case OpKind::BatchNorm:
        case OpKind::Act:
        case OpKind::SeSigmoid:
        case OpKind::SeMultiply:
        case OpKind::ResidualAdd:
            return true;
        default:
            return false;
    }
}

NetworkCost totalCost(const std::vector<Layer>& layers) {
    NetworkCost c;
    for (const auto& l : layers) {
        // expandLayers() caps its totals; a hand-made layer list is checked here all the same.
        if (__builtin_add_overflow(c.macs, l.macs, &c.macs) ||
            __builtin_add_overflow(c.params, l.params, &c.params) ||
            __builtin_add_overflow(c.activationElements, l.outputElements, &c.activationElements)) {
            throw ArchError("the total cost of " + std::to_string(layers.size()) +
                            " layers overflows a 64-bit count");
        }
    }
    c.layers = static_cast<int>(layers.size());
    return c;
}

}  // namespace archscope
