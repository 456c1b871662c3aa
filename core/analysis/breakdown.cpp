// The per-unit breakdown of a prediction by fused op, block or stage: what the Breakdown and
// Compare views draw and `show --by` prints.
#include "analysis/breakdown.h"

#include <algorithm>
#include <set>

namespace archscope::analysis {
namespace {

int keyOf(const Layer& anchor, Granularity granularity) {
    return granularity == Granularity::Stage ? anchor.stage : anchor.block;
}

void addGroup(BreakdownRow& row, const GroupCost& g, bool shares) {
    row.matrixSeconds += g.matrixSeconds;
    row.vectorSeconds += g.vectorSeconds;
    row.memorySeconds += g.memorySeconds;
    row.overheadSeconds += g.overheadSeconds;
    row.seconds += g.seconds;
    const auto split = criticalSplit(g, shares);
    for (int i = 0; i < kBoundCount; ++i) row.criticalSeconds[size_t(i)] += split[size_t(i)];
    row.usefulMacs += g.usefulMacs;
    row.flops += g.flops;
    row.bytes += g.bytes;
    // Summed as utilization x time; divided by the total time in finish().
    row.matrixUtilization += g.matrixUtilization * g.seconds;
    row.vectorUtilization += g.vectorUtilization * g.seconds;
    row.memoryUtilization += g.memoryUtilization * g.seconds;
}

void finish(BreakdownRow& row) {
    if (row.seconds > 0.0) {
        row.matrixUtilization /= row.seconds;
        row.vectorUtilization /= row.seconds;
        row.memoryUtilization /= row.seconds;
    }
    const auto& c = row.criticalSeconds;
    row.bound = Bound(std::max_element(c.begin(), c.end()) - c.begin());
}

std::string membersOf(const std::vector<Layer>& layers, const GroupCost& g) {
    std::string parts;
    for (int i = g.firstLayer; i <= g.lastLayer; ++i) {
        if (!parts.empty()) parts += " + ";
        parts += opKindName(layers[size_t(i)].kind);
    }
    return parts;
}

}  // namespace

std::optional<Granularity> parseGranularity(const std::string& word) {
    if (word == "op") return Granularity::FusedOp;
    if (word == "block") return Granularity::Block;
    if (word == "stage") return Granularity::Stage;
    return std::nullopt;
}

std::array<double, kBoundCount> criticalSplit(const GroupCost& g, bool vectorSharesMatrixUnits) {
    std::array<double, kBoundCount> out{};
    out[int(Bound::Overhead)] = g.overheadSeconds;
    const double compute =
        computeSeconds(g.matrixSeconds, g.vectorSeconds, vectorSharesMatrixUnits);
    if (g.memorySeconds >= compute) {
        out[int(Bound::Memory)] = g.memorySeconds;
    } else if (vectorSharesMatrixUnits) {
        out[int(Bound::Matrix)] = g.matrixSeconds;
        out[int(Bound::Vector)] = g.vectorSeconds;
    } else if (g.matrixSeconds >= g.vectorSeconds) {
        out[int(Bound::Matrix)] = g.matrixSeconds;
    } else {
        out[int(Bound::Vector)] = g.vectorSeconds;
    }
    return out;
}

std::string scopeName(int index, Granularity granularity) {
    if (index == -1) return "stem";
    if (index == -2) return "head";
    return (granularity == Granularity::Stage ? "stage" : "block") + std::to_string(index);
}

std::vector<BreakdownRow> breakdownRows(const std::vector<Layer>& layers,
                                        const std::vector<GroupCost>& groups,
                                        const Profile& profile, Granularity granularity) {
    const bool shares = profile.vector.sharesMatrixUnits;
    std::vector<BreakdownRow> rows;
    for (size_t gi = 0; gi < groups.size(); ++gi) {
        const GroupCost& g = groups[gi];
        const Layer& anchor = layers[size_t(g.anchorLayer)];
        const bool startNew =
            granularity == Granularity::FusedOp || rows.empty() ||
            keyOf(layers[size_t(groups[size_t(rows.back().firstGroup)].anchorLayer)],
                  granularity) != keyOf(anchor, granularity);
        if (startNew) {
            BreakdownRow row;
            row.firstGroup = int(gi);
            row.block = anchor.block;
            row.stage = anchor.stage;
            row.firstOp = std::string(opKindName(anchor.kind));
            row.name = granularity == Granularity::FusedOp
                           ? anchor.name
                           : scopeName(keyOf(anchor, granularity), granularity);
            rows.push_back(row);
        }
        BreakdownRow& row = rows.back();
        row.lastGroup = int(gi);
        addGroup(row, g, shares);
        if (granularity == Granularity::FusedOp) {
            row.ops = membersOf(layers, g);
        } else {
            const int n = row.fusedOps();
            row.ops = std::to_string(n) + (n == 1 ? " fused op" : " fused ops");
        }
    }
    for (BreakdownRow& row : rows) finish(row);
    return rows;
}

void applyMeasured(std::vector<BreakdownRow>& rows, const std::vector<Layer>& layers,
                   const std::vector<GroupCost>& groups, Granularity granularity,
                   const std::map<std::string, double>& measuredMs) {
    for (BreakdownRow& row : rows) {
        row.measuredSeconds.reset();
        if (measuredMs.empty()) continue;
        // Layer-level times first; scope-level ones (XProf gives only those) when no layer has
        // one. Never both, so nothing is counted twice.
        double layerSum = 0.0, scopeSum = 0.0;
        bool anyLayer = false, anyScope = false;
        std::set<int> blocksSeen;
        for (int gi = row.firstGroup; gi <= row.lastGroup; ++gi) {
            const GroupCost& g = groups[size_t(gi)];
            for (int li = g.firstLayer; li <= g.lastLayer; ++li) {
                const Layer& l = layers[size_t(li)];
                if (const auto it = measuredMs.find(l.name); it != measuredMs.end()) {
                    layerSum += it->second;
                    anyLayer = true;
                }
                if (granularity == Granularity::FusedOp || !blocksSeen.insert(l.block).second)
                    continue;
                const auto scope = measuredMs.find(scopeName(l.block, Granularity::Block));
                if (scope != measuredMs.end()) {
                    scopeSum += scope->second;
                    anyScope = true;
                }
            }
        }
        if (anyLayer) {
            row.measuredSeconds = layerSum * 1e-3;
        } else if (anyScope) {
            row.measuredSeconds = scopeSum * 1e-3;
        }
    }
}

}  // namespace archscope::analysis
