// Agreement of predicted and measured latencies: rank correlation and shares within a tolerance.
#include "agreement.h"

#include <algorithm>
#include <cmath>

namespace archscope {

double kendallTau(const std::vector<double>& a, const std::vector<double>& b) {
    const size_t n = std::min(a.size(), b.size());
    double concordant = 0.0, discordant = 0.0, tiesA = 0.0, tiesB = 0.0;
    for (size_t i = 0; i < n; ++i) {
        for (size_t j = i + 1; j < n; ++j) {
            const double da = a[i] - a[j], db = b[i] - b[j];
            if (da == 0.0 && db == 0.0) continue;
            if (da == 0.0) {
                tiesA += 1.0;
            } else if (db == 0.0) {
                tiesB += 1.0;
            } else if ((da > 0.0) == (db > 0.0)) {
                concordant += 1.0;
            } else {
                discordant += 1.0;
            }
        }
    }
    const double denom =
        std::sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
    return denom > 0.0 ? (concordant - discordant) / denom : 0.0;
}

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
    s.kendallTau = kendallTau(predicted, measured);
    s.within10 = double(in10) / double(n);
    s.within15 = double(in15) / double(n);
    s.meanAbsErrorPercent = 100.0 * abs / double(n);
    std::sort(ratios.begin(), ratios.end());
    s.medianRatio = n % 2 ? ratios[n / 2] : 0.5 * (ratios[n / 2 - 1] + ratios[n / 2]);
    return s;
}

}  // namespace archscope
