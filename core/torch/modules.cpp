// The IR's building blocks as LibTorch modules, and TorchNetwork (the plain-C++ face of them).
#include "internal/modules.h"

#include <algorithm>
#include <limits>
#include <new>

#include "arch/error.h"
#include "memoryestimate.h"

#if defined(ARCHSCOPE_TORCH_CUDA) && __has_include(<cuda_runtime_api.h>)
#include <cuda_runtime_api.h>
#define ARCHSCOPE_CUDA_RUNTIME 1
#endif

namespace archscope::torchnet {

namespace F = torch::nn::functional;

SamePadding samePadding(int64_t inH, int64_t inW, int64_t kernelH, int64_t kernelW, int64_t strideH,
                        int64_t strideW) {
    auto split = [](int64_t in, int64_t k, int64_t s, int64_t& before, int64_t& after) {
        const int64_t out = (in + s - 1) / s;
        const int64_t total = std::max<int64_t>((out - 1) * s + k - in, 0);
        before = total / 2;
        after = total - before;
    };
    SamePadding p;
    split(inH, kernelH, strideH, p.top, p.bottom);
    split(inW, kernelW, strideW, p.left, p.right);
    return p;
}

namespace {
thread_local ActivationObserver* t_activationObserver = nullptr;

torch::Tensor applyActivation(torch::Tensor x, Activation a) {
    const bool inPlace = !torch::GradMode::is_enabled();
    switch (a) {
        case Activation::Relu:
            return inPlace ? torch::relu_(x) : torch::relu(x);
        case Activation::Swish:
            return inPlace ? torch::silu_(x) : torch::silu(x);
        case Activation::Relu6:
            return inPlace ? torch::hardtanh_(x, 0, 6) : torch::hardtanh(x, 0, 6);
    }
    return x;
}
}  // namespace

torch::Tensor activate(torch::Tensor x, Activation a) {
    torch::Tensor y = applyActivation(std::move(x), a);
    if (t_activationObserver) (*t_activationObserver)(y);
    return y;
}

ScopedActivationObserver::ScopedActivationObserver(ActivationObserver observer)
    : m_observer(std::move(observer)), m_previous(t_activationObserver) {
    t_activationObserver = &m_observer;
}

ScopedActivationObserver::~ScopedActivationObserver() {
    t_activationObserver = m_previous;
}

ConvBnActImpl::ConvBnActImpl(const ConvBnActOptions& o) : options(o) {
    const SamePadding pad =
        samePadding(o.inputH(), o.inputW(), o.kernel(), o.kernel(), o.strideH(), o.strideW());
    auto conv = torch::nn::Conv2dOptions(o.in(), o.out(), o.kernel())
                    .stride({o.strideH(), o.strideW()})
                    .groups(o.groups())
                    .bias(false);
    if (pad.symmetric()) {
        conv.padding(torch::ExpandingArray<2>({pad.top, pad.left}));
    } else {
        m_explicitPad = {pad.left, pad.right, pad.top, pad.bottom};
    }
    m_conv = register_module("conv", torch::nn::Conv2d(conv));
    // TensorFlow's BN defaults (efficientnet_model.py: momentum 0.99, epsilon 1e-3).
    m_bn = register_module(
        "bn",
        torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(o.out()).eps(1e-3).momentum(0.01)));
}

int64_t ConvBnActImpl::outputH() const {
    return (options.inputH() + options.strideH() - 1) / options.strideH();
}
int64_t ConvBnActImpl::outputW() const {
    return (options.inputW() + options.strideW() - 1) / options.strideW();
}

torch::Tensor ConvBnActImpl::forward(torch::Tensor x) {
    if (!m_explicitPad.empty()) x = F::pad(x, F::PadFuncOptions(m_explicitPad));
    x = m_bn->forward(m_conv->forward(x));
    if (options.activation()) x = activate(x, *options.activation());
    return x;
}

SqueezeExciteImpl::SqueezeExciteImpl(int64_t channels, int64_t reduced, Activation activation)
    : m_activation(activation) {
    m_reduce = register_module("reduce",
                               torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, reduced, 1)));
    m_expand = register_module("expand",
                               torch::nn::Conv2d(torch::nn::Conv2dOptions(reduced, channels, 1)));
}

torch::Tensor SqueezeExciteImpl::forward(torch::Tensor x) {
    torch::Tensor gate = x.mean({2, 3}, /*keepdim=*/true);
    gate = activate(m_reduce->forward(gate), m_activation);
    gate = m_expand->forward(gate).sigmoid_();
    return x * gate;
}

