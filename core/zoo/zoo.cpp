#include "zoo.h"

#include <array>
#include <filesystem>
#include <span>
#include <utility>

#include "arch/error.h"
#include "arch/json.h"

namespace archscope {
namespace {

// tensorflow/tpu models/official/efficientnet/efficientnet_builder.py (_DEFAULT_BLOCKS_ARGS).
const std::vector<std::string> kEfficientNetBlocks = {
    "r1_k3_s11_e1_i32_o16_se0.25",   "r2_k3_s22_e6_i16_o24_se0.25",
    "r2_k5_s22_e6_i24_o40_se0.25",   "r3_k3_s22_e6_i40_o80_se0.25",
    "r3_k5_s11_e6_i80_o112_se0.25",  "r4_k5_s22_e6_i112_o192_se0.25",
    "r1_k3_s11_e6_i192_o320_se0.25",
};

// tensorflow/tpu models/official/efficientnet/tpu/efficientnet_x_builder.py; shared by the
// X-TPU, X-GPU and X (FLOPs-rule) families, which differ only in their scaling parameters.
const std::vector<std::string> kEfficientNetXBlocks = {
    "r1_k3_s11_e1_i32_o16_se0.25_d1_a0", "r2_k3_s22_e6_i16_o24_se0.25_f1_d2_a1",
    "r2_k5_s22_e6_i24_o40_se0.25_f1_a1", "r3_k3_s22_e6_i40_o80_se0.25_a0",
    "r3_k5_s11_e6_i80_o112_se0.25_a0",   "r4_k5_s22_e6_i112_o192_se0.25_a0",
    "r1_k3_s11_e6_i192_o320_se0.25_a0",
};

// efficientnet_x_builder.py block version 2 (the `-h-` names): expansion 4 instead of 6 in
// stages 2-4, everything else as version 1.
const std::vector<std::string> kEfficientNetXBlocksV2 = {
    "r1_k3_s11_e1_i32_o16_se0.25_d1_a0", "r2_k3_s22_e4_i16_o24_se0.25_f1_d2_a1",
    "r2_k5_s22_e4_i24_o40_se0.25_f1_a1", "r3_k3_s22_e4_i40_o80_se0.25_a0",
    "r3_k5_s11_e6_i80_o112_se0.25_a0",   "r4_k5_s22_e6_i112_o192_se0.25_a0",
    "r1_k3_s11_e6_i192_o320_se0.25_a0",
};

// MobileNetV2 (Sandler et al. 2018, Table 2: t, c, n, s) in block-string form; ReLU6, no SE.
const std::vector<std::string> kMobileNetV2Blocks = {
    "r1_k3_s11_e1_i32_o16",   "r2_k3_s22_e6_i16_o24", "r3_k3_s22_e6_i24_o32",
    "r4_k3_s22_e6_i32_o64",   "r3_k3_s11_e6_i64_o96", "r3_k3_s22_e6_i96_o160",
    "r1_k3_s11_e6_i160_o320",
};

// ResNet-50 v1.5 (He et al. 2016; stride on the 3x3 conv as in torchvision), as bottleneck
// stages: mid = o / e.
const std::vector<std::string> kResNet50Blocks = {
    "r3_k3_s11_e4_i64_o256_b1",
    "r4_k3_s22_e4_i256_o512_b1",
    "r6_k3_s22_e4_i512_o1024_b1",
    "r3_k3_s22_e4_i1024_o2048_b1",
};

struct Scaling {
    double width, depth;
    int resolution;
    double dropout, seCoefficient;
};

// EfficientNet: efficientnet_builder.py efficientnet_params (Tan & Le 2019).
constexpr std::array<Scaling, 8> kEfficientNetScaling = {{
    {1.0, 1.0, 224, 0.2, 0},
    {1.0, 1.1, 240, 0.2, 0},
    {1.1, 1.2, 260, 0.3, 0},
    {1.2, 1.4, 300, 0.3, 0},
    {1.4, 1.8, 380, 0.4, 0},
    {1.6, 2.2, 456, 0.4, 0},
    {1.8, 2.6, 528, 0.5, 0},
    {2.0, 3.1, 600, 0.5, 0},
}};

// EfficientNet-X-TPU: LACS on TPUv3 (Li et al., CVPR 2021; ../shared/reference/efficientnet-x.md).
constexpr std::array<Scaling, 8> kEfficientNetXTpuScaling = {{
    {1.0, 1.0, 224, 0.2, 4},
    {1.05, 1.09, 229, 0.2, 2},
    {1.13, 1.29, 244, 0.3, 1},
    {1.27, 1.62, 263, 0.3, 1},
    {1.54, 2.38, 299, 0.4, 1},
    {1.96, 2.76, 332, 0.4, 1},
    {2.75, 3.01, 328, 0.5, 1},
    {3.26, 3.44, 350, 0.5, 1},
}};

// EfficientNet-X-GPU: LACS on V100 (same source).
constexpr std::array<Scaling, 8> kEfficientNetXGpuScaling = {{
    {1.0, 1.0, 224, 0.2, 4},
    {1.05, 1.09, 229, 0.2, 2},
    {1.13, 1.24, 237, 0.3, 1},
    {1.31, 1.63, 255, 0.3, 1},
    {1.63, 2.4, 282, 0.4, 1},
    {1.94, 3.29, 306, 0.4, 1},
    {2.25, 4.28, 328, 0.5, 1},
    {2.58, 5.46, 350, 0.5, 1},
}};

// efficientnet_x_builder.py efficientnet_x_params: efficientnet-x-b0..b7, the X base under
// EfficientNet's own coefficients (../shared/reference/efficientnet-x.md, "The other reference
// families").
constexpr std::array<Scaling, 8> kEfficientNetXFlopsScaling = {{
    {1.0, 1.0, 224, 0.2, 4},
    {1.0, 1.1, 240, 0.2, 2},
    {1.1, 1.2, 260, 0.3, 1},
    {1.2, 1.4, 300, 0.3, 1},
    {1.4, 1.8, 380, 0.4, 1},
    {1.6, 2.2, 456, 0.4, 1},
    {1.8, 2.6, 528, 0.5, 1},
    {2.0, 3.1, 600, 0.5, 1},
}};

// Same source: efficientnet-h-b5..b7 and efficientnet-h-tpu-b5..b7 (block version 2).
constexpr int kHFirstLevel = 5;
constexpr std::array<Scaling, 3> kEfficientNetHScaling = {{
    {1.92, 2.2, 456, 0.4, 1},
    {2.16, 2.6, 528, 0.5, 1},
    {2.4, 3.1, 600, 0.5, 1},
}};
constexpr std::array<Scaling, 3> kEfficientNetHTpuScaling = {{
    {2.3, 2.76, 332, 0.4, 1},
    {3.0, 3.01, 328, 0.5, 1},
    {3.6, 3.44, 350, 0.5, 1},
}};

/// One family: its blocks, default activation and the scaling of levels firstLevel.. in order.
struct Family {
    std::string_view name;
    const std::vector<std::string>& blocks;
    Activation defaultActivation;
    int firstLevel;
    std::span<const Scaling> scaling;
};

const std::array<Family, 6>& families() {
    static const std::array<Family, 6> all = {{
        {kFamilyEfficientNet, kEfficientNetBlocks, Activation::Swish, 0, kEfficientNetScaling},
        {kFamilyEfficientNetXTpu, kEfficientNetXBlocks, Activation::Relu, 0,
         kEfficientNetXTpuScaling},
        {kFamilyEfficientNetXGpu, kEfficientNetXBlocks, Activation::Relu, 0,
         kEfficientNetXGpuScaling},
        {kFamilyEfficientNetX, kEfficientNetXBlocks, Activation::Relu, 0,
         kEfficientNetXFlopsScaling},
        {kFamilyEfficientNetH, kEfficientNetXBlocksV2, Activation::Relu, kHFirstLevel,
         kEfficientNetHScaling},
        {kFamilyEfficientNetHTpu, kEfficientNetXBlocksV2, Activation::Relu, kHFirstLevel,
         kEfficientNetHTpuScaling},
    }};
    return all;
}

const Family* findFamily(std::string_view name) {
    for (const Family& f : families()) {
        if (f.name == name) return &f;
    }
    return nullptr;
}

/// "efficientnet-x-b3" -> (efficientnet-x, 3) when the family defines that level.
std::optional<std::pair<const Family*, int>> parseMember(std::string_view name) {
    for (const Family& f : families()) {
        const size_t n = f.name.size();
        if (name.size() != n + 3 || name.substr(0, n) != f.name || name.substr(n, 2) != "-b") {
            continue;
        }
        const int level = name.back() - '0';
        if (level >= f.firstLevel && level < f.firstLevel + int(f.scaling.size())) {
            return std::pair{&f, level};
        }
    }
    return std::nullopt;
}

NetworkSpec familySpec(std::string name, const std::vector<std::string>& blocks, Scaling s,
                       Activation defaultActivation) {
    NetworkSpec spec;
    spec.name = std::move(name);
    spec.blocks = parseBlockStrings(blocks);
    spec.scaling = {s.width, s.depth, s.resolution, s.dropout, s.seCoefficient};
    spec.defaultActivation = defaultActivation;
    return spec;
}

}  // namespace

std::vector<std::string> zooFamilies() {
    std::vector<std::string> names;
    for (const Family& f : families()) names.emplace_back(f.name);
    return names;
}

std::vector<int> familyLevels(std::string_view family) {
    std::vector<int> levels;
    if (const Family* f = findFamily(family)) {
        for (size_t i = 0; i < f->scaling.size(); ++i) levels.push_back(f->firstLevel + int(i));
    }
    return levels;
}

std::optional<std::string> zooFamilyOf(std::string_view name) {
    if (auto member = parseMember(name)) return std::string(member->first->name);
    return std::nullopt;
}

std::string familyMemberName(std::string_view family, int level) {
    return std::string(family) + "-b" + std::to_string(level);
}

std::vector<std::string> zooModelNames() {
    std::vector<std::string> names;
    for (const Family& f : families()) {
        for (int level : familyLevels(f.name)) names.push_back(familyMemberName(f.name, level));
    }
    names.emplace_back("resnet-50");
    names.emplace_back("mobilenet-v2");
    return names;
}

std::optional<NetworkSpec> zooSpec(std::string_view name) {
    if (auto member = parseMember(name)) {
        const auto& [f, level] = *member;
        return familySpec(std::string(name), f->blocks, f->scaling[size_t(level - f->firstLevel)],
                          f->defaultActivation);
    }
    if (name == "mobilenet-v2") {
        // torchvision mobilenet_v2: 3,504,872 parameters; dropout 0.2.
        return familySpec("mobilenet-v2", kMobileNetV2Blocks, {1.0, 1.0, 224, 0.2, 0},
                          Activation::Relu6);
    }
    if (name == "resnet-50") {
        NetworkSpec spec =
            familySpec("resnet-50", kResNet50Blocks, {1.0, 1.0, 224, 0.0, 0}, Activation::Relu);
        spec.stem = {64, 7, 2, true};
        spec.headFilters = 0;
        return spec;
    }
    return std::nullopt;
}

std::optional<PublishedAccuracy> publishedTop1(std::string_view name) {
    // Tan & Le, "EfficientNet: Rethinking Model Scaling for CNNs", ICML 2019, Table 2.
    static constexpr std::array<double, 8> kEfficientNetTop1 = {77.1, 79.1, 80.1, 81.6,
                                                                82.9, 83.6, 84.0, 84.3};
    if (auto member = parseMember(name); member && member->first->name == kFamilyEfficientNet) {
        return PublishedAccuracy{kEfficientNetTop1[size_t(member->second)],
                                 "Tan & Le, ICML 2019, Table 2 (ImageNet top-1)"};
    }
    // No source at hand gives the EfficientNet-X, -X (FLOPs-rule) or -H tables; show nothing
    // rather than invent.
    return std::nullopt;
}

NetworkSpec resolveModel(const std::string& nameOrPath) {
    if (auto spec = zooSpec(nameOrPath)) return *spec;
    std::error_code ec;
    if (nameOrPath.ends_with(".json") || std::filesystem::exists(nameOrPath, ec)) {
        return loadNetworkSpecFile(nameOrPath);
    }
    std::string known;
    for (const auto& n : zooModelNames()) known += (known.empty() ? "" : ", ") + n;
    throw ArchError("unknown model \"" + nameOrPath +
                    "\": give a zoo name (see `archscope-cli zoo`) or an architecture .json file."
                    " Known: " +
                    known);
}

}  // namespace archscope
