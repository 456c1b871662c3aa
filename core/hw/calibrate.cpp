// Calibration: fits a profile's efficiencies, overheads and op costs to measured latencies.
// Every group's time is linear in 1/efficiency, in the overheads and in the op costs (see
// model.cpp), so the groups are predicted once with unit parameters and the fit re-combines
// those parts: thousands of objective evaluations cost milliseconds. NLopt's bounded
// derivative-free optimisers search inside every parameter's bounds. See docs/calibration.md.
// This file is the public API; the parts live in calibrate_slots.cpp (parameters as slots),
// calibrate_sample.cpp (a network's linear parts, the fast model) and calibrate_fit.cpp (the
// search).
#include "calibrate.h"

#include <cmath>

#include "arch/error.h"
#include "calibrate_fit.h"
#include "model.h"

namespace archscope {

using namespace calibration;

int stageBlockIndex(std::string_view name) {
    if (name == "stem") return -1;
    if (name == "head") return -2;
    if (name.size() > 5 && name.substr(0, 5) == "block") {
        int v = 0;
        for (char ch : name.substr(5)) {
            if (ch < '0' || ch > '9' || v > 100000) return -3;
            v = v * 10 + (ch - '0');
        }
        return v;
    }
    return -3;
}

std::vector<std::string> fittableParameterNames() {
    std::vector<std::string> names;
    for (int slot = 0; slot < kSlotCount; ++slot) names.push_back(slotName(slot));
    return names;
}

double fittableParameter(const Profile& p, std::string_view name) {
    return slotsOf(p)[slotOf(name)];
}

void setFittableParameter(Profile& p, std::string_view name, double value,
                          const std::string& source) {
    const int slot = slotOf(name);
    if (slot < kOps0 || slot >= kPerStep) {
        setFreeParameter(p, name, value);
    } else if (slot == kBandwidth) {
        if (!(value > 0.0) || !std::isfinite(value)) {
            throw ArchError("calibration parameter \"memory.bandwidth\" of profile " + p.name +
                            " out of range: " + formatValue(value) + " GB/s (must be > 0)");
        }
        p.memory.bandwidthBytesPerSecond = value * 1e9;
    } else if (slot == kWeightBandwidth) {
        if (!(value > 0.0) || !std::isfinite(value)) {
            throw ArchError("calibration parameter \"memory.weight_bandwidth\" of profile " +
                            p.name + " out of range: " + formatValue(value) +
                            " GB/s (must be > 0)");
        }
        p.memory.weightBandwidthBytesPerSecond = value * 1e9;
    } else if (slot == kOverlap) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw ArchError("calibration parameter \"memory.overlap\" of profile " + p.name +
                            " out of range: " + formatValue(value) + " (must be in [0, 1])");
        }
        p.memory.overlap = value;
    } else {
        if (!(value >= 0.0) || !std::isfinite(value)) {
            throw ArchError("calibration parameter \"" + std::string(name) + "\" of profile " +
                            p.name + " out of range: " + formatValue(value) + " (must be >= 0)");
        }
        p.vector.opsPerElement[slot - kOps0] = value;
    }
    bool listed = false;
    for (auto& param : parametersHolding(p, name)) {
        if (param.path != name) continue;
        param.value = formatValue(value);
        param.source = source;
        param.assumption = false;
        listed = true;
    }
    // An optional parameter the file did not give (memory.overlap, memory.weight_bandwidth) is
    // listed from now on.
    if (!listed) {
        const char* unit = slot == kWeightBandwidth ? "GB/s"
                           : slot == kPerStep || slot == kPerFusedOp || slot == kPerLaunch
                               ? "us"
                               : "fraction";
        parametersHolding(p, name).push_back(
            {std::string(name), formatValue(value), unit, source, false});
    }
}

std::vector<std::string> defaultFitParameters(const std::string& kind) {
    if (kind == "cpu") {
        // One core runs loads, stores and FMAs from one instruction stream, so memory and
        // compute overlap only partly (memory.overlap); activations come back from cache while
        // weights stream from DRAM (memory.weight_bandwidth); ATen's depthwise and SiLU kernels
        // are compute-bound on their own, which the op costs let the fit see.
        return {"matrix.efficiency",
                "memory.efficiency",
                "memory.weight_bandwidth",
                "overhead.per_fused_op",
                "memory.overlap",
                "vector.ops_per_element.depthwise_mac",
                "vector.ops_per_element.swish"};
    }
    if (kind == "gpu") {
        // A GPU's datasheet rates hold; what differs between what the profile assumes and what a
        // framework reaches is the runtime's: launch costs and how close each class of kernel
        // gets to its roofline (the PyTorch eager fit of docs/hw-model.md, on this GPU).
        return {"overhead.per_kernel_launch", "efficiency.dense_conv", "efficiency.pointwise_conv",
                "efficiency.depthwise_conv", "efficiency.elementwise"};
    }
    return {"matrix.efficiency", "vector.efficiency", "memory.efficiency", "overhead.per_fused_op"};
}