namespace {

/// Builds a ConvBnAct at the current size and advances the size past it.
ConvBnAct convAt(FeatureSize& size, int64_t out, int64_t kernel, int64_t strideH, int64_t strideW,
                 int64_t groups, std::optional<Activation> activation) {
    ConvBnAct m(ConvBnActOptions(size.channels, out, kernel)
                    .strideH(strideH)
                    .strideW(strideW)
                    .groups(groups)
                    .inputH(size.h)
                    .inputW(size.w)
                    .activation(activation));
    size = {out, m->outputH(), m->outputW()};
    return m;
}

}  // namespace

StemImpl::StemImpl(const Network& net, FeatureSize& size) {
    const StemSpec& stem = net.spec.stem;
    m_conv = register_module("conv", convAt(size, net.stemChannels, stem.kernel, stem.stride,
                                            stem.stride, 1, net.spec.defaultActivation));
    m_maxPool = stem.maxPool;
    if (m_maxPool) {  // 3x3 / stride 2, 'SAME' (ResNet)
        m_poolPad = samePadding(size.h, size.w, 3, 3, 2, 2);
        size.h = (size.h + 1) / 2;
        size.w = (size.w + 1) / 2;
    }
}

torch::Tensor StemImpl::forward(torch::Tensor x) {
    x = m_conv->forward(x);
    if (!m_maxPool) return x;
    const SamePadding& p = m_poolPad;
    if (p.symmetric()) return torch::max_pool2d(x, {3, 3}, {2, 2}, {p.top, p.left});
    x = F::pad(x, F::PadFuncOptions({p.left, p.right, p.top, p.bottom})
                      .value(-std::numeric_limits<double>::infinity()));
    return torch::max_pool2d(x, {3, 3}, {2, 2});
}

MBConvBlockImpl::MBConvBlockImpl(const Block& b, FeatureSize& size) {
    const FeatureSize input = size;
    if (b.spaceToDepth == 1) {
        m_spaceToDepth =
            register_module("s2d", convAt(size, b.nominalIn, 2, 2, 2, 1, b.activation));
    }
    const int64_t expanded = b.expandedChannels();
    if (b.type == BlockType::FusedMBConv) {
        m_expand = register_module(
            "fused", convAt(size, expanded, b.kernel, b.strideH, b.strideW, 1, b.activation));
    } else {
        if (b.expandRatio != 1) {
            m_expand = register_module("expand", convAt(size, expanded, 1, 1, 1, 1, b.activation));
        }
        m_depthwise = register_module("dw", convAt(size, size.channels, b.kernel, b.strideH,
                                                   b.strideW, size.channels, b.activation));
    }
    if (b.seRatio > 0.0) {
        m_se = register_module("se", SqueezeExcite(size.channels, b.seReduced, b.activation));
    }
    m_project = register_module("project", convAt(size, b.outChannels, 1, 1, 1, 1, std::nullopt));
    // As the IR (and the TF reference): the real input depth, and no skip across a resolution
    // change.
    m_residual = b.hasResidual() && input.h == size.h && input.w == size.w;
}

torch::Tensor MBConvBlockImpl::forward(torch::Tensor x) {
    const torch::Tensor input = x;
    if (m_spaceToDepth) x = m_spaceToDepth->forward(x);
    if (m_expand) x = m_expand->forward(x);
    if (m_depthwise) x = m_depthwise->forward(x);
    if (m_se) x = m_se->forward(x);
    x = m_project->forward(x);
    if (m_residual) x = torch::GradMode::is_enabled() ? x + input : x.add_(input);
    return x;
}

BottleneckBlockImpl::BottleneckBlockImpl(const Block& b, FeatureSize& size)
    : m_activation(b.activation) {
    FeatureSize main = size;
    const int64_t mid = b.bottleneckMid();
    m_conv1 = register_module("conv1", convAt(main, mid, 1, 1, 1, 1, b.activation));
    m_conv2 = register_module("conv2",
                              convAt(main, mid, b.kernel, b.strideH, b.strideW, 1, b.activation));
    m_conv3 = register_module("conv3", convAt(main, b.outChannels, 1, 1, 1, 1, std::nullopt));
    if (b.strideH != 1 || b.strideW != 1 || size.channels != b.outChannels) {
        FeatureSize skip = size;
        m_shortcut = register_module(
            "shortcut", convAt(skip, b.outChannels, 1, b.strideH, b.strideW, 1, std::nullopt));
    }
    size = main;
}

