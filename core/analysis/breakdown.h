#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "arch/layer.h"
#include "hw/model.h"

namespace archscope::analysis {

/// What one row of a breakdown covers.
enum class Granularity { FusedOp, Block, Stage };
/// "op", "block", "stage" (the CLI's --by words); nullopt for anything else.
std::optional<Granularity> parseGranularity(const std::string& word);

/// Predicted (and, when known, measured) cost of one fused op or of a block / stage of them.
/// Plain value; built on any thread.
struct BreakdownRow {
    std::string name;     ///< the fused op's producer layer ("block3/expand") or "block3", "stage2"
    std::string ops;      ///< members ("PointwiseConv + BatchNorm + Act") or "3 fused ops"
    std::string firstOp;  ///< the producer's kind ("PointwiseConv")
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
    /// The row's time split by the unit that bounds each fused op (indexed by Bound); sums to
    /// `seconds`, so stacked bars are as tall as the op's time.
    std::array<double, kBoundCount> criticalSeconds{};
    double usefulMacs = 0.0;  ///< whole chip
    double flops = 0.0;
    double bytes = 0.0;
    // Time-weighted utilizations (fractions of datasheet peak).
    double matrixUtilization = 0.0;
    double vectorUtilization = 0.0;
    double memoryUtilization = 0.0;
    Bound bound = Bound::Overhead;  ///< the largest share of criticalSeconds
    std::optional<double> measuredSeconds;

    int fusedOps() const { return lastGroup - firstGroup + 1; }
    double operationalIntensity() const { return bytes > 0.0 ? flops / bytes : 0.0; }
};

/// A fused op's time split by its critical unit: max(units) goes to the unit that reaches it
/// (on a platform whose vector work shares the matrix units, matrix + vector run in series and
/// both keep their share), the fixed overhead to overhead. Sums to g.seconds.
std::array<double, kBoundCount> criticalSplit(const GroupCost& g, bool vectorSharesMatrixUnits);

/// "stem", "head", "block3", "stage2".
std::string scopeName(int index, Granularity granularity);

/// Rows at the chosen granularity, in execution order. `layers` are the ones `groups` came from.
std::vector<BreakdownRow> breakdownRows(const std::vector<Layer>& layers,
                                        const std::vector<GroupCost>& groups,
                                        const Profile& profile, Granularity granularity);

/// Fills measuredSeconds from measured milliseconds keyed by IR layer name ("block3/expand") or
/// by scope ("stem", "block3", "head", as XProf traces give them). A row without any matching
/// key keeps no measurement.
void applyMeasured(std::vector<BreakdownRow>& rows, const std::vector<Layer>& layers,
                   const std::vector<GroupCost>& groups, Granularity granularity,
                   const std::map<std::string, double>& measuredMs);

}  // namespace archscope::analysis
