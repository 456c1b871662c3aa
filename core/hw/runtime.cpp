#include "runtime.h"

namespace archscope {

std::string_view opClassName(OpClass c) {
    switch (c) {
        case OpClass::DenseConv:
            return "dense_conv";
        case OpClass::PointwiseConv:
            return "pointwise_conv";
        case OpClass::DepthwiseConv:
            return "depthwise_conv";
        case OpClass::Elementwise:
            return "elementwise";
        case OpClass::PoolSe:
            return "pool_se";
    }
    return "?";
}

OpClass opClassOf(const Layer& anchor) {
    switch (anchor.kind) {
        case OpKind::Conv:
        case OpKind::SpaceToDepthConv:
            return OpClass::DenseConv;
        case OpKind::PointwiseConv:
        case OpKind::FullyConnected:
            return OpClass::PointwiseConv;
        case OpKind::DepthwiseConv:
            return OpClass::DepthwiseConv;
        case OpKind::SePool:
        case OpKind::SeReduce:
        case OpKind::SeExpand:
        case OpKind::SeSigmoid:
        case OpKind::SeMultiply:
            return OpClass::PoolSe;
        case OpKind::BatchNorm:
        case OpKind::Act:
        case OpKind::ResidualAdd:
            return OpClass::Elementwise;
        default:
            return OpClass::PoolSe;  // max pool, global pool
    }
}

}  // namespace archscope
