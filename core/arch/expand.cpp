#include "expand.h"

#include <algorithm>

#include <string>

#include "error.h"
#include "util/checked.h"

namespace archscope {
namespace {

int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
}

/// Height and width strides; a single number means both.
struct Stride {
    Stride(int both) : h(both), w(both) {}  // NOLINT: implicit on purpose
    Stride(int height, int width) : h(height), w(width) {}
    int h;
    int w;
};

/// Appends layers while tracking the current tensor shape.
class LayerEmitter {
public:
    LayerEmitter(std::vector<Layer>& out, Shape input, const std::string& network)
        : m_out(out), m_shape(input), m_network(network) {}

    void setScope(std::string prefix, int block, int stage) {
        m_prefix = std::move(prefix);
        m_block = block;
        m_stage = stage;
    }
    Shape shape() const { return m_shape; }
    void setShape(Shape s) { m_shape = s; }

    /// Whether TF 'SAME' padding of `l` (shapes set) puts more on one side than the other.
    static bool asymmetricSame(const Layer& l) {
        auto odd = [](int in, int out, int k, int s) {
            return std::max((out - 1) * s + k - in, 0) % 2 == 1;
        };
        return odd(l.in.h, l.out.h, l.kernelH, l.strideH) ||
               odd(l.in.w, l.out.w, l.kernelW, l.strideW);
    }

    void conv(const char* name, OpKind kind, int outC, int kh, int kw, Stride stride, int groups,
              bool bias) {
        Layer& l = add(name, kind);
        l.kernelH = kh;
        l.kernelW = kw;
        l.strideH = stride.h;
        l.strideW = stride.w;
        l.groups = groups;
        l.out = {m_shape.n, ceilDiv(m_shape.h, stride.h), ceilDiv(m_shape.w, stride.w), outC};
        l.asymmetricPadding = asymmetricSame(l);
        const int64_t perOutput = int64_t(m_shape.c / groups) * kh * kw;
        l.macs = mul(elements(l.out), perOutput, l);
        l.params = mul(perOutput, outC, l) + (bias ? outC : 0);
        finish(l);
    }
    void batchNorm() {
        Layer& l = add("bn", OpKind::BatchNorm);
        l.params = 2 * int64_t(m_shape.c);  // scale + shift; running stats are not trained
        finish(l);
    }
    void activation(Activation a, const char* name = "act") {
        Layer& l = add(name, OpKind::Act);
        l.activation = a;
        finish(l);
    }
    void elementwise(const char* name, OpKind kind, int64_t extraInput, int64_t macs = 0) {
        Layer& l = add(name, kind);
        l.inputElements += extraInput;
        l.macs = macs;
        finish(l);
    }
    void pool(const char* name, OpKind kind, int kernel, int stride) {
        Layer& l = add(name, kind);
        if (kind == OpKind::GlobalPool || kind == OpKind::SePool) {
            l.kernelH = m_shape.h;
            l.kernelW = m_shape.w;
            l.out = {m_shape.n, 1, 1, m_shape.c};
        } else {
            l.kernelH = l.kernelW = kernel;
            l.strideH = l.strideW = stride;
            l.out = {m_shape.n, ceilDiv(m_shape.h, stride), ceilDiv(m_shape.w, stride), m_shape.c};
            l.asymmetricPadding = asymmetricSame(l);
        }
        finish(l);
    }
    void fullyConnected(int outFeatures) {
        Layer& l = add("fc", OpKind::FullyConnected);
        l.out = {m_shape.n, 1, 1, outFeatures};
        l.macs = mul(int64_t(m_shape.n) * m_shape.c, outFeatures, l);
        l.params = int64_t(m_shape.c) * outFeatures + outFeatures;
        finish(l);
    }

private:
    Layer& add(const char* name, OpKind kind) {
        Layer& l = m_out.emplace_back();
        // One allocation per name: the search loop expands thousands of networks a second.
        const size_t length = std::char_traits<char>::length(name);
        l.name.reserve(m_prefix.size() + 1 + length);
        l.name.append(m_prefix).append(1, '/').append(name, length);
        l.kind = kind;
        l.in = m_shape;
        l.out = m_shape;
        l.inputElements = elements(m_shape);
        l.block = m_block;
        l.stage = m_stage;
        return l;
    }
    void finish(Layer& l) {
        l.outputElements = elements(l.out);
        m_shape = l.out;
    }
    /// Shapes and costs in checked 64-bit arithmetic: an overflow names the network and layer.
    int64_t elements(const Shape& s) const {
        int64_t out = 0;
        if (__builtin_mul_overflow(int64_t(s.n) * s.h * s.w, int64_t(s.c), &out)) overflow(nullptr);
        return out;
    }
    int64_t mul(int64_t a, int64_t b, const Layer& l) const {
        int64_t out = 0;
        if (__builtin_mul_overflow(a, b, &out)) overflow(&l);
        return out;
    }
    [[noreturn]] void overflow(const Layer* l) const {
        throw ArchError("network \"" + m_network + "\"" + (l ? ", layer " + l->name : "") +
                        ": the cost overflows a 64-bit count; make the network, resolution or "
                        "batch smaller");
    }

