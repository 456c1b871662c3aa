#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace archscope {

/// Activation functions used by blocks. The numeric codes are the block-string `a` option.
enum class Activation { Relu = 0, Swish = 1, Relu6 = 2 };

std::string_view activationName(Activation a);
std::optional<Activation> activationFromName(std::string_view name);
std::optional<Activation> activationFromCode(int code);

}  // namespace archscope
