#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arch/network.h"

namespace archscope {

/// The model families of the zoo, B0..B7 each.
inline constexpr std::string_view kFamilyEfficientNet = "efficientnet";
inline constexpr std::string_view kFamilyEfficientNetXTpu = "efficientnet-x-tpu";
inline constexpr std::string_view kFamilyEfficientNetXGpu = "efficientnet-x-gpu";

std::vector<std::string> zooFamilies();
/// Every zoo model name, families first (B0..B7), then the peers (resnet-50, mobilenet-v2).
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
