#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "activation.h"

namespace archscope {

/// Tensor shape in NHWC order.
struct Shape {
    int n = 1;
    int h = 1;
    int w = 1;
    int c = 1;
    int64_t elements() const { return int64_t(n) * h * w * c; }
    bool operator==(const Shape&) const = default;
};

enum class OpKind {
    Conv,              ///< regular kxk convolution (stem, fused MBConv, ResNet 3x3)
    PointwiseConv,     ///< 1x1 convolution (expand, project, head, shortcut)
    DepthwiseConv,     ///< kxk, groups == channels
    SpaceToDepthConv,  ///< learned 2x2 stride-2 convolution (EfficientNet-X)
    BatchNorm,
    Act,       ///< activation function (see Layer::activation)
    SePool,    ///< SE global average pool
    SeReduce,  ///< SE 1x1 conv with bias, on a 1x1 map
    SeExpand,
    SeSigmoid,
    SeMultiply,  ///< scales the block's feature map by the SE gate
    ResidualAdd,
    MaxPool,
    GlobalPool,
    FullyConnected,
};

std::string_view opKindName(OpKind k);
bool isConvolution(OpKind k);  ///< ops that contract over channels (matrix-unit candidates)
bool isElementwise(OpKind k);  ///< BN, activation, SE sigmoid/multiply, residual add

/// One operator of an expanded network with its exact shapes and costs at a batch size.
struct Layer {
    // User-provided on purpose: `Layer()` then runs only the member initializers below, without
    // the zero fill that value-initialization adds first (a measurable share of expandLayers).
    Layer() noexcept {}

    std::string name;  ///< e.g. "block3/expand", "stem/conv"
    OpKind kind = OpKind::Conv;
    Shape in;
    Shape out;
    int kernelH = 1;
    int kernelW = 1;
    int strideH = 1;
    int strideW = 1;
    int groups = 1;
    Activation activation = Activation::Relu;  ///< meaningful for OpKind::Act
    int64_t macs = 0;                          ///< multiply-accumulates for the whole batch
    int64_t params = 0;         ///< trainable parameters (BN scale+shift, biases included)
    int64_t inputElements = 0;  ///< activations read (both operands for add/multiply)
    int64_t outputElements = 0;
    /// TF 'SAME' padding that differs between the two sides (a stride-2 window over an even
    /// size): a PyTorch port must pad explicitly, a copy of the input (runtime.h).
    bool asymmetricPadding = false;
    int block = -1;  ///< block index, -1 for stem, -2 for head
    int stage = -1;  ///< stage (block-string) index, -1 for stem, -2 for head

    int64_t bytesRead(int dtypeBytes) const { return (inputElements + params) * dtypeBytes; }
    int64_t bytesWritten(int dtypeBytes) const { return outputElements * dtypeBytes; }
};

/// Totals of a layer list.
struct NetworkCost {
    int64_t macs = 0;
    int64_t params = 0;
    int64_t activationElements = 0;  ///< sum of layer outputs
    int layers = 0;
};

NetworkCost totalCost(const std::vector<Layer>& layers);

}  // namespace archscope
