#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace archscope {

/// A candidate on the accuracy (higher is better) vs latency (lower is better) plane.
struct FrontPoint {
    int64_t id = 0;
    double latency = 0.0;
    double accuracy = 0.0;
};

/// True if a is at least as good as b in both objectives and strictly better in one.
bool dominates(const FrontPoint& a, const FrontPoint& b);

/// The non-dominated set, maintained incrementally: points sorted by latency with strictly
/// increasing accuracy, so an insert is a binary search plus the removal of what it dominates
/// (O(log n + removed)), never a recomputation over all candidates.
class ParetoFront {
public:
    /// Adds p if nothing on the front dominates (or equals) it; ids of points it pushed off go to
    /// `removed`.
    bool insert(const FrontPoint& p, std::vector<int64_t>* removed = nullptr);
    /// True if a front point dominates p or sits exactly where p would.
    bool isDominatedOrPresent(const FrontPoint& p) const;
    const std::vector<FrontPoint>& points() const { return m_points; }
    size_t size() const { return m_points.size(); }
    void clear() { m_points.clear(); }

private:
    std::vector<FrontPoint> m_points;
};

/// Non-dominated sorting in two objectives, O(n log n): rank 0 is the Pareto front, rank 1 the
/// front once rank 0 is removed, and so on. Exact duplicates share a rank.
std::vector<int> nonDominatedRanks(const std::vector<FrontPoint>& points);

}  // namespace archscope
