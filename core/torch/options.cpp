#include "options.h"

#include <utility>

namespace archscope {

std::string_view torchDeviceName(TorchDevice d) {
    return d == TorchDevice::Cuda ? "cuda" : "cpu";
}

std::optional<TorchDevice> torchDeviceFromName(std::string_view name) {
    if (name == "cpu") return TorchDevice::Cpu;
    if (name == "cuda" || name == "gpu") return TorchDevice::Cuda;
    return std::nullopt;
}

namespace {

/// Each core Dtype and the LibTorch element type that runs it: the one table both ways.
constexpr std::pair<Dtype, TorchDtype> kTorchDtypes[] = {
    {Dtype::Bf16, TorchDtype::BFloat16},
    {Dtype::Fp16, TorchDtype::Float16},
    {Dtype::Fp32, TorchDtype::Float32},
    {Dtype::Tf32, TorchDtype::Tf32},
};

}  // namespace

TorchDtype toTorchDtype(Dtype d) {
    for (const auto& [coreType, torchType] : kTorchDtypes)
        if (coreType == d) return torchType;
    return TorchDtype::Float32;
}

Dtype coreDtype(TorchDtype t) {
    for (const auto& [coreType, torchType] : kTorchDtypes)
        if (torchType == t) return coreType;
    return Dtype::Fp32;
}

std::string_view torchDtypeName(TorchDtype t) {
    return dtypeName(coreDtype(t));
}

int torchDtypeBytes(TorchDtype t) {
    return dtypeBytes(coreDtype(t));
}

}  // namespace archscope
