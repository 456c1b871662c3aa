#include "layer.h"

namespace archscope {

std::string_view opKindName(OpKind k) {
    switch (k) {
        case OpKind::Conv: return "conv";
        case OpKind::PointwiseConv: return "conv1x1";
        case OpKind::DepthwiseConv: return "dwconv";
        case OpKind::SpaceToDepthConv: return "s2d-conv";
        case OpKind::BatchNorm: return "bn";
        case OpKind::Act: return "act";
        case OpKind::SePool: return "se-pool";
        case OpKind::SeReduce: return "se-reduce";
        case OpKind::SeExpand: return "se-expand";
        case OpKind::SeSigmoid: return "se-sigmoid";
        case OpKind::SeMultiply: return "se-mul";
        case OpKind::ResidualAdd: return "add";
        case OpKind::MaxPool: return "maxpool";
        case OpKind::GlobalPool: return "avgpool";
        case OpKind::FullyConnected: return "fc";
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
        case OpKind::FullyConnected: return true;
        default: return false;
    }
}

bool isElementwise(OpKind k) {
    switch (k) {
        case OpKind::BatchNorm:
        case OpKind::Act:
        case OpKind::SeSigmoid:
        case OpKind::SeMultiply:
        case OpKind::ResidualAdd: return true;
        default: return false;
    }
}

NetworkCost totalCost(const std::vector<Layer>& layers) {
    NetworkCost c;
    for (const auto& l : layers) {
        c.macs += l.macs;
        c.params += l.params;
        c.activationElements += l.outputElements;
    }
    c.layers = static_cast<int>(layers.size());
    return c;
}

}  // namespace archscope