std::vector<double> predictStagesMs(const Profile& p, const CalibrationSample& sample,
                                    Dtype dtype) {
    const PreparedSample prepared = prepare(p, sample, dtype, false);
    std::vector<double> stages(sample.stages.size(), 0.0);
    FastModel(p, p.vector.sharesMatrixUnits).predict(prepared, slotsOf(p), &stages);
    for (double& s : stages) s *= 1e3;
    return stages;
}

ParameterBounds fitBounds(const Profile& base, std::string_view name) {
    return boundsOf(base, slotOf(name));
}

FitResult fitProfile(const Profile& base, const std::vector<CalibrationSample>& samples,
                     const FitOptions& opts) {
    if (samples.empty()) throw ArchError("calibration needs at least one measured network");
    const std::vector<std::string> names =
        opts.parameters.empty() ? defaultFitParameters(base.kind) : opts.parameters;
    const std::vector<int> slots = slotsFor(names);
    requireDtype(base, opts.dtype);
    const SlotValues start = slotsOf(base);
    std::vector<FitItem> items;
    for (const auto& s : samples) {
        items.push_back(
            {prepare(base, s, opts.dtype), FastModel(base, base.vector.sharesMatrixUnits), start});
    }
    const CoreFit core = fitItems(items, slots, base, start, opts);

    FitResult r;
    r.initialObjective = core.initialObjective;
    r.finalObjective = core.finalObjective;
    r.meanAbsErrorPercent = core.meanAbsErrorPercent;
    r.evaluations = core.evaluations;
    r.profile = base;
    for (size_t i = 0; i < slots.size(); ++i) {
        setFittableParameter(r.profile, names[i], core.fitted[i]);
        std::string unit = "fraction";
        Profile copy = base;
        for (const auto& p : parametersHolding(copy, names[i])) {
            if (p.path == names[i]) unit = p.unit;
        }
        if (slots[i] == kWeightBandwidth) unit = "GB/s";
        r.parameters.push_back({names[i], unit, start[slots[i]], core.fitted[i]});
    }
    return r;
}

RuntimeFitResult fitRuntime(const std::vector<PlatformSample>& samples, const FitOptions& opts) {
    if (samples.empty()) throw ArchError("a runtime fit needs at least one measured network");
    const std::vector<std::string> names = opts.parameters;
    if (names.empty()) throw ArchError("a runtime fit needs the parameters to fit");
    for (const auto& n : names) {
        if (!isRuntimeParameter(n)) {
            throw ArchError("\"" + n + "\" belongs to a platform's hardware, not to the runtime: " +
                            "a fit over several platforms fits runtime parameters only " +
                            "(overhead.*, efficiency.*)");
        }
    }
    const std::vector<int> slots = slotsFor(names);
    const Profile& first = samples.front().platform;
    for (const auto& ps : samples) {
        if (ps.platform.runtime.name != first.runtime.name || ps.platform.kind != first.kind) {
            throw ArchError(
                "a runtime fit needs every sample under the same runtime and platform "
                "kind; got " +
                first.runtime.name + " on " + first.kind + " and " + ps.platform.runtime.name +
                " on " + ps.platform.kind);
        }
        requireDtype(ps.platform, ps.dtype);
    }
    std::vector<FitItem> items;
    for (const auto& ps : samples) {
        items.push_back({prepare(ps.platform, ps.sample, ps.dtype),
                         FastModel(ps.platform, ps.platform.vector.sharesMatrixUnits),
                         slotsOf(ps.platform)});
    }
    const CoreFit core = fitItems(items, slots, first, slotsOf(first), opts);
    RuntimeFitResult r;
    r.initialObjective = core.initialObjective;
    r.finalObjective = core.finalObjective;
    r.meanAbsErrorPercent = core.meanAbsErrorPercent;
    r.evaluations = core.evaluations;
    Profile carrier = first;
    for (size_t i = 0; i < slots.size(); ++i) {
        r.parameters.push_back({names[i], names[i].rfind("overhead.", 0) == 0 ? "us" : "fraction",
                                slotsOf(first)[size_t(slots[i])], core.fitted[i]});
        setFittableParameter(carrier, names[i], core.fitted[i]);
    }
    r.runtime = carrier.runtime;
    return r;
}

}  // namespace archscope
