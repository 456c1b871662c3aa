#pragma once
// Internal to calibration (calibrate*.cpp): the bounded multi-start NLopt search that fitProfile
// and fitRuntime share.

#include <string>
#include <vector>

#include "calibrate_sample.h"

namespace archscope::calibration {

/// One sample ready for the objective: its linear parts, the model of its own platform and that
/// platform's parameter values (the fit overwrites the fitted slots).
struct FitItem {
    PreparedSample sample;
    FastModel model;
    SlotValues start;
};

struct CoreFit {
    std::vector<double> fitted;  ///< per fitted slot, in its unit
    double initialObjective = 0.0, finalObjective = 0.0, meanAbsErrorPercent = 0.0;
    int evaluations = 0;
};

/// The slots of `names`, in order; throws ArchError for an unknown or repeated name.
std::vector<int> slotsFor(const std::vector<std::string>& names);

/// Fits `slots` to the items: mean over items of log(pred/meas)^2 + stageWeight * mean over
/// stages of the same, plus priorWeight * the squared log distance from the start. `boundsBase`
/// gives the bounds (only bandwidths depend on a profile); `start` the starting values.
CoreFit fitItems(const std::vector<FitItem>& items, const std::vector<int>& slots,
                 const Profile& boundsBase, const SlotValues& start, const FitOptions& opts);

}  // namespace archscope::calibration
