#include "latencystats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace archscope::ui {
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

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
    const double n = double(x.size());
    const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
    const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0.0;
}

}  // namespace

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
    const double n = double(fit.n);
    const double mx = std::accumulate(lx.begin(), lx.end(), 0.0) / n;
    const double my = std::accumulate(ly.begin(), ly.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < lx.size(); ++i) {
        sxy += (lx[i] - mx) * (ly[i] - my);
        sxx += (lx[i] - mx) * (lx[i] - mx);
        syy += (ly[i] - my) * (ly[i] - my);
    }
    if (sxx <= 0) return fit;
    fit.slope = sxy / sxx;
    fit.intercept = my - fit.slope * mx;
    fit.r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1.0;
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

}  // namespace archscope::ui
