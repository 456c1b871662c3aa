#pragma once

#include <vector>

namespace archscope::ui {

/// Spearman's rank correlation of x and y (ties get their average rank); 0 for < 2 points.
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

}  // namespace archscope::ui
