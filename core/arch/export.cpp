#include "export.h"

#include <sstream>

#include "error.h"
#include "expand.h"
#include "json.h"

namespace archscope {
namespace {

std::string pyBool(bool b) {
    return b ? "True" : "False";
}

std::string pyString(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

bool hasLayer(const std::vector<Layer>& layers, int block, OpKind kind) {
    for (const auto& l : layers) {
        if (l.block == block && l.kind == kind) return true;
    }
    return false;
}

bool hasLayerNamed(const std::vector<Layer>& layers, int block, std::string_view suffix) {
    for (const auto& l : layers) {
        if (l.block == block && l.name.ends_with(suffix)) return true;
    }
    return false;
}

/// One entry of the generated BLOCKS table. Residual and shortcut flags are read off the
/// expanded IR so the module can never disagree with expandLayers() about them.
std::string blockEntry(const Block& b, const std::vector<Layer>& layers) {
    std::ostringstream o;
    const std::string act = pyString(activationName(b.activation));
    if (b.type == BlockType::Bottleneck) {
        o << "    dict(type=\"bottleneck\", cin=" << b.inChannels << ", mid=" << b.bottleneckMid()
          << ", cout=" << b.outChannels << ", kernel=" << b.kernel << ", stride=" << b.strideH
          << ", act=" << act << ", shortcut=" << pyBool(hasLayerNamed(layers, b.index, "/shortcut"))
          << "),";
    } else {
        o << "    dict(type=" << (b.type == BlockType::FusedMBConv ? "\"fused\"" : "\"mbconv\"")
          << ", cin=" << b.inChannels << ", nominal_in=" << b.nominalIn
          << ", cout=" << b.outChannels << ", expand=" << b.expandRatio << ", kernel=" << b.kernel
          << ", stride=" << b.strideH << ", se=" << b.seReduced
          << ", s2d=" << pyBool(b.spaceToDepth == 1) << ", act=" << act
          << ", residual=" << pyBool(hasLayer(layers, b.index, OpKind::ResidualAdd)) << "),";
    }
    return o.str();
}

constexpr const char* kRuntime = R"PY(

def _same_padding(size, kernel, stride):
    """TensorFlow 'SAME': output = ceil(size / stride); an odd total pads bottom/right."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Conv2dSame(nn.Conv2d):
    """nn.Conv2d with TensorFlow 'SAME' padding computed from the input size."""

    def forward(self, x):
        top, bottom = _same_padding(x.shape[-2], self.kernel_size[0], self.stride[0])
        left, right = _same_padding(x.shape[-1], self.kernel_size[1], self.stride[1])
        if top or bottom or left or right:
            x = F.pad(x, (left, right, top, bottom))
        return F.conv2d(x, self.weight, self.bias, self.stride, 0, 1, self.groups)


class MaxPool2dSame(nn.Module):
    """Max pool with TensorFlow 'SAME' padding (pads with -inf, as TF ignores padding)."""

    def __init__(self, kernel, stride):
        super().__init__()
        self.kernel, self.stride = kernel, stride

    def forward(self, x):
        top, bottom = _same_padding(x.shape[-2], self.kernel, self.stride)
        left, right = _same_padding(x.shape[-1], self.kernel, self.stride)
        x = F.pad(x, (left, right, top, bottom), value=float("-inf"))
        return F.max_pool2d(x, self.kernel, self.stride)


def _activation(name):
    return {"relu": nn.ReLU, "swish": nn.SiLU, "relu6": nn.ReLU6}[name]()


class ConvBn(nn.Module):
    """Conv (no bias) + BatchNorm with TF's epsilon and momentum, then an optional activation."""

    def __init__(self, cin, cout, kernel, stride=1, groups=1, act=None):
        super().__init__()
        self.conv = Conv2dSame(cin, cout, kernel, stride, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)
        self.act = _activation(act) if act else nn.Identity()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class SqueezeExcite(nn.Module):
    def __init__(self, channels, reduced, act):
        super().__init__()
        self.reduce = nn.Conv2d(channels, reduced, 1, bias=True)
        self.act = _activation(act)
        self.expand = nn.Conv2d(reduced, channels, 1, bias=True)

    def forward(self, x):
        gate = x.mean((2, 3), keepdim=True)
        return x * torch.sigmoid(self.expand(self.act(self.reduce(gate))))


class MBConv(nn.Module):
    """MBConv or fused MBConv of the TF reference, with EfficientNet-X's space-to-depth conv."""

    def __init__(self, cin, nominal_in, cout, expand, kernel, stride, se, s2d, act, residual,
                 fused):
        super().__init__()
        self.s2d = ConvBn(cin, nominal_in, 2, 2, act=act) if s2d else None
        channels = nominal_in if s2d else cin
        expanded = nominal_in * expand
        if fused:
            self.expand = ConvBn(channels, expanded, kernel, stride, act=act)
            self.dw = None
            channels = expanded
        else:
            self.expand = ConvBn(channels, expanded, 1, act=act) if expand != 1 else None
            channels = expanded if expand != 1 else channels
            self.dw = ConvBn(channels, channels, kernel, stride, groups=channels, act=act)
        self.se = SqueezeExcite(channels, se, act) if se > 0 else None
        self.project = ConvBn(channels, cout, 1)
        self.residual = residual

    def forward(self, x):
        shortcut = x
        if self.s2d is not None:
            x = self.s2d(x)
        if self.expand is not None:
            x = self.expand(x)
        if self.dw is not None:
            x = self.dw(x)
        if self.se is not None:
            x = self.se(x)
        x = self.project(x)
        return x + shortcut if self.residual else x


class Bottleneck(nn.Module):
    """ResNet v1.5 bottleneck: 1x1, kxk (strided), 1x1, projection shortcut when shapes change."""

    def __init__(self, cin, mid, cout, kernel, stride, act, shortcut):
        super().__init__()
        self.conv1 = ConvBn(cin, mid, 1, act=act)
        self.conv2 = ConvBn(mid, mid, kernel, stride, act=act)
        self.conv3 = ConvBn(mid, cout, 1)
        self.shortcut = ConvBn(cin, cout, 1, stride) if shortcut else None
        self.act = _activation(act)

    def forward(self, x):
        y = self.conv3(self.conv2(self.conv1(x)))
        return self.act(y + (self.shortcut(x) if self.shortcut is not None else x))


def _make_block(b):
    b = dict(b)
    kind = b.pop("type")
    if kind == "bottleneck":
        return Bottleneck(**b)
    return MBConv(fused=(kind == "fused"), **b)


class Net(nn.Module):
    """The network. Stem, each block and the head run under record_function scopes named as
    the Archscope IR names them ("stem", "block0", ..., "head"), so profiler traces map back."""

    def __init__(self, num_classes=NUM_CLASSES, dropout=DROPOUT):
        super().__init__()
        self.stem = ConvBn(INPUT_CHANNELS, STEM["filters"], STEM["kernel"], STEM["stride"],
                           act=ACTIVATION)
        self.stem_pool = MaxPool2dSame(3, 2) if STEM["max_pool"] else None
        self.blocks = nn.ModuleList(_make_block(b) for b in BLOCKS)
        cin = BLOCKS[-1]["cout"]
        self.head = ConvBn(cin, HEAD_FILTERS, 1, act=ACTIVATION) if HEAD_FILTERS else None
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(HEAD_FILTERS or cin, num_classes)

    def _body(self, x):
        with record_function("stem"):
            x = self.stem(x)
            if self.stem_pool is not None:
                x = self.stem_pool(x)
        for i, block in enumerate(self.blocks):
            with record_function("block%d" % i):
                x = block(x)
        return x

    def features(self, x):
        """The feature map entering global pooling, (N, C, H, W)."""
        x = self._body(x)
        return self.head(x) if self.head is not None else x

    def forward(self, x):
        # Names the network in profiler traces; archscope-cli import reads it back.
        with record_function("archscope-network:%s:%s" % (NAME, NETWORK_HASH)):
            x = self._body(x)
            with record_function("head"):
                if self.head is not None:
                    x = self.head(x)
                x = x.mean((2, 3))
                return self.fc(self.dropout(x))


def build(**kwargs):
    """A freshly initialised Net (PyTorch default initialisation)."""
    return Net(**kwargs)


def _main():
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--trace", help="run under torch.profiler and write a Chrome trace here")
    parser.add_argument("--passes", type=int, default=3, help="forward passes in the trace")
    parser.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0: keep)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = build().eval()
    x = torch.randn(args.batch, INPUT_CHANNELS, RESOLUTION, RESOLUTION)
    with torch.no_grad():
        features = net.features(x)
        out = net(x)
        if args.trace:
            from torch.profiler import ProfilerActivity, profile
            with profile(activities=[ProfilerActivity.CPU]) as prof:
                for _ in range(args.passes):
                    net(x)
            prof.export_chrome_trace(args.trace)
    print(json.dumps({"name": NAME, "hash": NETWORK_HASH,
                      "params": sum(p.numel() for p in net.parameters()),
                      "expected_params": EXPECTED_PARAMS,
                      "feature_shape": list(features.shape), "output_shape": list(out.shape),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    _main()
)PY";

}  // namespace

std::string networkToBlockText(const NetworkSpec& spec) {
    const ScalingParams& s = spec.scaling;
    std::ostringstream o;
    o << "# " << spec.name << ": TensorFlow EfficientNet block strings, one stage per line.\n"
      << "# Filters are before width scaling; repeats before depth scaling.\n"
      << "# width=" << s.width << " depth=" << s.depth << " resolution=" << s.resolution
      << " dropout=" << s.dropout << " se_coefficient=" << s.seCoefficient
      << " activation=" << activationName(spec.defaultActivation) << "\n"
      << "# stem_filters=" << spec.stem.filters << " stem_kernel=" << spec.stem.kernel
      << " stem_stride=" << spec.stem.stride << " stem_max_pool=" << (spec.stem.maxPool ? 1 : 0)
      << " head_filters=" << spec.headFilters << " num_classes=" << spec.numClasses
      << " input_channels=" << spec.inputChannels << " depth_divisor=" << spec.depthDivisor << "\n";
    for (const auto& b : spec.blocks) o << formatBlockString(b) << "\n";
    return o.str();
}

std::string networkToPyTorch(const NetworkSpec& spec) {
    const Network net = buildNetwork(spec);
    const std::vector<Layer> layers = expandLayers(net, 1);
    const NetworkCost cost = totalCost(layers);
    Shape features;
    for (const auto& l : layers) {
        if (l.kind == OpKind::GlobalPool) features = l.in;
    }
    const int classes = layers.back().out.c;

    std::ostringstream o;
    o << "\"\"\"" << spec.name << ": generated by Archscope " << ARCHSCOPE_VERSION
      << " (archscope-cli export-arch --format pytorch).\n\n"
      << "Reproduces the Archscope IR of this network exactly: " << cost.params
      << " trainable parameters,\ninput (N, " << spec.inputChannels << ", " << net.resolution
      << ", " << net.resolution << ") -> logits (N, " << classes << ").\n"
      << "Needs only PyTorch. Padding is TensorFlow 'SAME' (an odd total puts the extra pixel\n"
      << "bottom/right), as the TF reference EfficientNet pads; BatchNorm uses TF's eps 1e-3.\n"
      << "Run it to check: python3 this_file.py [--batch N] [--trace trace.json]\n\"\"\"\n"
      << "import torch\nimport torch.nn.functional as F\nfrom torch import nn\n"
      << "from torch.profiler import record_function\n\n"
      << "NAME = " << pyString(spec.name) << "\n"
      << "NETWORK_HASH = " << pyString(networkHash(spec)) << "\n"
      << "EXPECTED_PARAMS = " << cost.params << "\n"
      << "RESOLUTION = " << net.resolution << "\n"
      << "INPUT_CHANNELS = " << spec.inputChannels << "\n"
      << "FEATURE_SHAPE = (1, " << features.c << ", " << features.h << ", " << features.w
      << ")  # entering global pooling, batch 1\n"
      << "NUM_CLASSES = " << classes << "\n"
      << "DROPOUT = " << spec.scaling.dropout << "\n"
      << "ACTIVATION = " << pyString(activationName(spec.defaultActivation)) << "\n"
      << "STEM = dict(filters=" << net.stemChannels << ", kernel=" << spec.stem.kernel
      << ", stride=" << spec.stem.stride << ", max_pool=" << pyBool(spec.stem.maxPool) << ")\n"
      << "HEAD_FILTERS = " << net.headChannels << "  # 0: no 1x1 head conv\n"
      << "# Channels after width scaling; cin is what actually enters the block.\n"
      << "BLOCKS = [\n";
    for (const Block& b : net.blocks) o << blockEntry(b, layers) << "\n";
    o << "]\n" << kRuntime;
    return o.str();
}

}  // namespace archscope
