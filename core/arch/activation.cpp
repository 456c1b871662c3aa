#include "activation.h"

namespace archscope {

std::string_view activationName(Activation a) {
    switch (a) {
        case Activation::Relu: return "relu";
        case Activation::Swish: return "swish";
        case Activation::Relu6: return "relu6";
    }
    return "?";
}

std::optional<Activation> activationFromName(std::string_view name) {
    if (name == "relu") return Activation::Relu;
    if (name == "swish" || name == "silu") return Activation::Swish;
    if (name == "relu6") return Activation::Relu6;
    return std::nullopt;
}

std::optional<Activation> activationFromCode(int code) {
    if (code >= 0 && code <= 2) return static_cast<Activation>(code);
    return std::nullopt;
}

}  // namespace archscope
