#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arch/network.h"

namespace archscope {

/// The model families of the zoo (tensorflow/tpu efficientnet_builder.py and
/// efficientnet_x_builder.py). Most have B0..B7; the `-h-` families only B5..B7.
inline constexpr std::string_view kFamilyEfficientNet = "efficientnet";
inline constexpr std::string_view kFamilyEfficientNetXTpu = "efficientnet-x-tpu";
inline constexpr std::string_view kFamilyEfficientNetXGpu = "efficientnet-x-gpu";
/// EfficientNet-X blocks scaled by EfficientNet's own (FLOPs-rule) coefficients: the ablation
/// LACS is compared against.
inline constexpr std::string_view kFamilyEfficientNetX = "efficientnet-x";
/// EfficientNet-X block version 2 (expansion 4 in stages 2-4), FLOPs-rule-like scaling.
inline constexpr std::string_view kFamilyEfficientNetH = "efficientnet-h";
/// Block version 2 with TPU LACS-like scaling.
inline constexpr std::string_view kFamilyEfficientNetHTpu = "efficientnet-h-tpu";

std::vector<std::string> zooFamilies();
/// The levels a family defines, ascending (0..7, or 5..7 for the `-h-` families); empty for a
/// name that is not a zoo family.
std::vector<int> familyLevels(std::string_view family);
/// The family a zoo member belongs to ("efficientnet-x-b3" -> "efficientnet-x"); nullopt for a
/// peer (resnet-50, mobilenet-v2) or a name that is not in the zoo.
std::optional<std::string> zooFamilyOf(std::string_view name);
/// Every zoo model name, families first (in zooFamilies() order, each level ascending), then
/// the peers (resnet-50, mobilenet-v2).
std::vector<std::string> zooModelNames();
std::optional<NetworkSpec> zooSpec(std::string_view name);
/// "efficientnet-x-tpu" + 3 -> "efficientnet-x-tpu-b3".
std::string familyMemberName(std::string_view family, int level);

/// A published ImageNet top-1 accuracy and where it was published.
struct PublishedAccuracy {
    double top1 = 0.0;  ///< percent
    std::string source;
};
std::optional<PublishedAccuracy> publishedTop1(std::string_view name);

/// A zoo name, or a path to an architecture JSON file. Throws ArchError listing what is known.
NetworkSpec resolveModel(const std::string& nameOrPath);

}  // namespace archscope
