#include "pareto.h"

#include <algorithm>
#include <numeric>

namespace archscope {

bool dominates(const FrontPoint& a, const FrontPoint& b) {
    return a.latency <= b.latency && a.accuracy >= b.accuracy &&
           (a.latency < b.latency || a.accuracy > b.accuracy);
}

bool ParetoFront::isDominatedOrPresent(const FrontPoint& p) const {
    // The front point with the largest latency <= p.latency has the best accuracy among those.
    auto it = std::upper_bound(m_points.begin(), m_points.end(), p.latency,
                               [](double lat, const FrontPoint& q) { return lat < q.latency; });
    if (it == m_points.begin()) return false;
    const FrontPoint& q = *std::prev(it);
    // An exact duplicate adds nothing: the front keeps the first point at each position.
    return dominates(q, p) || (q.latency == p.latency && q.accuracy == p.accuracy);
}

bool ParetoFront::insert(const FrontPoint& p, std::vector<int64_t>* removed) {
    if (isDominatedOrPresent(p)) return false;
    auto pos = std::lower_bound(m_points.begin(), m_points.end(), p.latency,
                                [](const FrontPoint& q, double lat) { return q.latency < lat; });
    // Points at >= latency with <= accuracy are now dominated; they are contiguous after pos.
    auto end = pos;
    while (end != m_points.end() && dominates(p, *end)) {
        if (removed) removed->push_back(end->id);
        ++end;
    }
    pos = m_points.erase(pos, end);
    m_points.insert(pos, p);
    return true;
}

std::vector<int> nonDominatedRanks(const std::vector<FrontPoint>& points) {
    std::vector<size_t> order(points.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (points[a].latency != points[b].latency) return points[a].latency < points[b].latency;
        return points[a].accuracy > points[b].accuracy;
    });
    std::vector<int> rank(points.size(), 0);
    std::vector<FrontPoint> last;  // per rank: its most recently added (most accurate) point
    for (size_t i : order) {
        const FrontPoint& p = points[i];
        // Best accuracy per rank does not increase with the rank, so binary-search the first
        // rank whose last point does not dominate p.
        auto it = std::partition_point(last.begin(), last.end(),
                                       [&](const FrontPoint& q) { return dominates(q, p); });
        const auto r = static_cast<size_t>(it - last.begin());
        rank[i] = static_cast<int>(r);
        if (r == last.size()) {
            last.push_back(p);
        } else {
            last[r] = p;
        }
    }
    return rank;
}

}  // namespace archscope
