#include "calibrate_slots.h"

#include <cstdio>
#include <utility>

#include "arch/error.h"

namespace archscope::calibration {
namespace {

constexpr std::string_view kOpPrefix = "vector.ops_per_element.";

/// The base profile's memory.bandwidth in GB/s, and whether the file states it as an assumption
/// rather than a datasheet figure (the CPU profile's is a guess; a cache can beat it).
std::pair<double, bool> datasheetBandwidth(const Profile& base) {
    bool assumed = true;
    for (const auto& param : base.parameters) {
        if (param.path == "memory.bandwidth") assumed = param.assumption;
    }
    return {base.memory.bandwidthBytesPerSecond * 1e-9, assumed};
}

}  // namespace

std::string formatValue(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

SlotValues slotsOf(const Profile& p) {
    SlotValues s{};
    s[kMatrixEff] = p.matrix.efficiency;
    s[kVectorEff] = p.vector.efficiency;
    s[kMemoryEff] = p.memory.efficiency;
    s[kPerFusedOp] = p.runtime.perGroupSeconds * 1e6;
    s[kPerLaunch] = p.runtime.perKernelLaunchSeconds * 1e6;
    for (int i = 0; i < kVectorOpCount; ++i) s[kOps0 + i] = p.vector.opsPerElement[i];
    s[kOverlap] = p.memory.overlap;
    s[kBandwidth] = p.memory.bandwidthBytesPerSecond * 1e-9;
    s[kWeightBandwidth] = p.memory.weightBandwidthBytesPerSecond * 1e-9;
    s[kPerStep] = p.runtime.perStepSeconds * 1e6;
    for (int c = 0; c < kOpClassCount; ++c) s[kClassEff0 + c] = p.runtime.efficiency[size_t(c)];
    return s;
}

std::string slotName(int slot) {
    switch (slot) {
        case kMatrixEff:
            return "matrix.efficiency";
        case kVectorEff:
            return "vector.efficiency";
        case kMemoryEff:
            return "memory.efficiency";
        case kPerFusedOp:
            return "overhead.per_fused_op";
        case kPerLaunch:
            return "overhead.per_kernel_launch";
        case kOverlap:
            return "memory.overlap";
        case kBandwidth:
            return "memory.bandwidth";
        case kWeightBandwidth:
            return "memory.weight_bandwidth";
        case kPerStep:
            return "overhead.per_step";
        default:
            break;
    }
    if (slot >= kOps0 && slot < kOps0 + kVectorOpCount)
        return std::string(kOpPrefix) + std::string(vectorOpName(VectorOp(slot - kOps0)));
    return "efficiency." + std::string(opClassName(OpClass(slot - kClassEff0)));
}

int slotOf(std::string_view name) {
    const auto names = fittableParameterNames();
    for (size_t i = 0; i < names.size(); ++i) {
        if (names[i] == name) return int(i);
    }
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    throw ArchError("unknown calibration parameter \"" + std::string(name) + "\"; known: " + known);
}

ParameterBounds boundsOf(const Profile& base, int slot) {
    if (slot <= kMemoryEff || slot >= kClassEff0) return {1e-4, 1.0};  // fractions of peak
    if (slot == kPerStep) return {1e-3, 1e5};                          // us
    if (slot <= kPerLaunch) return {1e-3, 1e4};                        // us; 1 ns stands for "none"
    if (slot == kOverlap) return {0.0, 1.0};  // searched linearly: 0 is a value
    if (slot == kBandwidth || slot == kWeightBandwidth) {
        // A stream cannot beat the datasheet's peak; a bandwidth that is only an assumption may
        // be beaten (cache) by up to 10x. Below 1% of it the "bandwidth" explains nothing real.
        const auto [gbs, assumed] = datasheetBandwidth(base);
        return {0.01 * gbs, (assumed ? 10.0 : 1.0) * gbs};
    }
    return {0.01, 1000.0};  // op costs: lane-ops per element
}

}  // namespace archscope::calibration
