#include "options.h"

namespace archscope {

std::string_view torchDeviceName(TorchDevice d) {
    return d == TorchDevice::Cuda ? "cuda" : "cpu";
}

std::optional<TorchDevice> torchDeviceFromName(std::string_view name) {
    if (name == "cpu") return TorchDevice::Cpu;
    if (name == "cuda" || name == "gpu") return TorchDevice::Cuda;
    return std::nullopt;
}

std::string_view torchDtypeName(TorchDtype t) {
    switch (t) {
        case TorchDtype::Float32:
            return "fp32";
        case TorchDtype::BFloat16:
            return "bf16";
        case TorchDtype::Float16:
            return "fp16";
        case TorchDtype::Tf32:
            return "tf32";
    }
    return "?";
}

std::optional<TorchDtype> torchDtypeFromName(std::string_view name) {
    if (name == "fp32" || name == "float32" || name == "float") return TorchDtype::Float32;
    if (name == "bf16" || name == "bfloat16") return TorchDtype::BFloat16;
    if (name == "fp16" || name == "float16" || name == "half") return TorchDtype::Float16;
    if (name == "tf32") return TorchDtype::Tf32;
    return std::nullopt;
}

int torchDtypeBytes(TorchDtype t) {
    return t == TorchDtype::Float32 || t == TorchDtype::Tf32 ? 4 : 2;
}

}  // namespace archscope
