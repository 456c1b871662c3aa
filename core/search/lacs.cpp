#include "lacs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <utility>

#include "arch/error.h"
#include "arch/expand.h"

namespace archscope {

namespace {

constexpr int kMaxSteps = 12;
// phi stops where one factor reaches this: far beyond any family in the papers (B7 is ~3x
// depth), yet room for a width-only direction, whose B7 on TPUv3 needs ~20x the width because
// wider layers fill the MXU better; it keeps the network's counts well inside 64 bits.
constexpr double kMaxFactor = 64.0;
constexpr int kBisections = 60;

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

int64_t axisPoints(double max, double step) {
    return static_cast<int64_t>(std::floor((max - 1.0) / step + 1e-9)) + 1;
}

FamilyMember costed(const NetworkSpec& spec, double latencyMs) {
    const NetworkCost cost = totalCost(expandLayers(buildNetwork(spec), 1));
    FamilyMember m;
    m.name = spec.name;
    m.width = spec.scaling.width;
    m.depth = spec.scaling.depth;
    m.resolution = spec.scaling.resolution;
    m.latencyMs = latencyMs;
    m.macs = cost.macs;
    m.params = cost.params;
    return m;
}

}  // namespace

void LacsParams::validate() const {
    if (targetsMs.empty() && (steps < 1 || steps > kMaxSteps))
        throw ArchError("LACS: steps must be in 1.." + std::to_string(kMaxSteps));
    if (!targetsMs.empty()) {
        if (int(targetsMs.size()) > kMaxSteps)
            throw ArchError("LACS: at most " + std::to_string(kMaxSteps) + " targets");
        if (int(targetsMs.size()) != steps)
            throw ArchError("LACS: " + std::to_string(targetsMs.size()) + " targets for " +
                            std::to_string(steps) + " steps");
        for (size_t i = 0; i < targetsMs.size(); ++i) {
            if (!std::isfinite(targetsMs[i]) || targetsMs[i] <= 0.0)
                throw ArchError("LACS: target " + std::to_string(i + 1) +
                                " must be a positive number of milliseconds");
            if (i > 0 && !(targetsMs[i] > targetsMs[i - 1]))
                throw ArchError("LACS: targets must increase (B" + std::to_string(i + 1) +
                                "'s is not above B" + std::to_string(i) + "'s)");
        }
    }
    if (!std::isfinite(latencyRatio) || !(latencyRatio > 1.0))
        throw ArchError("LACS: the latency ratio must be > 1");
    if (!(gridStep > 0.0) || !std::isfinite(gridStep))
        throw ArchError("LACS: the grid step must be > 0");
    if (!(alphaMax >= 1.0 && betaMax >= 1.0 && gammaMax >= 1.0))
        throw ArchError("LACS: the grid maxima must be >= 1");
    if (!(tolerance > 0.0 && tolerance < 1.0) || !(memberTolerance > 0.0 && memberTolerance < 1.0))
        throw ArchError("LACS: tolerances must be in (0, 1)");
    if (resolutionMultiple < 1) throw ArchError("LACS: the resolution multiple must be >= 1");
}

int64_t LacsParams::gridSize() const {
    return axisPoints(alphaMax, gridStep) * axisPoints(betaMax, gridStep) *
               axisPoints(gammaMax, gridStep) -
           1;
}

NetworkSpec scaledSpec(const NetworkSpec& base, double depth, double width, double resolution,
                       const std::string& name) {
    NetworkSpec s = base;
    s.name = name;
    s.scaling.depth = base.scaling.depth * depth;
    s.scaling.width = base.scaling.width * width;
    s.scaling.resolution = static_cast<int>(std::lround(base.scaling.resolution * resolution));
    return s;
}

NetworkSpec memberSpec(const NetworkSpec& base, double alpha, double beta, double gamma, double phi,
                       int resolutionMultiple, const std::string& name) {
    NetworkSpec s = scaledSpec(base, std::pow(alpha, phi), std::pow(beta, phi), 1.0, name);
    const double res = base.scaling.resolution * std::pow(gamma, phi);
    const int m = std::max(1, resolutionMultiple);
    s.scaling.resolution = std::max(m, static_cast<int>(std::lround(res / m)) * m);
    // phi = 0 is the base itself, whatever its own resolution's remainder.
    if (phi == 0.0) s.scaling.resolution = base.scaling.resolution;
    return s;
}

PhiSolution solvePhi(const NetworkSpec& base, double alpha, double beta, double gamma,
                     double targetMs, const LatencyFn& latency, int resolutionMultiple,
                     double tolerance) {
    auto at = [&](double phi) {
        return latency(memberSpec(base, alpha, beta, gamma, phi, resolutionMultiple, "phi"));
    };
    auto off = [&](double ms) { return std::abs(std::log(ms / targetMs)); };
    const double growth = std::max({alpha, beta, gamma});
    const double phiMax = growth > 1.0 ? std::log(kMaxFactor) / std::log(growth) : 0.0;
    double lo = 0.0, latLo = at(0.0);
    PhiSolution s{0.0, latLo, false};
    if (latLo < targetMs && phiMax > 0.0) {
        // Bracket: double phi until the latency reaches the target (or phi its cap).
        double hi = std::min(1.0, phiMax), latHi = at(hi);
        while (latHi < targetMs && hi < phiMax) {
            lo = hi;
            latLo = latHi;
            hi = std::min(2.0 * hi, phiMax);
            latHi = at(hi);
        }
        if (latHi < targetMs) {
            s = {hi, latHi, false};
        } else {
            for (int i = 0; i < kBisections && hi - lo > 1e-9; ++i) {
                const double mid = 0.5 * (lo + hi);
                const double latMid = at(mid);
                if (latMid < targetMs) {
                    lo = mid;
                    latLo = latMid;
                } else {
                    hi = mid;
                    latHi = latMid;
                }
            }
            // The rounded network is a step function of phi: take the nearer side of the step.
            s = off(latLo) <= off(latHi) ? PhiSolution{lo, latLo, false}
                                         : PhiSolution{hi, latHi, false};
        }
    }
    s.reached = std::abs(s.latencyMs / targetMs - 1.0) <= tolerance;
    return s;
}

std::vector<FamilyMember> flopsCompoundFamily(const NetworkSpec& base, int steps,
                                              const LatencyFn& latency) {
    std::vector<FamilyMember> out;
    for (int k = 0; k <= steps; ++k) {
        const std::string name = base.name + "-flops-b" + std::to_string(k);
        const NetworkSpec s =
            scaledSpec(base, std::pow(1.2, k), std::pow(1.1, k), std::pow(1.15, k), name);
        FamilyMember m = costed(s, latency(s));
        m.phi = k;
        m.depthFactor = std::pow(1.2, k);
        m.widthFactor = std::pow(1.1, k);
        m.resolutionFactor = std::pow(1.15, k);
        out.push_back(m);
    }
    return out;
}

namespace {

/// One LACS run's state: the three steps share the result being built, the evaluation rule
/// (recall or compute, then record) and the stop token.
class LacsSearch {
public:
    LacsSearch(const NetworkSpec& base, const LatencyFn& latency, const AccuracyFn& accuracy,
               const LacsParams& p, std::stop_token stop, const LacsRecorder& recorder)
        : m_base(base),
          m_latency(latency),
          m_accuracy(accuracy),
          m_p(p),
          m_stop(std::move(stop)),
          m_recorder(recorder) {}

