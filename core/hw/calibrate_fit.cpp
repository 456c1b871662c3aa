// The calibration's search: every fitted parameter inside its bounds, in log space (overlap on
// its own scale), NLopt's Subplex then BOBYQA from several starts. See docs/calibration.md.
#include "calibrate_fit.h"

#include <nlopt.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>

#include "arch/error.h"
#include "util/splitmix64.h"

namespace archscope::calibration {
namespace {

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

/// The search vector: the log of each fitted parameter (overlap as it is), inside its bounds.
struct EncodedSearch {
    std::vector<int> slots;
    std::vector<ParameterBounds> bounds;  ///< per slot, in its unit
    std::vector<double> lo, hi, x0;       ///< encoded

    /// `start` with the fitted slots set from the encoded point `x`, clamped to their bounds.
    SlotValues decode(const double* x, SlotValues v) const {
        for (size_t i = 0; i < slots.size(); ++i) {
            v[slots[i]] = std::clamp(searchedInLog(slots[i]) ? std::exp(x[i]) : x[i], bounds[i].lo,
                                     bounds[i].hi);
        }
        return v;
    }
};

EncodedSearch encodeSearch(const std::vector<int>& slots, const Profile& boundsBase,
                           const SlotValues& start) {
    EncodedSearch e;
    e.slots = slots;
    for (int slot : slots) {
        const ParameterBounds b = boundsOf(boundsBase, slot);
        const bool logged = searchedInLog(slot);
        e.bounds.push_back(b);
        e.lo.push_back(logged ? std::log(b.lo) : b.lo);
        e.hi.push_back(logged ? std::log(b.hi) : b.hi);
        // An unset weight bandwidth starts at the bandwidth; an overhead of 0 at 1 us.
        const double from = start[slot] > 0.0          ? start[slot]
                            : slot == kWeightBandwidth ? start[kBandwidth]
                            : slot == kOverlap         ? 0.0
                                                       : 1.0;
        const double clamped = std::clamp(from, b.lo, b.hi);
        e.x0.push_back(logged ? std::log(clamped) : clamped);
    }
    return e;
}

/// One item's term of the objective: its total's squared log error, plus the weighted mean of
/// its stages' squared log errors. `stageBuf` is scratch space, kept to avoid allocations.
double itemTerm(const FitItem& item, const SlotValues& v, double stageWeight,
                std::vector<double>& stageBuf) {
    const PreparedSample& s = item.sample;
    stageBuf.assign(s.logStageMeasured.size(), 0.0);
    const double total = item.model.predict(s, v, &stageBuf);
    const double e = std::log(total) - s.logMeasured;
    double term = e * e;
    if (stageWeight > 0.0 && !stageBuf.empty()) {
        double st = 0.0;
        int n = 0;
        for (size_t i = 0; i < stageBuf.size(); ++i) {
            if (stageBuf[i] <= 0.0 || std::isnan(s.logStageMeasured[i])) continue;
            const double es = std::log(stageBuf[i]) - s.logStageMeasured[i];
            st += es * es;
            ++n;
        }
        if (n > 0) term += stageWeight * st / n;
    }
    return term;
}

using Objective = std::function<double(const double*)>;

/// From `x`: Subplex, then BOBYQA to polish, repeated from the point reached (a fresh simplex
/// escapes an early collapse on a kink) until a round gains nothing or `evaluations` (counted
/// by the objective) reaches `budget`.
std::pair<double, std::vector<double>> descend(const Objective& objective, const EncodedSearch& e,
                                               std::vector<double> x, int budget,
                                               const int& evaluations) {
    double best = objective(x.data());
    for (int round = 0; round < 20 && evaluations < budget; ++round) {
        localSearch(NLOPT_LN_SBPLX, objective, e.lo, e.hi, x, 1.0, budget - evaluations);
        // BOBYQA needs two dimensions or more.
        if (x.size() >= 2 && evaluations < budget) {
            localSearch(NLOPT_LN_BOBYQA, objective, e.lo, e.hi, x, 0.1, budget - evaluations);
        }
        const double now = objective(x.data());
        if (best - now < 1e-9 * (1.0 + best)) break;
        best = now;
    }
    return {objective(x.data()), x};
}

/// Several starts: the profile's values, then points drawn uniformly inside the (log) bounds
/// with a fixed seed through SplitMix64, so the fit is deterministic everywhere. An op cost hidden
/// under the memory time is a flat direction of max(compute, memory) that a local search from one
/// start cannot cross.
std::vector<double> multiStart(const Objective& objective, const EncodedSearch& e,
                               const FitOptions& opts, const int& evaluations) {
    const int starts = std::max(1, opts.starts);
    const int perStart = std::max(1, opts.maxEvaluations / starts);
    SplitMix64 rng(20240607);  // portable: the same starts with every standard library
    auto [bestValue, bestX] = descend(objective, e, e.x0, perStart, evaluations);
    for (int k = 1; k < starts; ++k) {
        std::vector<double> from(e.x0.size());
        for (size_t i = 0; i < from.size(); ++i) {
            from[i] = e.lo[i] + (e.hi[i] - e.lo[i]) * rng.unit();
        }
        auto [value, point] = descend(objective, e, from, perStart * (k + 1), evaluations);
        if (value < bestValue) bestValue = value, bestX = point;
    }
    return bestX;
}

}  // namespace

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

CoreFit fitItems(const std::vector<FitItem>& items, const std::vector<int>& slots,
                 const Profile& boundsBase, const SlotValues& start, const FitOptions& opts) {
    const EncodedSearch e = encodeSearch(slots, boundsBase, start);
    CoreFit r;
    std::vector<double> stageBuf;
    const Objective objective = [&](const double* x) {
        ++r.evaluations;
        double sum = 0.0;
        for (const auto& item : items)
            sum += itemTerm(item, e.decode(x, item.start), opts.stageWeight, stageBuf);
        double prior = 0.0;
        for (size_t i = 0; i < slots.size(); ++i) {
            const double d = std::clamp(x[i], e.lo[i], e.hi[i]) - e.x0[i];
            prior += d * d;
        }
        return sum / double(items.size()) + opts.priorWeight * prior;
    };

    r.initialObjective = objective(e.x0.data());
    const std::vector<double> bestX = multiStart(objective, e, opts, r.evaluations);
    r.finalObjective = objective(bestX.data());
    const auto values = e.decode(bestX.data(), start);
    for (int slot : slots) r.fitted.push_back(values[slot]);
    double abs = 0.0;
    for (const auto& item : items) {
        const auto v = e.decode(bestX.data(), item.start);
        abs += std::abs(
            std::exp(std::log(item.model.predict(item.sample, v)) - item.sample.logMeasured) - 1.0);
    }
    r.meanAbsErrorPercent = 100.0 * abs / double(items.size());
    return r;
}

}  // namespace archscope::calibration
