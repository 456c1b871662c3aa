#pragma once
// LibTorch modules of the IR's building blocks. Private to core/torch/*.cpp: it includes
// <torch/torch.h>, which nothing else in the project may see.

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../options.h"
#include "../torchnetwork.h"
#include "arch/network.h"

namespace archscope::torchnet {

/// TensorFlow 'SAME' padding: the output is ceil(in / stride); an odd total pad puts the extra
/// row/column at the bottom/right.
struct SamePadding {
    int64_t top = 0, bottom = 0, left = 0, right = 0;
    bool symmetric() const { return top == bottom && left == right; }
};
SamePadding samePadding(int64_t inH, int64_t inW, int64_t kernelH, int64_t kernelW, int64_t strideH,
                        int64_t strideW);

/// Applies `a`; in place where no gradient is recorded (inference).
torch::Tensor activate(torch::Tensor x, Activation a);

/// Sees the output of every activate() call on its thread while installed: the NASWOT zero-cost
/// score (zero_cost.cpp) reads activation codes through it, since LibTorch has no forward hooks.
using ActivationObserver = std::function<void(const torch::Tensor& activated)>;
/// Installs an observer on this thread for the guard's lifetime (restoring the previous one).
class ScopedActivationObserver {
public:
    explicit ScopedActivationObserver(ActivationObserver observer);
    ~ScopedActivationObserver();
    ScopedActivationObserver(const ScopedActivationObserver&) = delete;
    ScopedActivationObserver& operator=(const ScopedActivationObserver&) = delete;

private:
    ActivationObserver m_observer;
    ActivationObserver* m_previous = nullptr;
};

struct ConvBnActOptions {
    ConvBnActOptions(int64_t in, int64_t out, int64_t kernel)
        : in_(in), out_(out), kernel_(kernel) {}
    TORCH_ARG(int64_t, in);
    TORCH_ARG(int64_t, out);
    TORCH_ARG(int64_t, kernel);
    TORCH_ARG(int64_t, strideH) = 1;
    TORCH_ARG(int64_t, strideW) = 1;
    TORCH_ARG(int64_t, groups) = 1;
    TORCH_ARG(int64_t, inputH) = 1;  ///< input size, for 'SAME' padding
    TORCH_ARG(int64_t, inputW) = 1;
    TORCH_ARG(std::optional<Activation>, activation) = std::nullopt;
};

/// Convolution (no bias) + BatchNorm + optional activation, with TF 'SAME' padding.
class ConvBnActImpl : public torch::nn::Module {
public:
    explicit ConvBnActImpl(const ConvBnActOptions& options);
    torch::Tensor forward(torch::Tensor x);
    int64_t outputH() const;
    int64_t outputW() const;

    ConvBnActOptions options;

private:
    torch::nn::Conv2d m_conv{nullptr};
    torch::nn::BatchNorm2d m_bn{nullptr};
    std::vector<int64_t> m_explicitPad;  ///< F::pad order {left, right, top, bottom}; empty if none
};
TORCH_MODULE(ConvBnAct);

/// Squeeze-and-excitation: global pool, 1x1 reduce (bias), activation, 1x1 expand (bias),
/// sigmoid gate multiplied into the feature map.
class SqueezeExciteImpl : public torch::nn::Module {
public:
    SqueezeExciteImpl(int64_t channels, int64_t reduced, Activation activation);
    torch::Tensor forward(torch::Tensor x);

private:
    torch::nn::Conv2d m_reduce{nullptr};
    torch::nn::Conv2d m_expand{nullptr};
    Activation m_activation;
};
TORCH_MODULE(SqueezeExcite);

/// One named step of a network; the network runs its stages in order, and the measurement
/// times them one by one for the per-layer figures.
class StageImpl : public torch::nn::Module {
public:
    virtual torch::Tensor forward(torch::Tensor x) = 0;
};

/// Where a stage leaves the tensor: channels and spatial size, tracked while building.
struct FeatureSize {
    int64_t channels = 0;
    int64_t h = 0;
    int64_t w = 0;
};

class StemImpl : public StageImpl {
public:
    StemImpl(const Network& net, FeatureSize& size);
    torch::Tensor forward(torch::Tensor x) override;

private:
    ConvBnAct m_conv{nullptr};
    bool m_maxPool = false;
    SamePadding m_poolPad;
};

/// MBConv and fused MBConv, with the optional space-to-depth 2x2 conv first (EfficientNet-X).
class MBConvBlockImpl : public StageImpl {
public:
    MBConvBlockImpl(const Block& block, FeatureSize& size);
    torch::Tensor forward(torch::Tensor x) override;

private:
    ConvBnAct m_spaceToDepth{nullptr};
    ConvBnAct m_expand{nullptr};  ///< 1x1 expand, or the fused kxk conv
    ConvBnAct m_depthwise{nullptr};
    SqueezeExcite m_se{nullptr};
    ConvBnAct m_project{nullptr};
    bool m_residual = false;
};

/// ResNet v1.5 bottleneck: 1x1, kxk (strided), 1x1, projection shortcut when shapes change.
class BottleneckBlockImpl : public StageImpl {
public:
    BottleneckBlockImpl(const Block& block, FeatureSize& size);
    torch::Tensor forward(torch::Tensor x) override;

private:
    ConvBnAct m_conv1{nullptr}, m_conv2{nullptr}, m_conv3{nullptr}, m_shortcut{nullptr};
    Activation m_activation;
};

class HeadImpl : public StageImpl {
public:
    HeadImpl(const Network& net, FeatureSize& size);
    torch::Tensor forward(torch::Tensor x) override;

private:
    ConvBnAct m_conv{nullptr};
    torch::nn::Dropout m_dropout{nullptr};
    torch::nn::Linear m_fc{nullptr};
};

/// A whole network: stem, blocks, head, registered under the IR's names.
class ArchNetImpl : public torch::nn::Module {
public:
    explicit ArchNetImpl(const Network& net);
    torch::Tensor forward(torch::Tensor x);
    const std::vector<std::pair<std::string, std::shared_ptr<StageImpl>>>& stages() const {
        return m_stages;
    }

private:
    std::vector<std::pair<std::string, std::shared_ptr<StageImpl>>> m_stages;
};
TORCH_MODULE(ArchNet);

torch::Dtype toTorch(TorchDtype t);
torch::Device toTorch(TorchDevice d, int cudaIndex);

/// Rethrows the current exception (c10::Error, std::bad_alloc, ...) as ArchError with `what`
/// saying what was being done.
[[noreturn]] void rethrowAsArchError(const std::string& what);

}  // namespace archscope::torchnet

namespace archscope {

struct TorchNetwork::Impl {
    Network net;
    TorchOptions opts;
    torchnet::ArchNet module{nullptr};
    torch::Device device{torch::kCPU};
    torch::Dtype dtype = torch::kFloat32;
    torch::Tensor fixedInput;  ///< for infer()

    /// A random input batch in the options' dtype, device and memory format.
    torch::Tensor makeInput() const;
};

}  // namespace archscope
