#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "arch/network.h"
#include "hw/dtype.h"

namespace archscope {

/// Where a network runs.
enum class TorchDevice { Cpu, Cuda };
/// Element type of weights and activations. bf16/fp16/tf32 are offered on CUDA only. Tf32 keeps
/// fp32 tensors but lets cuDNN and cuBLAS multiply in TF32 on the tensor cores (PyTorch's default
/// for convolutions on Ampere and later); Float32 turns that off, so fp32 means fp32 math.
enum class TorchDtype { Float32, BFloat16, Float16, Tf32 };

std::string_view torchDeviceName(TorchDevice d);  ///< "cpu", "cuda"
std::optional<TorchDevice> torchDeviceFromName(std::string_view name);
/// The core Dtype's LibTorch element type; names are parsed once, by parseDtype (hw/dtype.h).
TorchDtype toTorchDtype(Dtype d);
Dtype coreDtype(TorchDtype t);
std::string_view torchDtypeName(TorchDtype t);  ///< dtypeName(coreDtype(t)): "fp32", "bf16", ...
int torchDtypeBytes(TorchDtype t);

/// How a network is built for LibTorch. Plain values: no torch types cross this header.
struct TorchOptions {
    TorchDevice device = TorchDevice::Cpu;
    TorchDtype dtype = TorchDtype::Float32;
    int batch = kDefaultBatch;
    int resolution = 0;  ///< input height = width; 0 = the network's own resolution
    bool channelsLast = false;
    int cudaIndex = 0;  ///< which CUDA device
};

}  // namespace archscope
