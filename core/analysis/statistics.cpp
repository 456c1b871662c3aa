// Statistics shared by the CLI, the GUI and the model checks: one median, rank correlations,
// the log-log fit of latency against MACs.
#include "analysis/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace archscope::analysis {
namespace {

std::vector<double> ranks(const std::vector<double>& v) {
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
        const double average = (double(i) + double(j)) / 2.0 + 1.0;
        for (size_t k = i; k <= j; ++k) r[order[k]] = average;
        i = j + 1;
    }
    return r;
}

/// Sums of centred cross-products: sxy, sxx, syy.
struct Moments {
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
};
Moments centredMoments(const std::vector<double>& x, const std::vector<double>& y) {
    const double n = double(x.size());
    const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
    const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
    Moments m;
    for (size_t i = 0; i < x.size(); ++i) {
        m.sxy += (x[i] - mx) * (y[i] - my);
        m.sxx += (x[i] - mx) * (x[i] - mx);
        m.syy += (y[i] - my) * (y[i] - my);
    }
    return m;
}

}  // namespace

double quantile(std::vector<double> values, double q) {
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    const double pos = std::clamp(q, 0.0, 1.0) * double(values.size() - 1);
    const size_t lo = size_t(pos);
    const size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (pos - double(lo)) * (values[hi] - values[lo]);
}

double median(std::vector<double> values) {
    return quantile(std::move(values), 0.5);
}

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

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
    if (x.size() < 2 || x.size() != y.size()) return 0.0;
    const Moments m = centredMoments(x, y);
    return m.sxx > 0 && m.syy > 0 ? m.sxy / std::sqrt(m.sxx * m.syy) : 0.0;
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
    if (x.size() < 2 || x.size() != y.size()) return 0.0;
    return pearson(ranks(x), ranks(y));
}

LogLogFit fitLogLog(const std::vector<double>& x, const std::vector<double>& y) {
    std::vector<double> lx, ly;
    for (size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
        if (x[i] > 0 && y[i] > 0) {
            lx.push_back(std::log10(x[i]));
            ly.push_back(std::log10(y[i]));
        }
    }
    LogLogFit fit;
    fit.n = int(lx.size());
    if (fit.n < 2) return fit;
    const Moments m = centredMoments(lx, ly);
    if (m.sxx <= 0) return fit;
    const double n = double(fit.n);
    fit.slope = m.sxy / m.sxx;
    fit.intercept = std::accumulate(ly.begin(), ly.end(), 0.0) / n -
                    fit.slope * std::accumulate(lx.begin(), lx.end(), 0.0) / n;
    fit.r2 = m.syy > 0 ? (m.sxy * m.sxy) / (m.sxx * m.syy) : 1.0;
    return fit;
}

SpreadPair largestSpreadAtSimilarX(const std::vector<double>& x, const std::vector<double>& y,
                                   double tolerance) {
    SpreadPair best;
    for (size_t i = 0; i < x.size(); ++i) {
        for (size_t j = 0; j < x.size(); ++j) {
            if (i == j || x[i] <= 0 || x[j] <= 0 || y[j] <= 0) continue;
            if (std::abs(x[i] - x[j]) > tolerance * std::min(x[i], x[j])) continue;
            const double ratio = y[i] / y[j];
            if (ratio > best.ratio) best = {int(i), int(j), ratio};
        }
    }
    return best;
}

}  // namespace archscope::analysis