    std::vector<Layer>& m_out;
    Shape m_shape;
    const std::string& m_network;
    std::string m_prefix;
    int m_block = -1;
    int m_stage = -1;
};

void squeezeExcite(LayerEmitter& e, const Block& b) {
    const Shape fm = e.shape();
    e.pool("se-pool", OpKind::SePool, 0, 0);
    e.conv("se-reduce", OpKind::SeReduce, b.seReduced, 1, 1, 1, 1, true);
    e.activation(b.activation, "se-act");
    e.conv("se-expand", OpKind::SeExpand, fm.c, 1, 1, 1, 1, true);
    e.elementwise("se-sigmoid", OpKind::SeSigmoid, 0);
    const int64_t gate = e.shape().elements();
    e.setShape(fm);
    // Counted as one multiply per element, as the reference MAC counts do (efficientnet-x.md).
    e.elementwise("se-mul", OpKind::SeMultiply, gate, e.shape().elements());
}

void mbconv(LayerEmitter& e, const Block& b) {
    const Shape input = e.shape();
    if (b.spaceToDepth == 1) {
        e.conv("s2d", OpKind::SpaceToDepthConv, b.nominalIn, 2, 2, 2, 1, false);
        e.batchNorm();
        e.activation(b.activation);
    }
    const int expanded = b.expandedChannels();
    const Stride stride(b.strideH, b.strideW);
    if (b.type == BlockType::FusedMBConv) {
        e.conv("fused", OpKind::Conv, expanded, b.kernel, b.kernel, stride, 1, false);
        e.batchNorm();
        e.activation(b.activation);
    } else {
        if (b.expandRatio != 1) {
            e.conv("expand", OpKind::PointwiseConv, expanded, 1, 1, 1, 1, false);
            e.batchNorm();
            e.activation(b.activation);
        }
        const int channels = e.shape().c;
        e.conv("dw", OpKind::DepthwiseConv, channels, b.kernel, b.kernel, stride, channels, false);
        e.batchNorm();
        e.activation(b.activation);
    }
    if (b.seRatio > 0.0) squeezeExcite(e, b);
    e.conv("project", OpKind::PointwiseConv, b.outChannels, 1, 1, 1, 1, false);
    e.batchNorm();
    // The reference compares the block's real input depth (before space-to-depth) with its output.
    if (b.hasResidual() && input.h == e.shape().h && input.w == e.shape().w) {
        e.elementwise("add", OpKind::ResidualAdd, input.elements());
    }
}

void bottleneck(LayerEmitter& e, const Block& b) {
    const Shape input = e.shape();
    const int mid = b.bottleneckMid();
    e.conv("conv1", OpKind::PointwiseConv, mid, 1, 1, 1, 1, false);
    e.batchNorm();
    e.activation(b.activation);
    e.conv("conv2", OpKind::Conv, mid, b.kernel, b.kernel, Stride(b.strideH, b.strideW), 1, false);
    e.batchNorm();
    e.activation(b.activation);
    e.conv("conv3", OpKind::PointwiseConv, b.outChannels, 1, 1, 1, 1, false);
    e.batchNorm();
    const Shape main = e.shape();
    if (b.strideH != 1 || b.strideW != 1 || input.c != b.outChannels) {
        e.setShape(input);
        e.conv("shortcut", OpKind::PointwiseConv, b.outChannels, 1, 1, Stride(b.strideH, b.strideW),
               1, false);
        e.batchNorm();
    }
    e.setShape(main);
    e.elementwise("add", OpKind::ResidualAdd, main.elements());
    e.activation(b.activation, "add-act");
}

/// Keeps every total (and bytes at 8 bytes an element) far from 64-bit overflow downstream.
void checkTotals(const std::vector<Layer>& layers, const std::string& network, int batch) {
    int64_t macs = 0, params = 0, read = 0, written = 0;
    const std::string what = "network \"" + network + "\" at batch " + std::to_string(batch);
    for (const Layer& l : layers) {
        macs = checkedAdd(macs, l.macs, what);
        params = checkedAdd(params, l.params, what);
        read = checkedAdd(read, checkedAdd(l.inputElements, l.params, what), what);
        written = checkedAdd(written, l.outputElements, what);
    }
    for (auto [name, value] :
         {std::pair{"MACs", macs}, std::pair{"parameters", params},
          std::pair{"elements read", read}, std::pair{"elements written", written}}) {
        if (value > kMaxCost) {
            throw ArchError(what + ": " + name + " " + std::to_string(value) +
                            " are over the cap of 2^60; make the network, resolution or batch "
                            "smaller");
        }
    }
}

}  // namespace

std::vector<Layer> expandLayers(const Network& net, int batch) {
    if (batch < 1 || batch > kMaxBatch) {
        throw ArchError("batch size must be in [1, " + std::to_string(kMaxBatch) + "], got " +
                        std::to_string(batch));
    }
    std::vector<Layer> layers;
    layers.reserve(net.blocks.size() * 20 + 16);
    const NetworkSpec& spec = net.spec;
    LayerEmitter e(layers, {batch, net.resolution, net.resolution, spec.inputChannels}, spec.name);

    e.setScope("stem", -1, -1);
    e.conv("conv", OpKind::Conv, net.stemChannels, spec.stem.kernel, spec.stem.kernel,
           spec.stem.stride, 1, false);
    e.batchNorm();
    e.activation(spec.defaultActivation);
    if (spec.stem.maxPool) e.pool("maxpool", OpKind::MaxPool, 3, 2);

    for (const Block& b : net.blocks) {
        e.setScope("block" + std::to_string(b.index), b.index, b.stage);
        if (b.type == BlockType::Bottleneck) {
            bottleneck(e, b);
        } else {
            mbconv(e, b);
        }
    }

    e.setScope("head", -2, -2);
    if (net.headChannels > 0) {
        e.conv("conv", OpKind::PointwiseConv, net.headChannels, 1, 1, 1, 1, false);
        e.batchNorm();
        e.activation(spec.defaultActivation);
    }
    e.pool("avgpool", OpKind::GlobalPool, 0, 0);
    e.fullyConnected(spec.numClasses);
    checkTotals(layers, spec.name, batch);
    return layers;
}

}  // namespace archscope
