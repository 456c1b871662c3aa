#include "dtype.h"

#include <array>

#include "arch/error.h"

namespace archscope {
namespace {

struct DtypeNames {
    Dtype dtype;
    std::string_view name;
    std::array<std::string_view, 2> aliases;  ///< PyTorch's spellings; empty slots unused
};

// Canonical names in enum order (dtypeName indexes by the enum's value).
constexpr std::array<DtypeNames, kDtypeCount> kDtypeNames = {{
    {Dtype::Bf16, "bf16", {"bfloat16", ""}},
    {Dtype::Fp16, "fp16", {"float16", "half"}},
    {Dtype::Fp32, "fp32", {"float32", "float"}},
    {Dtype::Tf32, "tf32", {"", ""}},
}};

std::string aliasList() {
    std::string s;
    for (const auto& entry : kDtypeNames) {
        for (const auto alias : entry.aliases) {
            if (alias.empty()) continue;
            s += (s.empty() ? "" : ", ") + std::string(alias);
        }
    }
    return s;
}

}  // namespace

std::string_view dtypeName(Dtype d) {
    const int i = int(d);
    return i >= 0 && i < kDtypeCount ? kDtypeNames[size_t(i)].name : "?";
}

std::optional<Dtype> dtypeFromName(std::string_view name) {
    if (name.empty()) return std::nullopt;
    for (const auto& entry : kDtypeNames) {
        if (entry.name == name) return entry.dtype;
        for (const auto alias : entry.aliases)
            if (alias == name) return entry.dtype;
    }
    return std::nullopt;
}

std::string dtypeNameList() {
    std::string s;
    for (int d = 0; d < kDtypeCount; ++d) {
        if (d > 0) s += d + 1 == kDtypeCount ? " or " : ", ";
        s += dtypeName(Dtype(d));
    }
    return s;
}

std::string unknownDtypeMessage(std::string_view name, std::string_view what) {
    return "unknown " + std::string(what) + " \"" + std::string(name) + "\"; use " +
           dtypeNameList() + " (also accepted: " + aliasList() + ")";
}

Dtype parseDtype(std::string_view name, std::string_view what) {
    if (const auto d = dtypeFromName(name)) return *d;
    throw ArchError(unknownDtypeMessage(name, what));
}

}  // namespace archscope
