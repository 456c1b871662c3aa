// Calibration: fits a profile's efficiencies, overheads and op costs to measured latencies.
// Every group's time is linear in 1/efficiency, in the overheads and in the op costs (see
// model.cpp), so the groups are predicted once with unit parameters and the fit re-combines
// those parts: thousands of objective evaluations cost milliseconds. NLopt's bounded
// derivative-free optimisers search inside every parameter's bounds. See docs/calibration.md.
#include "calibrate.h"

#include <nlopt.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>

#include "arch/error.h"
#include "model.h"

namespace archscope {
namespace {

constexpr std::string_view kOpPrefix = "vector.ops_per_element.";

std::string formatValue(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

/// Every fittable quantity of a profile, in one flat vector (the order of fittableParameterNames).
enum Slot { kMatrixEff, kVectorEff, kMemoryEff, kPerFusedOp, kPerLaunch, kOps0 };
constexpr int kOverlap = kOps0 + kVectorOpCount;
constexpr int kBandwidth = kOverlap + 1;          ///< GB/s
constexpr int kWeightBandwidth = kBandwidth + 1;  ///< GB/s; 0 = kBandwidth
constexpr int kPerStep = kWeightBandwidth + 1;    ///< us, once per pass (the runtime's)
constexpr int kClassEff0 = kPerStep + 1;          ///< the runtime's efficiency per OpClass
constexpr int kSlotCount = kClassEff0 + kOpClassCount;

std::array<double, kSlotCount> slotsOf(const Profile& p) {
    std::array<double, kSlotCount> s{};
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

/// The profile-file name of each slot: the one place that ties the Slot layout to names
/// (fittableParameterNames lists them in slot order).
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

/// The base profile's memory.bandwidth in GB/s, and whether the file states it as an assumption
/// rather than a datasheet figure (the CPU profile's is a guess; a cache can beat it).
std::pair<double, bool> datasheetBandwidth(const Profile& base) {
    bool assumed = true;
    for (const auto& param : base.parameters) {
        if (param.path == "memory.bandwidth") assumed = param.assumption;
    }
    return {base.memory.bandwidthBytesPerSecond * 1e-9, assumed};
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

/// Overlap is searched on its own scale (0 is a legal value); the rest in log space, where a
/// factor of two is the same step at every magnitude.
bool searchedInLog(int slot) {
    return slot != kOverlap;
}

/// One fused op's time as a linear form of the parameters (unit efficiencies, no overhead).
struct GroupParts {
    double matrix = 0.0;
    std::array<double, kVectorOpCount> vectorPerOp{};  ///< seconds per unit op cost
    double memory = 0.0;                               ///< activations, at the base bandwidth
    double weightMemory = 0.0;                         ///< weights, at the base weight bandwidth
    double onChipMemory = 0.0;  ///< activations read from on-chip memory (CMEM), at its rate
    int stage = -1;             ///< index into the sample's stages, -1 if none
    int opClass = 0;            ///< OpClass of the group's anchor: which runtime efficiency applies
};

struct PreparedSample {
    std::vector<GroupParts> groups;
    double logMeasured = 0.0;
    std::vector<double> logStageMeasured;
};

/// A profile with unit efficiencies, no overhead and all op costs 0.
Profile unitProfile(const Profile& base) {
    Profile u = base;
    u.matrix.efficiency = u.vector.efficiency = u.memory.efficiency = 1.0;
    u.runtime.perGroupSeconds = u.runtime.perKernelLaunchSeconds = u.runtime.perStepSeconds = 0.0;
    u.runtime.efficiency.fill(1.0);
    u.vector.opsPerElement.fill(0.0);
    return u;
}

PreparedSample prepare(const Profile& base, const CalibrationSample& s, Dtype dtype,
                       bool needMeasured = true) {
    if (needMeasured && (!(s.measuredMs > 0.0) || !std::isfinite(s.measuredMs))) {
        throw ArchError("calibration sample \"" + s.name + "\" has no positive measured time");
    }
    if (s.layers.empty()) throw ArchError("calibration sample \"" + s.name + "\" has no layers");
    Profile u = unitProfile(base);
    PreparedSample out;
    const auto groups = predictGroups(u, s.layers, dtype);
    // Activation bytes alone: weights streamed infinitely fast.
    Profile activationsOnly = u;
    activationsOnly.memory.weightBandwidthBytesPerSecond = 1e300;
    const auto actGroups = predictGroups(activationsOnly, s.layers, dtype);
    // Off-chip activation bytes alone (on-chip reads infinitely fast too): the rest of the
    // activation time is on-chip, which memory.bandwidth does not scale. Which reads are on chip
    // depends on bytes only, so the three predictions agree on it.
    const bool onChip = base.memory.onChipBandwidthBytesPerSecond > 0.0;
    Profile offChipOnly = activationsOnly;
    offChipOnly.memory.onChipBandwidthBytesPerSecond = 1e300;
    const auto offGroups =
        onChip ? predictGroups(offChipOnly, s.layers, dtype) : std::vector<GroupCost>{};
    out.groups.resize(groups.size());
    std::vector<int> stageOfBlock;  // block index + 2 -> stage index
    for (size_t i = 0; i < s.stages.size(); ++i) {
        const int block = stageBlockIndex(s.stages[i].name);
        if (block < -2) continue;
        if (int(stageOfBlock.size()) <= block + 2) stageOfBlock.resize(block + 3, -1);
        stageOfBlock[block + 2] = int(i);
    }
    for (size_t g = 0; g < groups.size(); ++g) {
        out.groups[g].matrix = groups[g].matrixSeconds;
        out.groups[g].memory = onChip ? offGroups[g].memorySeconds : actGroups[g].memorySeconds;
        out.groups[g].onChipMemory =
            onChip ? actGroups[g].memorySeconds - offGroups[g].memorySeconds : 0.0;
        out.groups[g].weightMemory = groups[g].memorySeconds - actGroups[g].memorySeconds;
        out.groups[g].opClass = int(groups[g].opClass);
        const int block = s.layers[groups[g].anchorLayer].block + 2;
        out.groups[g].stage =
            block >= 0 && block < int(stageOfBlock.size()) ? stageOfBlock[block] : -1;
    }
    // The vector time is linear in each op cost: predict once per op with that cost at 1.
    for (int op = 0; op < kVectorOpCount; ++op) {
        u.vector.opsPerElement.fill(0.0);
        u.vector.opsPerElement[op] = 1.0;
        const auto perOp = predictGroups(u, s.layers, dtype);
        for (size_t g = 0; g < groups.size(); ++g)
            out.groups[g].vectorPerOp[op] = perOp[g].vectorSeconds;
    }
    out.logMeasured = std::log(s.measuredMs * 1e-3);
    // A stage without a positive time (NaN here) is left out of the fit.
    for (const auto& st : s.stages) {
        out.logStageMeasured.push_back(st.measuredMs > 0.0 ? std::log(st.measuredMs * 1e-3)
                                                           : std::nan(""));
    }
    return out;
}

/// Evaluates predictions from the linear parts: scales them by the candidate parameters, then
/// combines them with the model's own fusedOpSeconds.
class FastModel {
public:
    FastModel(const Profile& base, bool sharesUnits)
        : m_baseBandwidth(base.memory.bandwidthBytesPerSecond * 1e-9),
          m_baseWeightBandwidth(base.memory.weightBandwidthBytesPerSecond > 0.0
                                    ? base.memory.weightBandwidthBytesPerSecond * 1e-9
                                    : m_baseBandwidth),
          m_shares(sharesUnits) {}

    /// Total seconds; fills per-stage seconds if `stages` is given.
    double predict(const PreparedSample& s, const std::array<double, kSlotCount>& x,
                   std::vector<double>* stages = nullptr) const {
        const double overhead = (x[kPerFusedOp] + x[kPerLaunch]) * 1e-6;
        const double weightBandwidth =
            x[kWeightBandwidth] > 0.0 ? x[kWeightBandwidth] : x[kBandwidth];
        double total = 0.0;
        for (const auto& g : s.groups) {
            double vector = 0.0;
            for (int op = 0; op < kVectorOpCount; ++op) vector += g.vectorPerOp[op] * x[kOps0 + op];
            const double memory =
                (g.memory * (m_baseBandwidth / x[kBandwidth]) +
                 g.weightMemory * (m_baseWeightBandwidth / weightBandwidth) + g.onChipMemory) /
                x[kMemoryEff];
            const double t =
                fusedOpSeconds(g.matrix / x[kMatrixEff], vector / x[kVectorEff], memory, overhead,
                               m_shares, x[kOverlap], x[kClassEff0 + g.opClass]);
            total += t;
            if (stages && g.stage >= 0) (*stages)[g.stage] += t;
        }
        return total + x[kPerStep] * 1e-6;
    }

private:
    double m_baseBandwidth;  ///< GB/s the parts were predicted with
    double m_baseWeightBandwidth;
    bool m_shares;
};

/// One bounded local search with NLopt from `x` (updated in place); returns the value reached.
/// `algorithm` is NLOPT_LN_SBPLX (Subplex: Nelder-Mead on subspaces, robust on the kinks of
/// max(compute, memory)) or NLOPT_LN_BOBYQA (quadratic models: fast polishing near a minimum).
double localSearch(nlopt_algorithm algorithm, const std::function<double(const double*)>& f,
                   const std::vector<double>& lo, const std::vector<double>& hi,
                   std::vector<double>& x, double step, int budget) {
    const unsigned n = unsigned(x.size());
    std::unique_ptr<nlopt_opt_s, decltype(&nlopt_destroy)> opt(nlopt_create(algorithm, n),
                                                               &nlopt_destroy);
    if (!opt) throw ArchError("calibration: NLopt could not create its optimiser");
    auto thunk = [](unsigned, const double* v, double*, void* data) {
        return (*static_cast<const std::function<double(const double*)>*>(data))(v);
    };
    std::vector<double> steps(n);
    for (unsigned i = 0; i < n; ++i) {
        x[i] = std::clamp(x[i], lo[i], hi[i]);
        steps[i] = std::min(step, 0.25 * (hi[i] - lo[i]));
    }
    nlopt_set_lower_bounds(opt.get(), lo.data());
    nlopt_set_upper_bounds(opt.get(), hi.data());
    nlopt_set_min_objective(opt.get(), thunk, const_cast<void*>(static_cast<const void*>(&f)));
    nlopt_set_initial_step(opt.get(), steps.data());
    nlopt_set_maxeval(opt.get(), std::max(2 * int(n) + 2, budget));
    nlopt_set_ftol_abs(opt.get(), 1e-14);
    nlopt_set_xtol_rel(opt.get(), 1e-9);
    double value = 0.0;
    const nlopt_result rc = nlopt_optimize(opt.get(), x.data(), &value);
    // Round-off and budget limits still leave the best point found in x; only a refusal of the
    // problem itself is an error (a programming error here: bounds and start are checked).
    if (rc == NLOPT_INVALID_ARGS || rc == NLOPT_OUT_OF_MEMORY) {
        throw ArchError(std::string("calibration: NLopt failed: ") + nlopt_result_to_string(rc));
    }
    return f(x.data());
}

}  // namespace

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

namespace {

/// One sample ready for the objective: its linear parts, the model of its own platform and that
/// platform's parameter values (the fit overwrites the fitted slots).
struct FitItem {
    PreparedSample sample;
    FastModel model;
    std::array<double, kSlotCount> start;
};

struct CoreFit {
    std::vector<double> fitted;  ///< per fitted slot, in its unit
    double initialObjective = 0.0, finalObjective = 0.0, meanAbsErrorPercent = 0.0;
    int evaluations = 0;
};

std::vector<int> slotsFor(const std::vector<std::string>& names) {
    std::vector<int> slots;
    for (const auto& n : names) {
        const int slot = slotOf(n);
        if (std::find(slots.begin(), slots.end(), slot) != slots.end()) {
            throw ArchError("calibration parameter \"" + n + "\" is listed twice");
        }
        slots.push_back(slot);
    }
    return slots;
}

/// The bounded multi-start search shared by fitProfile and fitRuntime. `boundsBase` gives the
/// bounds (only bandwidths depend on a profile); `start` the starting values of the slots.
/// Long (~100 lines): the objective, the starts and the SBPLX/BOBYQA rounds share the encoded
/// search vector and its bounds, which helpers would have to pass around as a bundle.
CoreFit fitItems(const std::vector<FitItem>& items, const std::vector<int>& slots,
                 const Profile& boundsBase, const std::array<double, kSlotCount>& start,
                 const FitOptions& opts) {
    // The search vector: log of each parameter (overlap as it is), inside its bounds.
    std::vector<double> lo, hi, x0;
    for (int slot : slots) {
        const ParameterBounds b = boundsOf(boundsBase, slot);
        const bool logged = searchedInLog(slot);
        lo.push_back(logged ? std::log(b.lo) : b.lo);
        hi.push_back(logged ? std::log(b.hi) : b.hi);
        // An unset weight bandwidth starts at the bandwidth; an overhead of 0 at 1 us.
        const double from = start[slot] > 0.0          ? start[slot]
                            : slot == kWeightBandwidth ? start[kBandwidth]
                            : slot == kOverlap         ? 0.0
                                                       : 1.0;
        const double clamped = std::clamp(from, b.lo, b.hi);
        x0.push_back(logged ? std::log(clamped) : clamped);
    }
    auto decode = [&](const double* x, std::array<double, kSlotCount> v) {
        for (size_t i = 0; i < slots.size(); ++i) {
            const ParameterBounds b = boundsOf(boundsBase, slots[i]);
            v[slots[i]] = std::clamp(searchedInLog(slots[i]) ? std::exp(x[i]) : x[i], b.lo, b.hi);
        }
        return v;
    };
    CoreFit r;
    std::vector<double> stageBuf;
    const std::function<double(const double*)> objective = [&](const double* x) {
        ++r.evaluations;
        double sum = 0.0;
        for (const auto& item : items) {
            const auto v = decode(x, item.start);
            const PreparedSample& s = item.sample;
            stageBuf.assign(s.logStageMeasured.size(), 0.0);
            const double total = item.model.predict(s, v, &stageBuf);
            const double e = std::log(total) - s.logMeasured;
            double term = e * e;
            if (opts.stageWeight > 0.0 && !stageBuf.empty()) {
                double st = 0.0;
                int n = 0;
                for (size_t i = 0; i < stageBuf.size(); ++i) {
                    if (stageBuf[i] <= 0.0 || std::isnan(s.logStageMeasured[i])) continue;
                    const double es = std::log(stageBuf[i]) - s.logStageMeasured[i];
                    st += es * es;
                    ++n;
                }
                if (n > 0) term += opts.stageWeight * st / n;
            }
            sum += term;
        }
        double prior = 0.0;
        for (size_t i = 0; i < slots.size(); ++i) {
            const double d = std::clamp(x[i], lo[i], hi[i]) - x0[i];
            prior += d * d;
        }
        return sum / double(items.size()) + opts.priorWeight * prior;
    };

    r.initialObjective = objective(x0.data());
    // From each start: Subplex, then BOBYQA to polish, repeated from the point reached (a fresh
    // simplex escapes an early collapse on a kink) until a round gains nothing.
    auto descend = [&](std::vector<double> x, int budget) {
        double best = objective(x.data());
        for (int round = 0; round < 20 && r.evaluations < budget; ++round) {
            localSearch(NLOPT_LN_SBPLX, objective, lo, hi, x, 1.0, budget - r.evaluations);
            // BOBYQA needs two dimensions or more.
            if (x.size() >= 2 && r.evaluations < budget) {
                localSearch(NLOPT_LN_BOBYQA, objective, lo, hi, x, 0.1, budget - r.evaluations);
            }
            const double now = objective(x.data());
            if (best - now < 1e-9 * (1.0 + best)) break;
            best = now;
        }
        return std::pair{objective(x.data()), x};
    };
    // Several starts: the profile's values, then points drawn uniformly inside the (log) bounds
    // with a fixed seed, so the fit is deterministic. An op cost hidden under the memory time is
    // a flat direction of max(compute, memory) that a local search from one start cannot cross.
    const int starts = std::max(1, opts.starts);
    const int perStart = std::max(1, opts.maxEvaluations / starts);
    std::mt19937_64 rng(20240607);
    auto [bestValue, bestX] = descend(x0, perStart);
    for (int k = 1; k < starts; ++k) {
        std::vector<double> from(x0.size());
        for (size_t i = 0; i < from.size(); ++i) {
            from[i] = std::uniform_real_distribution<double>(lo[i], hi[i])(rng);
        }
        auto [value, point] = descend(from, perStart * (k + 1));
        if (value < bestValue) bestValue = value, bestX = point;
    }
    r.finalObjective = objective(bestX.data());
    const auto values = decode(bestX.data(), start);
    for (int slot : slots) r.fitted.push_back(values[slot]);
    double abs = 0.0;
    for (const auto& item : items) {
        const auto v = decode(bestX.data(), item.start);
        abs += std::abs(
            std::exp(std::log(item.model.predict(item.sample, v)) - item.sample.logMeasured) - 1.0);
    }
    r.meanAbsErrorPercent = 100.0 * abs / double(items.size());
    return r;
}

}  // namespace

FitResult fitProfile(const Profile& base, const std::vector<CalibrationSample>& samples,
                     const FitOptions& opts) {
    if (samples.empty()) throw ArchError("calibration needs at least one measured network");
    const std::vector<std::string> names =
        opts.parameters.empty() ? defaultFitParameters(base.kind) : opts.parameters;
    const std::vector<int> slots = slotsFor(names);
    requireDtype(base, opts.dtype);
    const std::array<double, kSlotCount> start = slotsOf(base);
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
