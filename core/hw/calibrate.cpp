// Calibration: fits a profile's efficiencies, overheads and op costs to measured latencies.
// Every group's time is linear in 1/efficiency, in the overheads and in the op costs (see
// model.cpp), so the groups are predicted once with unit parameters and the fit re-combines
// those parts: thousands of objective evaluations cost milliseconds. See docs/calibration.md.
#include "calibrate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

#include "arch/error.h"
#include "model.h"

namespace archscope {
namespace {

constexpr const char* kOpNames[kVectorOpCount] = {
    "bn", "relu", "relu6", "swish", "sigmoid", "multiply", "add", "pool", "depthwise_mac"};
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
constexpr int kSlotCount = kWeightBandwidth + 1;

std::array<double, kSlotCount> slotsOf(const Profile& p) {
    std::array<double, kSlotCount> s{};
    s[kMatrixEff] = p.matrix.efficiency;
    s[kVectorEff] = p.vector.efficiency;
    s[kMemoryEff] = p.memory.efficiency;
    s[kPerFusedOp] = p.overhead.perGroupSeconds * 1e6;
    s[kPerLaunch] = p.overhead.perKernelLaunchSeconds * 1e6;
    for (int i = 0; i < kVectorOpCount; ++i) s[kOps0 + i] = p.vector.opsPerElement[i];
    s[kOverlap] = p.memory.overlap;
    s[kBandwidth] = p.memory.bandwidthBytesPerSecond * 1e-9;
    s[kWeightBandwidth] = p.memory.weightBandwidthBytesPerSecond * 1e-9;
    return s;
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

struct Bounds {
    double lo, hi;
};
Bounds boundsOf(int slot) {
    if (slot <= kMemoryEff) return {0.005, 1.5};
    if (slot <= kPerLaunch) return {0.001, 1e4};
    if (slot == kOverlap) return {0.001, 1.0};
    if (slot == kBandwidth || slot == kWeightBandwidth) return {0.1, 1e5};
    return {0.01, 1000.0};
}

/// One fused op's time as a linear form of the parameters (unit efficiencies, no overhead).
struct GroupParts {
    double matrix = 0.0;
    std::array<double, kVectorOpCount> vectorPerOp{};  ///< seconds per unit op cost
    double memory = 0.0;                               ///< activations, at the base bandwidth
    double weightMemory = 0.0;                         ///< weights, at the base weight bandwidth
    int stage = -1;  ///< index into the sample's stages, -1 if none
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
    u.overhead = {};
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
        out.groups[g].memory = actGroups[g].memorySeconds;
        out.groups[g].weightMemory = groups[g].memorySeconds - actGroups[g].memorySeconds;
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

/// Evaluates predictions from the linear parts; the same arithmetic as model.cpp's finish().
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
            const double matrix = g.matrix / x[kMatrixEff];
            vector /= x[kVectorEff];
            const double compute = m_shares ? matrix + vector : std::max(matrix, vector);
            const double memory = (g.memory * (m_baseBandwidth / x[kBandwidth]) +
                                   g.weightMemory * (m_baseWeightBandwidth / weightBandwidth)) /
                                  x[kMemoryEff];
            const double t = std::max(compute, memory) +
                             (1.0 - x[kOverlap]) * std::min(compute, memory) + overhead;
            total += t;
            if (stages && g.stage >= 0) (*stages)[g.stage] += t;
        }
        return total;
    }

private:
    double m_baseBandwidth;  ///< GB/s the parts were predicted with
    double m_baseWeightBandwidth;
    bool m_shares;
};

/// Nelder-Mead (Lagarias et al. 1998 coefficients) over an unbounded vector; bounds are
/// applied by the objective. Stops after `budget` evaluations or when the simplex is flat.
template <typename F>
std::vector<double> nelderMead(F&& f, std::vector<double> start, double step, int budget,
                               int& used) {
    const size_t n = start.size();
    std::vector<std::vector<double>> pts(n + 1, start);
    std::vector<double> val(n + 1);
    for (size_t i = 0; i < n; ++i) pts[i + 1][i] += step;
    for (size_t i = 0; i <= n; ++i) val[i] = f(pts[i]);
    used += int(n + 1);
    std::vector<size_t> order(n + 1);
    auto combine = [&](const std::vector<double>& c, const std::vector<double>& p, double t) {
        std::vector<double> r(n);
        for (size_t k = 0; k < n; ++k) r[k] = c[k] + t * (p[k] - c[k]);
        return r;
    };
    while (used < budget) {
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return val[a] < val[b]; });
        const size_t best = order.front(), worst = order.back(), second = order[n - 1];
        if (val[worst] - val[best] < 1e-12 * (1.0 + std::abs(val[best]))) break;
        std::vector<double> c(n, 0.0);
        for (size_t i = 0; i <= n; ++i) {
            if (i == worst) continue;
            for (size_t k = 0; k < n; ++k) c[k] += pts[i][k] / double(n);
        }
        const auto refl = combine(c, pts[worst], -1.0);
        const double fr = f(refl);
        ++used;
        if (fr < val[best]) {
            const auto exp = combine(c, pts[worst], -2.0);
            const double fe = f(exp);
            ++used;
            if (fe < fr) {
                pts[worst] = exp, val[worst] = fe;
            } else {
                pts[worst] = refl, val[worst] = fr;
            }
            continue;
        }
        if (fr < val[second]) {
            pts[worst] = refl, val[worst] = fr;
            continue;
        }
        const bool outside = fr < val[worst];
        const auto con = combine(c, outside ? refl : pts[worst], 0.5);
        const double fc = f(con);
        ++used;
        if (fc < std::min(fr, val[worst])) {
            pts[worst] = con, val[worst] = fc;
            continue;
        }
        for (size_t i = 0; i <= n; ++i) {  // shrink towards the best point
            if (i == best) continue;
            pts[i] = combine(pts[best], pts[i], 0.5);
            val[i] = f(pts[i]);
            ++used;
        }
    }
    const size_t best = size_t(std::min_element(val.begin(), val.end()) - val.begin());
    return pts[best];
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
    std::vector<std::string> names = {"matrix.efficiency", "vector.efficiency", "memory.efficiency",
                                      "overhead.per_fused_op", "overhead.per_kernel_launch"};
    for (const char* op : kOpNames) names.push_back(std::string(kOpPrefix) + op);
    names.push_back("memory.overlap");
    names.push_back("memory.bandwidth");
    names.push_back("memory.weight_bandwidth");
    return names;
}

