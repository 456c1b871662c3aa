#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "arch/layer.h"
#include "arch/network.h"
#include "options.h"

namespace archscope {

/// The output shape of one stage of a built network ("stem", "block3", "head").
struct StageShape {
    std::string name;
    Shape shape;  ///< NHWC, like the IR; the head's output is N x 1 x 1 x classes
};

/// A network of the IR built as a real LibTorch module (core/torch/internal/modules.h) with fresh
/// weights, in eval mode, on the options' device and dtype. The header is plain C++ (pimpl) so
/// that only core/torch/*.cpp compiles against LibTorch. Move-only; use from one thread at a time.
class TorchNetwork {
public:
    /// Throws ArchError for an unsupported device or dtype, or when LibTorch fails.
    TorchNetwork(const Network& net, const TorchOptions& opts);
    ~TorchNetwork();
    TorchNetwork(TorchNetwork&&) noexcept;
    TorchNetwork& operator=(TorchNetwork&&) noexcept;

    const Network& network() const;  ///< at the built resolution
    const TorchOptions& options() const;
    int64_t parameterCount() const;
    /// "stem", "block0", ..., "head": the IR's layer-name prefixes, in execution order.
    std::vector<std::string> stageNames() const;
    /// One inference pass on a random batch; returns the output shape (batch, classes).
    std::vector<int64_t> forwardShape();
    /// One inference pass, stage by stage, returning each stage's output shape.
    std::vector<StageShape> stageOutputShapes();
    /// One inference pass on a fixed random input (made on the first call); for benchmarks.
    /// The caller sets threads; the result is discarded.
    void infer();

    struct Impl;
    Impl& impl() { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

/// Throws ArchError when `opts` cannot run here (no CUDA device, bf16/fp16 on CPU, batch < 1).
void validateTorchOptions(const TorchOptions& opts);

}  // namespace archscope