    LacsResult run() {
        const std::vector<double> targets = memberTargets();
        if (!searchGrid()) return m_r;
        chooseStep();
        if (!solveMembers(targets)) return m_r;
        if (!addFlopsRule()) return m_r;
        m_r.complete = !stopped();
        return m_r;
    }

private:
    bool stopped() const { return m_stop.stop_requested(); }

    /// Every member's latency target (B0 = the base's own latency); sets B1's as the grid's.
    std::vector<double> memberTargets() {
        m_r.baseLatencyMs = m_latency(m_base);
        std::vector<double> targets{m_r.baseLatencyMs};
        for (int k = 1; k <= m_p.steps; ++k)
            targets.push_back(m_p.targetsMs.empty()
                                  ? m_r.baseLatencyMs * std::pow(m_p.latencyRatio, k)
                                  : m_p.targetsMs[size_t(k - 1)]);
        m_r.targetMs = targets[1];
        if (!(m_r.targetMs > m_r.baseLatencyMs))
            throw ArchError("LACS: B1's target (" + fixed(m_r.targetMs, 4) +
                            " ms) must be above the base latency (" + fixed(m_r.baseLatencyMs, 4) +
                            " ms)");
        return targets;
    }

    /// Evaluates one item: recalled from an earlier session, or computed now and recorded.
    /// `refusedOk`: an estimator that refuses the network (too large for this machine) leaves
    /// the item without an estimate and a warning, instead of failing the run.
    std::optional<double> visit(LacsEvaluation ev, bool estimate, bool refusedOk = false) {
        if (m_recorder.recall) {
            if (auto stored = m_recorder.recall(ev.seq)) return *stored;
        }
        if (estimate) {
            try {
                ev.accuracy = m_accuracy(ev.spec);
                ++m_r.estimates;
            } catch (const std::exception& e) {
                if (!refusedOk || stopped()) throw;
                m_r.warnings.push_back(ev.spec.name + ": no estimate (" + e.what() + ")");
            }
        }
        if (stopped()) return std::nullopt;  // an estimate cut short is not stored
        if (m_recorder.record) m_recorder.record(ev);
        return ev.accuracy;
    }

