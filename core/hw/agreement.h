#pragma once

#include <nlohmann/json_fwd.hpp>
#include <vector>

namespace archscope {

/// How close predictions are to measurements.
struct AgreementStats {
    int count = 0;
    double kendallTau = 0.0;  ///< tau-b (ties counted as Kendall 1945 does)
    double within10 = 0.0;    ///< share of |pred/meas - 1| <= 10 %
    double within15 = 0.0;    ///< ... <= 15 %
    double meanAbsErrorPercent = 0.0;
    double medianRatio = 0.0;  ///< median of pred/meas
};
AgreementStats compareLatencies(const std::vector<double>& predicted,
                                const std::vector<double>& measured);

/// The figures as one JSON object (count, kendall_tau, within_10, within_15, mean_abs_error_pct,
/// median_ratio): the form `calibrate --json` and `calibrate-from --json` both print.
nlohmann::json agreementJson(const AgreementStats& s);

}  // namespace archscope
