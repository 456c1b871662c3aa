#include "profile.h"

#include <string>

#include "arch/error.h"

namespace archscope {

std::string_view vectorOpName(VectorOp op) {
    static constexpr std::string_view kNames[kVectorOpCount] = {
        "bn", "relu", "relu6", "swish", "sigmoid", "multiply", "add", "pool", "depthwise_mac"};
    return kNames[int(op)];
}

const std::vector<std::string>& freeParameterNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n = {"matrix.efficiency",          "vector.efficiency",
                                      "memory.efficiency",          "overhead.per_fused_op",
                                      "overhead.per_kernel_launch", "overhead.per_step"};
        for (int c = 0; c < kOpClassCount; ++c)
            n.push_back("efficiency." + std::string(opClassName(OpClass(c))));
        return n;
    }();
    return names;
}

bool isRuntimeParameter(std::string_view name) {
    return name.starts_with("overhead.") || name.starts_with("efficiency.") ||
           name.starts_with("fusion.");
}

std::vector<ProfileParameter>& parametersHolding(Profile& p, std::string_view name) {
    return isRuntimeParameter(name) ? p.runtime.parameters : p.parameters;
}

std::string Profile::predictorLabel() const {
    return name + " v" + std::to_string(version) + " + " + runtime.name + " v" +
           std::to_string(runtime.version);
}

namespace {

double* freeParameterSlot(Profile& p, std::string_view name, bool& isOverhead) {
    isOverhead = false;
    if (name == "matrix.efficiency") return &p.matrix.efficiency;
    if (name == "vector.efficiency") return &p.vector.efficiency;
    if (name == "memory.efficiency") return &p.memory.efficiency;
    for (int c = 0; c < kOpClassCount; ++c) {
        if (name == "efficiency." + std::string(opClassName(OpClass(c))))
            return &p.runtime.efficiency[size_t(c)];
    }
    isOverhead = true;
    if (name == "overhead.per_fused_op") return &p.runtime.perGroupSeconds;
    if (name == "overhead.per_kernel_launch") return &p.runtime.perKernelLaunchSeconds;
    if (name == "overhead.per_step") return &p.runtime.perStepSeconds;
    return nullptr;
}

std::string knownNames() {
    std::string s;
    for (const auto& n : freeParameterNames()) s += (s.empty() ? "" : ", ") + n;
    return s;
}

}  // namespace

double freeParameter(const Profile& p, std::string_view name) {
    bool isOverhead = false;
    double* slot = freeParameterSlot(const_cast<Profile&>(p), name, isOverhead);
    if (!slot) {
        throw ArchError("unknown free parameter \"" + std::string(name) +
                        "\"; known: " + knownNames());
    }
    return isOverhead ? *slot * 1e6 : *slot;
}

void setFreeParameter(Profile& p, std::string_view name, double value) {
    bool isOverhead = false;
    double* slot = freeParameterSlot(p, name, isOverhead);
    if (!slot) {
        throw ArchError("unknown free parameter \"" + std::string(name) +
                        "\"; known: " + knownNames());
    }
    if (isOverhead ? !(value >= 0.0) : !(value > 0.0 && value <= 1.0)) {
        throw ArchError("free parameter \"" + std::string(name) + "\" of profile " + p.name +
                        " out of range: " + std::to_string(value) +
                        (isOverhead
                             ? " (an overhead in microseconds must be >= 0)"
                             : " (an efficiency is a fraction of peak: it must be in (0, 1])"));
    }
    *slot = isOverhead ? value * 1e-6 : value;
    const std::string key(name);
    for (auto& param : parametersHolding(p, name)) {
        if (param.path != key) continue;
        param.value = std::to_string(value);
        param.source = "calibrated";
        param.assumption = false;
    }
}

void requireDtype(const Profile& p, Dtype dtype) {
    if (p.supports(dtype)) return;
    std::string have;
    for (int d = 0; d < kDtypeCount; ++d) {
        if (p.matrix.peakMacsPerSecond[d] > 0.0) {
            have += (have.empty() ? "" : ", ") + std::string(dtypeName(Dtype(d)));
        }
    }
    throw ArchError("profile " + p.name + " (" + p.file + ") has no matrix-unit rate for " +
                    std::string(dtypeName(dtype)) + "; choose --dtype " + have);
}

}  // namespace archscope