    /// 1. The (alpha, beta, gamma) step for B1; accuracy only where the latency is on target.
    /// False if stopped.
    bool searchGrid() {
        const int64_t na = axisPoints(m_p.alphaMax, m_p.gridStep);
        const int64_t nb = axisPoints(m_p.betaMax, m_p.gridStep);
        const int64_t ng = axisPoints(m_p.gammaMax, m_p.gridStep);
        int64_t seq = 0;
        for (int64_t i = 0; i < na; ++i) {
            for (int64_t j = 0; j < nb; ++j) {
                for (int64_t k = 0; k < ng; ++k) {
                    if (i == 0 && j == 0 && k == 0) continue;  // the base itself is no step
                    if (stopped()) return false;
                    m_r.grid.push_back(gridPoint(i, j, k, seq++));
                }
            }
        }
        return !stopped();
    }

    LacsPoint gridPoint(int64_t i, int64_t j, int64_t k, int64_t seq) {
        LacsPoint pt;
        pt.alpha = 1.0 + double(i) * m_p.gridStep;
        pt.beta = 1.0 + double(j) * m_p.gridStep;
        pt.gamma = 1.0 + double(k) * m_p.gridStep;
        LacsEvaluation ev;
        ev.seq = seq;
        ev.spec = scaledSpec(m_base, pt.alpha, pt.beta, pt.gamma,
                             m_base.name + "-grid-a" + fixed(pt.alpha, 2) + "-b" +
                                 fixed(pt.beta, 2) + "-g" + fixed(pt.gamma, 2));
        ev.latencyMs = pt.latencyMs = m_latency(ev.spec);
        ev.targetMs = m_r.targetMs;
        pt.feasible = std::abs(pt.latencyMs / m_r.targetMs - 1.0) <= m_p.tolerance;
        const auto acc = visit(ev, pt.feasible);
        pt.accuracy = acc.value_or(std::numeric_limits<double>::quiet_NaN());
        if (pt.feasible)
            pt.reward = pt.accuracy * std::pow(pt.latencyMs / m_r.targetMs, m_p.rewardExponent);
        return pt;
    }

    /// The feasible grid point with the best reward becomes (alpha, beta, gamma); a coefficient
    /// on the grid's edge is worth a warning.
    void chooseStep() {
        const LacsPoint* best = nullptr;
        for (const auto& pt : m_r.grid) {
            if (pt.feasible && std::isfinite(pt.reward) && (!best || pt.reward > best->reward))
                best = &pt;
        }
        if (!best) {
            throw ArchError(
                "LACS: no (depth, width, resolution) step on the grid reaches B1's target (" +
                fixed(m_r.targetMs, 4) + " ms) within " +
                std::to_string(int(std::lround(m_p.tolerance * 100))) +
                "%; raise the grid maxima or the tolerance");
        }
        m_r.alpha = best->alpha;
        m_r.beta = best->beta;
        m_r.gamma = best->gamma;
        warnAtEdge("alpha", "depth", m_r.alpha, m_p.alphaMax);
        warnAtEdge("beta", "width", m_r.beta, m_p.betaMax);
        warnAtEdge("gamma", "resolution", m_r.gamma, m_p.gammaMax);
    }

