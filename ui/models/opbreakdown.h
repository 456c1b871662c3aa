#pragma once

#include <QHash>
#include <QString>
#include <array>
#include <optional>
#include <vector>

#include "arch/layer.h"
#include "hw/model.h"

namespace archscope::ui {

/// What one row of a breakdown covers.
enum class Granularity { FusedOp, Block, Stage };

/// Predicted (and, when known, measured) cost of one fused op or of a block / stage of them.
/// Plain value; built on any thread.
struct BreakdownRow {
    QString name;  ///< the fused op's producer layer ("block3/expand") or "block3", "stage2"
    QString ops;   ///< members, e.g. "PointwiseConv + BatchNorm + Act"
    int firstGroup = 0;
    int lastGroup = 0;  ///< inclusive, indices into the GroupCost list
    int block = -1;     ///< -1 stem, -2 head (Layer::block of the producer)
    int stage = -1;
    // Busy time of each unit, summed over the row's fused ops.
    double matrixSeconds = 0.0;
    double vectorSeconds = 0.0;
    double memorySeconds = 0.0;
    double overheadSeconds = 0.0;
    double seconds = 0.0;  ///< predicted time; each fused op is max(units) + overhead
    /// The row's time split by the unit that bounds each fused op (Bound order: matrix, vector,
    /// memory, overhead); sums to `seconds`, so stacked bars are as tall as the op's time.
    std::array<double, 4> criticalSeconds{};
    double usefulMacs = 0.0;  ///< whole chip
    double flops = 0.0;
    double bytes = 0.0;
    // Time-weighted utilizations (fractions of datasheet peak).
    double matrixUtilization = 0.0;
    double vectorUtilization = 0.0;
    double memoryUtilization = 0.0;
    Bound bound = Bound::Overhead;  ///< the largest share of criticalSeconds
    std::optional<double> measuredSeconds;

    double operationalIntensity() const { return bytes > 0.0 ? flops / bytes : 0.0; }
};

/// A fused op's time split by its critical unit: max(units) goes to the unit that reaches it
/// (on a platform whose vector work shares the matrix units, matrix + vector run in series and
/// both keep their share), the fixed overhead to overhead. Sums to g.seconds.
std::array<double, 4> criticalSplit(const GroupCost& g, bool vectorSharesMatrixUnits);

/// "stem", "head", "block3", "stage2".
QString scopeName(int index, Granularity granularity);

/// Rows at the chosen granularity, in execution order. `layers` are the ones `groups` came from.
std::vector<BreakdownRow> breakdownRows(const std::vector<Layer>& layers,
                                        const std::vector<GroupCost>& groups,
                                        const Profile& profile, Granularity granularity);

/// Fills measuredSeconds from measured milliseconds keyed by IR layer name ("block3/expand") or
/// by scope ("stem", "block3", "head", as XProf traces give them). A row without any matching
/// key keeps no measurement.
void applyMeasured(std::vector<BreakdownRow>& rows, const std::vector<Layer>& layers,
                   const std::vector<GroupCost>& groups, Granularity granularity,
                   const QHash<QString, double>& measuredMs);

}  // namespace archscope::ui
