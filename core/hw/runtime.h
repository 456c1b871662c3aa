#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "arch/layer.h"

namespace archscope {

/// Where an elementwise op goes in the fused program (the runtime's fusion rules).
enum class FusionRule {
    None,      ///< its own kernel: reads and writes memory, pays the fixed overhead
    Producer,  ///< folds into the op that produced its input (conv epilogue)
    Consumer,  ///< folds into the next non-elementwise op (applied while reading its input)
};

inline constexpr int kOpKindCount = int(OpKind::FullyConnected) + 1;

/// The elementwise ops a runtime states a fusion rule for, by their key in files ("fusion.bn").
inline constexpr std::pair<const char*, OpKind> kFusionKeys[] = {{"bn", OpKind::BatchNorm},
                                                                 {"act", OpKind::Act},
                                                                 {"se-sigmoid", OpKind::SeSigmoid},
                                                                 {"se-mul", OpKind::SeMultiply},
                                                                 {"add", OpKind::ResidualAdd}};

/// The classes of kernels whose efficiency a runtime states: what fraction of the roofline
/// (the largest of matrix, vector and memory time) its kernels of that class reach.
enum class OpClass {
    DenseConv,      ///< kxk convolutions: stem, fused MBConv, space-to-depth, ResNet 3x3
    PointwiseConv,  ///< 1x1 convolutions (expand, project, head) and the FC layer
    DepthwiseConv,
    Elementwise,  ///< a BN, activation or residual add running as its own kernel
    PoolSe,       ///< pooling and the squeeze-and-excitation ops (pool, 1x1 convs, gate)
};
inline constexpr int kOpClassCount = 5;
std::string_view opClassName(OpClass c);  ///< "dense_conv", "pointwise_conv", ...
/// The class of a fused op, from its anchor (producer) layer.
OpClass opClassOf(const Layer& anchor);

/// One parameter as a file states it, kept so every figure can show where it came from.
struct ProfileParameter {
    std::string path;   ///< e.g. "memory.bandwidth"
    std::string value;  ///< as written (number or rule)
    std::string unit;
    std::string source;  ///< the source, or the assumption's reason
    bool assumption = false;
};

/// The software that runs a network on a platform: which elementwise ops it fuses into their
/// producer, what each kernel and each forward pass cost beyond the hardware's work, and the
/// fraction of the roofline each class of kernel reaches. A profile describes the hardware; a
/// runtime describes XLA, TensorRT or PyTorch eager on it. Loaded from resources/runtimes
/// (runtime_io.h) for one kind of platform (tpu, gpu, cpu).
struct Runtime {
    std::string name;         ///< "xla", "tensorrt", "pytorch-eager"
    std::string displayName;  ///< e.g. "PyTorch eager (one kernel per op)"
    std::string kind;         ///< the platform kind these figures are for
    std::string file;         ///< where it was loaded from ("inline in <profile>" if embedded)
    int version = 1;          ///< bumped whenever a figure changes; stored with each evaluation
    std::array<FusionRule, kOpKindCount> fusion{};  ///< indexed by OpKind; elementwise ops only
    double perGroupSeconds = 0.0;  ///< fixed cost of every fused op (ramp-up, tail, dispatch)
    double perKernelLaunchSeconds = 0.0;  ///< launch gap per fused op (GPU)
    double perStepSeconds = 0.0;          ///< once per forward pass (framework entry, graph launch)
    std::array<double, kOpClassCount> efficiency{1.0, 1.0, 1.0, 1.0, 1.0};  ///< by OpClass
    /// Whether an asymmetric 'SAME' padding (Layer::asymmetricPadding) costs a copy of the
    /// convolution's input: PyTorch has no such padding mode, so a port of a TF network pads
    /// explicitly (F.pad) before the convolution; XLA and TensorRT fold it into the kernel.
    bool padCopy = false;
    std::vector<ProfileParameter> parameters;  ///< every parameter, paths as in the file

    FusionRule fusionOf(OpKind k) const { return fusion[int(k)]; }
    double efficiencyOf(OpClass c) const { return efficiency[int(c)]; }
};

}  // namespace archscope