double fittableParameter(const Profile& p, std::string_view name) {
    return slotsOf(p)[slotOf(name)];
}

void setFittableParameter(Profile& p, std::string_view name, double value,
                          const std::string& source) {
    const int slot = slotOf(name);
    if (slot < kOps0) {
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
    for (auto& param : p.parameters) {
        if (param.path != name) continue;
        param.value = formatValue(value);
        param.source = source;
        param.assumption = false;
        listed = true;
    }
    // An optional parameter the file did not give (memory.overlap, memory.weight_bandwidth) is
    // listed from now on.
    if (!listed) {
        const char* unit = slot == kWeightBandwidth ? "GB/s" : "fraction";
        p.parameters.push_back({std::string(name), formatValue(value), unit, source, false});
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

FitResult fitProfile(const Profile& base, const std::vector<CalibrationSample>& samples,
                     const FitOptions& opts) {
    if (samples.empty()) throw ArchError("calibration needs at least one measured network");
    const std::vector<std::string> names =
        opts.parameters.empty() ? defaultFitParameters(base.kind) : opts.parameters;
    std::vector<int> slots;
    for (const auto& n : names) slots.push_back(slotOf(n));
    requireDtype(base, opts.dtype);

    std::vector<PreparedSample> prepared;
    for (const auto& s : samples) prepared.push_back(prepare(base, s, opts.dtype));
    const FastModel model(base, base.vector.sharesMatrixUnits);
    const std::array<double, kSlotCount> start = slotsOf(base);

    // Search in log space, starting from the profile's values (an overhead of 0 starts at 1 us).
    std::vector<double> x0;
    for (int slot : slots) {
        const Bounds b = boundsOf(slot);
        // An unset weight bandwidth starts at the bandwidth; an overhead of 0 at 1 us.
        const double from = start[slot] > 0.0          ? start[slot]
                            : slot == kWeightBandwidth ? start[kBandwidth]
                                                       : 1.0;
        x0.push_back(std::log(std::clamp(from, b.lo, b.hi)));
    }
    auto decode = [&](const std::vector<double>& x) {
        std::array<double, kSlotCount> v = start;
        for (size_t i = 0; i < slots.size(); ++i) {
            const Bounds b = boundsOf(slots[i]);
            v[slots[i]] = std::clamp(std::exp(x[i]), b.lo, b.hi);
        }
        return v;
    };
    std::vector<double> stageBuf;
    auto objective = [&](const std::vector<double>& x) {
        const auto v = decode(x);
        double sum = 0.0;
        for (const auto& s : prepared) {
            stageBuf.assign(s.logStageMeasured.size(), 0.0);
            const double total = model.predict(s, v, &stageBuf);
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
        for (size_t i = 0; i < x.size(); ++i) {
            const Bounds b = boundsOf(slots[i]);
            const double d = std::clamp(x[i], std::log(b.lo), std::log(b.hi)) - x0[i];
            prior += d * d;
        }
        return sum / double(prepared.size()) + opts.priorWeight * prior;
    };

    FitResult r;
    r.initialObjective = objective(x0);
    std::vector<double> x = x0;
    // An op cost hidden under the memory time is a flat direction of max(compute, memory):
    // a local search cannot see past it. So each round first scans every parameter over its
    // whole range (log grid), then polishes with Nelder-Mead, restarted from the best point to
    // escape its early collapse on the kinks; stop when a round gains nothing.
    auto scan = [&] {
        for (size_t i = 0; i < x.size(); ++i) {
            const Bounds b = boundsOf(slots[i]);
            const double lo = std::log(b.lo), hi = std::log(b.hi);
            double bestValue = objective(x), bestX = x[i];
            constexpr int kSteps = 48;
            for (int k = 0; k <= kSteps; ++k) {
                std::vector<double> trial = x;
                trial[i] = lo + (hi - lo) * k / kSteps;
                const double v = objective(trial);
                if (v < bestValue) bestValue = v, bestX = trial[i];
            }
            r.evaluations += kSteps + 2;
            x[i] = bestX;
        }
    };
    // Several starts: the profile's values, then points drawn log-uniformly inside the bounds
    // (a fixed seed keeps the fit deterministic). Ops hidden under memory and a bandwidth that
    // hides them must move together, which no single-parameter scan finds from one start.
    auto descend = [&](std::vector<double> from, int budget) {
        x = std::move(from);
        double best = objective(x);
        for (int round = 0; round < 20 && r.evaluations < budget; ++round) {
            scan();
            for (double step : {1.0, 0.3, 0.1})
                x = nelderMead(objective, x, step, budget, r.evaluations);
            const double now = objective(x);
            if (best - now < 1e-9 * (1.0 + best)) break;
            best = now;
        }
        return std::pair{objective(x), x};
    };
    const int starts = std::max(1, opts.starts);
    const int perStart = std::max(1, opts.maxEvaluations / starts);
    std::mt19937_64 rng(20240607);
    auto [bestValue, bestX] = descend(x0, perStart);
    for (int k = 1; k < starts; ++k) {
        std::vector<double> from(x0.size());
        for (size_t i = 0; i < from.size(); ++i) {
            const Bounds bd = boundsOf(slots[i]);
            from[i] = std::uniform_real_distribution<double>(std::log(bd.lo), std::log(bd.hi))(rng);
        }
        auto [value, point] = descend(from, perStart * (k + 1));
        if (value < bestValue) bestValue = value, bestX = point;
    }
    x = bestX;
    r.finalObjective = objective(x);
    const auto fitted = decode(x);

    r.profile = base;
    for (size_t i = 0; i < slots.size(); ++i) {
        setFittableParameter(r.profile, names[i], fitted[slots[i]]);
        std::string unit = "fraction";
        for (const auto& p : base.parameters) {
            if (p.path == names[i]) unit = p.unit;
        }
        r.parameters.push_back({names[i], unit, start[slots[i]], fitted[slots[i]]});
    }
    double abs = 0.0;
    for (const auto& s : prepared) {
        abs += std::abs(std::exp(std::log(model.predict(s, fitted)) - s.logMeasured) - 1.0);
    }
    r.meanAbsErrorPercent = 100.0 * abs / double(prepared.size());
    return r;
}

}  // namespace archscope
