#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "arch/network.h"

namespace archscope {

/// Where a network runs.
enum class TorchDevice { Cpu, Cuda };
/// Element type of weights and activations. bf16/fp16/tf32 are offered on CUDA only. Tf32 keeps
/// fp32 tensors but lets cuDNN and cuBLAS multiply in TF32 on the tensor cores (PyTorch's default
/// for convolutions on Ampere and later); Float32 turns that off, so fp32 means fp32 math.
enum class TorchDtype { Float32, BFloat16, Float16, Tf32 };

std::string_view torchDeviceName(TorchDevice d);  ///< "cpu", "cuda"
std::optional<TorchDevice> torchDeviceFromName(std::string_view name);
std::string_view torchDtypeName(TorchDtype t);  ///< "fp32", "bf16", "fp16", "tf32"
std::optional<TorchDtype> torchDtypeFromName(std::string_view name);
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
