#include "opbreakdown.h"

#include <QObject>
#include <QStringList>
#include <algorithm>

namespace archscope::ui {
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
    for (int i = 0; i < 4; ++i) row.criticalSeconds[i] += split[i];
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

QString membersOf(const std::vector<Layer>& layers, const GroupCost& g) {
    QStringList parts;
    for (int i = g.firstLayer; i <= g.lastLayer; ++i) {
        parts << QString::fromUtf8(opKindName(layers[size_t(i)].kind).data());
    }
    return parts.join(QStringLiteral(" + "));
}

}  // namespace

std::array<double, 4> criticalSplit(const GroupCost& g, bool vectorSharesMatrixUnits) {
    std::array<double, 4> out{};
    out[int(Bound::Overhead)] = g.overheadSeconds;
    const double compute = vectorSharesMatrixUnits ? g.matrixSeconds + g.vectorSeconds
                                                   : std::max(g.matrixSeconds, g.vectorSeconds);
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

QString scopeName(int index, Granularity granularity) {
    if (index == -1) return QStringLiteral("stem");
    if (index == -2) return QStringLiteral("head");
    return (granularity == Granularity::Stage ? QStringLiteral("stage%1")
                                              : QStringLiteral("block%1"))
        .arg(index);
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
            row.name = granularity == Granularity::FusedOp
                           ? QString::fromStdString(anchor.name)
                           : scopeName(keyOf(anchor, granularity), granularity);
            rows.push_back(row);
        }
        BreakdownRow& row = rows.back();
        row.lastGroup = int(gi);
        addGroup(row, g, shares);
        if (granularity == Granularity::FusedOp) {
            row.ops = membersOf(layers, g);
        } else {
            row.ops = QObject::tr("%n fused op(s)", nullptr, row.lastGroup - row.firstGroup + 1);
        }
    }
    for (BreakdownRow& row : rows) finish(row);
    return rows;
}

void applyMeasured(std::vector<BreakdownRow>& rows, const std::vector<Layer>& layers,
                   const std::vector<GroupCost>& groups, Granularity granularity,
                   const QHash<QString, double>& measuredMs) {
    for (BreakdownRow& row : rows) {
        row.measuredSeconds.reset();
        if (measuredMs.isEmpty()) continue;
        // Layer-level times first; scope-level ones (XProf gives only those) when no layer has
        // one. Never both, so nothing is counted twice.
        double layerSum = 0.0, scopeSum = 0.0;
        bool anyLayer = false, anyScope = false;
        QList<int> blocksSeen;
        for (int gi = row.firstGroup; gi <= row.lastGroup; ++gi) {
            const GroupCost& g = groups[size_t(gi)];
            for (int li = g.firstLayer; li <= g.lastLayer; ++li) {
                const Layer& l = layers[size_t(li)];
                const auto it = measuredMs.constFind(QString::fromStdString(l.name));
                if (it != measuredMs.constEnd()) {
                    layerSum += *it;
                    anyLayer = true;
                }
                if (granularity == Granularity::FusedOp || blocksSeen.contains(l.block)) continue;
                blocksSeen << l.block;
                const auto scope = measuredMs.constFind(scopeName(l.block, Granularity::Block));
                if (scope != measuredMs.constEnd()) {
                    scopeSum += *scope;
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

}  // namespace archscope::ui
