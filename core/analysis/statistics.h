#pragma once

#include <vector>

namespace archscope::analysis {

/// The q-quantile (0..1) of `values`, linear between order statistics (numpy's default);
/// quantile(v, 0.5) is the median. NaN for an empty series.
double quantile(std::vector<double> values, double q);
/// The median: the middle value, or the mean of the two middle values. NaN when empty.
double median(std::vector<double> values);

/// Kendall's tau-b of two equally long series (ties counted as Kendall 1945 does); 0 when fewer
/// than two pairs differ.
double kendallTau(const std::vector<double>& a, const std::vector<double>& b);
/// Pearson's correlation; 0 when either series is constant or fewer than two points.
double pearson(const std::vector<double>& x, const std::vector<double>& y);
/// Spearman's rank correlation (ties get their average rank); 0 for < 2 points.
double spearman(const std::vector<double>& x, const std::vector<double>& y);

/// Least-squares fit of log10(y) = intercept + slope * log10(x) over positive pairs.
struct LogLogFit {
    double slope = 0.0;
    double intercept = 0.0;
    double r2 = 0.0;  ///< coefficient of determination of the fit in log space
    int n = 0;
};
LogLogFit fitLogLog(const std::vector<double>& x, const std::vector<double>& y);

/// Among pairs whose x differs by at most `tolerance` (relative, e.g. 0.25), the pair with the
/// largest y ratio: indices (slower, faster) and the ratio; ratio 0 when no pair qualifies.
struct SpreadPair {
    int slower = -1;
    int faster = -1;
    double ratio = 0.0;
};
SpreadPair largestSpreadAtSimilarX(const std::vector<double>& x, const std::vector<double>& y,
                                   double tolerance);

}  // namespace archscope::analysis
