// Agreement of predicted and measured latencies: rank correlation and shares within a tolerance.
#include "agreement.h"

#include "analysis/statistics.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace archscope {

AgreementStats compareLatencies(const std::vector<double>& predicted,
                                const std::vector<double>& measured) {
    AgreementStats s;
    const size_t n = std::min(predicted.size(), measured.size());
    s.count = int(n);
    if (n == 0) return s;
    std::vector<double> ratios;
    double abs = 0.0;
    int in10 = 0, in15 = 0;
    for (size_t i = 0; i < n; ++i) {
        const double ratio = predicted[i] / measured[i];
        ratios.push_back(ratio);
        const double err = std::abs(ratio - 1.0);
        abs += err;
        in10 += err <= 0.10 + 1e-9;  // 2.2 / 2.0 is 10 %, not 10.0000000000000009 %
        in15 += err <= 0.15 + 1e-9;
    }
    s.kendallTau = analysis::kendallTau(predicted, measured);
    s.within10 = double(in10) / double(n);
    s.within15 = double(in15) / double(n);
    s.meanAbsErrorPercent = 100.0 * abs / double(n);
    s.medianRatio = analysis::median(std::move(ratios));
    return s;
}

nlohmann::json agreementJson(const AgreementStats& s) {
    return {{"count", s.count},
            {"kendall_tau", s.kendallTau},
            {"within_10", s.within10},
            {"within_15", s.within15},
            {"mean_abs_error_pct", s.meanAbsErrorPercent},
            {"median_ratio", s.medianRatio}};
}

}  // namespace archscope