torch::Tensor BottleneckBlockImpl::forward(torch::Tensor x) {
    torch::Tensor y = m_conv3->forward(m_conv2->forward(m_conv1->forward(x)));
    const torch::Tensor skip = m_shortcut ? m_shortcut->forward(x) : x;
    y = torch::GradMode::is_enabled() ? y + skip : y.add_(skip);
    return activate(y, m_activation);
}

HeadImpl::HeadImpl(const Network& net, FeatureSize& size) {
    if (net.headChannels > 0) {
        m_conv = register_module(
            "conv", convAt(size, net.headChannels, 1, 1, 1, 1, net.spec.defaultActivation));
    }
    m_dropout = register_module("dropout", torch::nn::Dropout(net.spec.scaling.dropout));
    m_fc = register_module("fc", torch::nn::Linear(size.channels, net.spec.numClasses));
    size = {net.spec.numClasses, 1, 1};
}

torch::Tensor HeadImpl::forward(torch::Tensor x) {
    if (m_conv) x = m_conv->forward(x);
    x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
    return m_fc->forward(m_dropout->forward(x));
}

ArchNetImpl::ArchNetImpl(const Network& net) {
    FeatureSize size{net.spec.inputChannels, net.resolution, net.resolution};
    auto add = [this](const std::string& name, std::shared_ptr<StageImpl> stage) {
        m_stages.emplace_back(name, register_module(name, std::move(stage)));
    };
    add("stem", std::make_shared<StemImpl>(net, size));
    for (const Block& b : net.blocks) {
        if (size.channels != b.inChannels) {
            throw ArchError("block" + std::to_string(b.index) + " expects " +
                            std::to_string(b.inChannels) + " input channels but gets " +
                            std::to_string(size.channels));
        }
        const std::string name = "block" + std::to_string(b.index);
        if (b.type == BlockType::Bottleneck) {
            add(name, std::make_shared<BottleneckBlockImpl>(b, size));
        } else {
            add(name, std::make_shared<MBConvBlockImpl>(b, size));
        }
    }
    add("head", std::make_shared<HeadImpl>(net, size));
}

torch::Tensor ArchNetImpl::forward(torch::Tensor x) {
    for (const auto& stage : m_stages) x = stage.second->forward(x);
    return x;
}

torch::Dtype toTorch(TorchDtype t) {
    switch (t) {
        case TorchDtype::Float32:
        case TorchDtype::Tf32:  // fp32 tensors; only the library's matrix math changes
            return torch::kFloat32;
        case TorchDtype::BFloat16:
            return torch::kBFloat16;
        case TorchDtype::Float16:
            return torch::kFloat16;
    }
    return torch::kFloat32;
}

torch::Device toTorch(TorchDevice d, int cudaIndex) {
    return d == TorchDevice::Cuda
               ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(cudaIndex))
               : torch::Device(torch::kCPU);
}

void rethrowAsArchError(const std::string& what) {
    try {
        throw;
    } catch (const ArchError&) {
        throw;
    } catch (const c10::Error& e) {
        std::string msg = e.what_without_backtrace();
        msg = msg.substr(0, msg.find('\n'));
        const bool oom = msg.find("out of memory") != std::string::npos;
        throw ArchError(what + ": LibTorch: " + msg +
                        (oom ? "; use a smaller --batch or resolution" : ""));
    } catch (const std::bad_alloc&) {
        throw ArchError(what + ": out of memory; use a smaller --batch or resolution");
    } catch (const std::exception& e) {
        throw ArchError(what + ": " + e.what());
    }
}

}  // namespace archscope::torchnet

