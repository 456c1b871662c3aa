#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace archscope {

/// Numeric precision of a prediction: it picks the matrix-unit rate and the bytes per element.
/// Tf32 is fp32 tensors multiplied on TF32 Tensor Cores (Ampere and later): stored as fp32.
/// The one table of dtype names (core/hw/dtype.cpp); profiles, validation tables, the CLI, the
/// GUI and LibTorch (core/torch/options.h maps a Dtype to its TorchDtype) all parse through it.
enum class Dtype { Bf16 = 0, Fp16 = 1, Fp32 = 2, Tf32 = 3 };
inline constexpr int kDtypeCount = 4;

/// The canonical name: "bf16", "fp16", "fp32" or "tf32".
std::string_view dtypeName(Dtype d);
/// The dtype called `name`: a canonical name or one of PyTorch's spellings (float32, float,
/// bfloat16, float16, half); nullopt for anything else.
std::optional<Dtype> dtypeFromName(std::string_view name);
/// Every canonical dtype name, for help texts: "bf16, fp16, fp32 or tf32".
std::string dtypeNameList();
/// The one message for a name that is no dtype: `unknown <what> "<name>"; use bf16, fp16, fp32
/// or tf32 (also accepted: ...)`.
std::string unknownDtypeMessage(std::string_view name, std::string_view what);
/// The dtype called `name`; throws ArchError with unknownDtypeMessage(name, what).
Dtype parseDtype(std::string_view name, std::string_view what = "dtype");
inline int dtypeBytes(Dtype d) {
    return d == Dtype::Fp32 || d == Dtype::Tf32 ? 4 : 2;
}

}  // namespace archscope