    void warnAtEdge(const char* coef, const char* what, double v, double max) {
        if (std::abs(v - 1.0) < 1e-9)
            m_r.warnings.push_back(std::string(coef) + " (" + what +
                                   ") is 1.00, the grid's lower edge: the family does not scale " +
                                   what);
        else if (std::abs(v - max) < 1e-9)
            m_r.warnings.push_back(std::string(coef) + " (" + what + ") is " + fixed(v, 2) +
                                   ", the grid's maximum: a wider grid may choose more");
    }

    /// 2. Every member on its own target along the found direction. False if stopped.
    bool solveMembers(const std::vector<double>& targets) {
        for (int k = 0; k <= m_p.steps; ++k) {
            if (stopped()) return false;
            PhiSolution s{0.0, m_r.baseLatencyMs, true};
            if (k > 0)
                s = solvePhi(m_base, m_r.alpha, m_r.beta, m_r.gamma, targets[size_t(k)], m_latency,
                             m_p.resolutionMultiple, m_p.memberTolerance);
            LacsEvaluation ev;
            ev.seq = m_p.gridSize() + k;
            ev.role = LacsRole::Member;
            ev.member = k;
            ev.spec = k == 0 ? m_base
                             : memberSpec(m_base, m_r.alpha, m_r.beta, m_r.gamma, s.phi,
                                          m_p.resolutionMultiple, "");
            ev.spec.name = m_base.name + "-lacs-b" + std::to_string(k);
            ev.latencyMs = s.latencyMs;
            ev.targetMs = targets[size_t(k)];
            ev.phi = s.phi;
            const auto acc = visit(ev, true, true);
            if (stopped()) return false;
            m_r.family.push_back(member(ev, s, acc));
        }
        return true;
    }

    FamilyMember member(const LacsEvaluation& ev, const PhiSolution& s,
                        std::optional<double> accuracy) {
        FamilyMember m = costed(ev.spec, s.latencyMs);
        m.targetMs = ev.targetMs;
        m.deviation = s.latencyMs / ev.targetMs - 1.0;
        m.phi = s.phi;
        m.depthFactor = std::pow(m_r.alpha, s.phi);
        m.widthFactor = std::pow(m_r.beta, s.phi);
        m.resolutionFactor = std::pow(m_r.gamma, s.phi);
        m.accuracy = accuracy;
        if (!s.reached) {
            std::string w = "B" + std::to_string(ev.member) + " cannot reach its ";
            w += fixed(ev.targetMs, 4);
            w += " ms target: the nearest member takes ";
            w += fixed(s.latencyMs, 4);
            w += " ms (";
            w += m.deviation >= 0 ? "+" : "";
            w += fixed(100 * m.deviation, 1);
            w += "%)";
            m_r.warnings.push_back(std::move(w));
        }
        return m;
    }

    /// 3. EfficientNet's FLOPs rule on the same base, for comparison (latency only). False if
    /// stopped.
    bool addFlopsRule() {
        m_r.flopsScaling = flopsCompoundFamily(m_base, m_p.steps, m_latency);
        for (int k = 0; k <= m_p.steps; ++k) {
            if (stopped()) return false;
            const FamilyMember& m = m_r.flopsScaling[size_t(k)];
            LacsEvaluation ev;
            ev.seq = m_p.gridSize() + m_p.steps + 1 + k;
            ev.role = LacsRole::FlopsMember;
            ev.member = k;
            ev.spec = scaledSpec(m_base, m.depthFactor, m.widthFactor, m.resolutionFactor, m.name);
            ev.latencyMs = m.latencyMs;
            ev.phi = k;
            visit(ev, false);
        }
        return true;
    }

    const NetworkSpec& m_base;
    const LatencyFn& m_latency;
    const AccuracyFn& m_accuracy;
    const LacsParams& m_p;
    std::stop_token m_stop;
    const LacsRecorder& m_recorder;
    LacsResult m_r;
};

}  // namespace

LacsResult runLacs(const NetworkSpec& base, const LatencyFn& latency, const AccuracyFn& accuracy,
                   const LacsParams& p, std::stop_token stop, const LacsRecorder& recorder) {
    p.validate();
    return LacsSearch(base, latency, accuracy, p, std::move(stop), recorder).run();
}

}  // namespace archscope