namespace archscope {

using namespace archscope::torchnet;

void validateTorchOptions(const TorchOptions& opts) {
    if (opts.batch < 1)
        throw ArchError("batch size must be >= 1, got " + std::to_string(opts.batch));
    if (opts.device == TorchDevice::Cpu && opts.dtype != TorchDtype::Float32) {
        throw ArchError("dtype " + std::string(torchDtypeName(opts.dtype)) +
                        " is offered on CUDA only; use --dtype fp32 on the CPU");
    }
    if (opts.device == TorchDevice::Cuda) {
        if (!torch::cuda::is_available()) {
            throw ArchError("no CUDA device: this LibTorch " + std::string(TORCH_VERSION) +
                            " was built without CUDA or sees no GPU; use --device cpu");
        }
        const auto count = static_cast<int>(torch::cuda::device_count());
        if (opts.cudaIndex < 0 || opts.cudaIndex >= count) {
            throw ArchError("CUDA device " + std::to_string(opts.cudaIndex) + " does not exist (" +
                            std::to_string(count) + " visible)");
        }
    }
}

/// Free memory where the network will live: for the CPU the least of MemAvailable and the
/// headroom under `ulimit -v` / `ulimit -d`, for a CUDA device the driver's free memory (when
/// this build has the CUDA runtime).
std::optional<MemoryBudget> deviceBudget(const TorchOptions& opts) {
    if (opts.device == TorchDevice::Cpu) return tightestBudget(readProcessMemory());
#ifdef ARCHSCOPE_CUDA_RUNTIME
    int previous = 0;
    size_t freeBytes = 0, totalBytes = 0;
    if (cudaGetDevice(&previous) == cudaSuccess && cudaSetDevice(opts.cudaIndex) == cudaSuccess &&
        cudaMemGetInfo(&freeBytes, &totalBytes) == cudaSuccess) {
        cudaSetDevice(previous);
        return MemoryBudget{static_cast<int64_t>(freeBytes), "GPU memory", ""};
    }
#endif
    return std::nullopt;
}

torch::Tensor TorchNetwork::Impl::makeInput() const {
    torch::Tensor x =
        torch::randn({opts.batch, net.spec.inputChannels, net.resolution, net.resolution},
                     torch::TensorOptions().dtype(dtype).device(device));
    return opts.channelsLast ? x.contiguous(torch::MemoryFormat::ChannelsLast) : x;
}

TorchNetwork::TorchNetwork(const Network& net, const TorchOptions& opts)
    : m_impl(std::make_unique<Impl>()) {
    validateTorchOptions(opts);
    checkFitsInMemory(net, opts, deviceBudget(opts));
    Impl& d = *m_impl;
    d.net = withResolution(net, opts.resolution);
    d.opts = opts;
    d.device = toTorch(opts.device, opts.cudaIndex);
    d.dtype = toTorch(opts.dtype);
    try {
        torch::NoGradGuard noGrad;
        d.module = ArchNet(d.net);
        d.module->eval();
        d.module->to(d.device, d.dtype);
        if (opts.channelsLast) {
            for (auto& p : d.module->parameters()) {
                if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
            }
        }
    } catch (...) {
        rethrowAsArchError("building \"" + net.name() + "\" in LibTorch");
    }
}

TorchNetwork::~TorchNetwork() = default;
TorchNetwork::TorchNetwork(TorchNetwork&&) noexcept = default;
TorchNetwork& TorchNetwork::operator=(TorchNetwork&&) noexcept = default;

const Network& TorchNetwork::network() const {
    return m_impl->net;
}
const TorchOptions& TorchNetwork::options() const {
    return m_impl->opts;
}

int64_t TorchNetwork::parameterCount() const {
    int64_t n = 0;
    for (const auto& p : m_impl->module->parameters()) n += p.numel();
    return n;
}

std::vector<std::string> TorchNetwork::stageNames() const {
    std::vector<std::string> names;
    for (const auto& s : m_impl->module->stages()) names.push_back(s.first);
    return names;
}

std::vector<int64_t> TorchNetwork::forwardShape() {
    try {
        c10::InferenceMode guard;
        return m_impl->module->forward(m_impl->makeInput()).sizes().vec();
    } catch (...) {
        rethrowAsArchError("running \"" + m_impl->net.name() + "\"");
    }
}

void TorchNetwork::infer() {
    try {
        c10::InferenceMode guard;
        if (!m_impl->fixedInput.defined()) m_impl->fixedInput = m_impl->makeInput();
        m_impl->module->forward(m_impl->fixedInput);
    } catch (...) {
        rethrowAsArchError("running \"" + m_impl->net.name() + "\"");
    }
}

std::vector<StageShape> TorchNetwork::stageOutputShapes() {
    try {
        c10::InferenceMode guard;
        std::vector<StageShape> shapes;
        torch::Tensor x = m_impl->makeInput();
        for (const auto& [name, stage] : m_impl->module->stages()) {
            x = stage->forward(x);
            const auto s = x.sizes();
            Shape nhwc = s.size() == 4 ? Shape{int(s[0]), int(s[2]), int(s[3]), int(s[1])}
                                       : Shape{int(s[0]), 1, 1, int(s[1])};
            shapes.push_back({name, nhwc});
        }
        return shapes;
    } catch (...) {
        rethrowAsArchError("running \"" + m_impl->net.name() + "\"");
    }
}

}  // namespace archscope
