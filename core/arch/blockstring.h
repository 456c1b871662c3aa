#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "activation.h"

namespace archscope {

enum class BlockType { MBConv, FusedMBConv, Bottleneck };

/// One stage of a network in the TensorFlow EfficientNet block-string grammar, e.g.
/// `r2_k3_s22_e6_i16_o24_se0.25_f1_d2_a1`. Filters are before width scaling.
struct BlockArgs {
    int repeats = 1;
    int kernel = 3;
    int strideH = 1;
    int strideW = 1;
    int expand = 1;  ///< expansion ratio; for a bottleneck, out / mid (ResNet: 4)
    int inFilters = 0;
    int outFilters = 0;
    std::optional<double> seRatio;  ///< squeeze-excitation ratio; SE is on when 0 < se <= 1
    BlockType type = BlockType::MBConv;
    int spaceToDepth = 0;  ///< 0 none, 1 starts with a 2x2/s2 conv, 2 continues in s2d domain
    std::optional<Activation> activation;  ///< unset: the network's default
    bool idSkip = true;

    bool hasSe() const { return seRatio && *seRatio > 0.0 && *seRatio <= 1.0; }
    bool operator==(const BlockArgs&) const = default;
};

/// "mbconv", "fused" or "bottleneck".
std::string_view blockTypeName(BlockType type);

/// Parses one block string. Throws ArchError naming the string, the option and what was expected.
BlockArgs parseBlockString(std::string_view text);

/// Prints in canonical order `r k s e i o se f b d a noskip`; parse(format(x)) == x, and a
/// canonical string prints back unchanged.
std::string formatBlockString(const BlockArgs& args);

std::vector<BlockArgs> parseBlockStrings(const std::vector<std::string>& texts);

}  // namespace archscope
