#pragma once

#include <string>
#include <vector>

namespace archscope {

/// The method the figures below come from, as charts and reports name it.
inline constexpr const char* kImportanceMethod =
    "first-order variance share (ε², fANOVA-style main effects)";

/// Observed trials for an importance analysis: one level per parameter per trial.
struct ImportanceData {
    std::vector<std::string> parameters;           ///< e.g. "stage 3 kernel"
    std::vector<std::vector<std::string>> levels;  ///< [trial][parameter]
    std::vector<double> objective;                 ///< [trial]; NaN trials are skipped
};

struct ParameterImportance {
    std::string parameter;
    double share = 0.0;  ///< of the objective's variance its main effect explains, 0..1
    int levels = 0;      ///< distinct levels seen
};

/// Each parameter's main effect: the objective's variance between the parameter's level means,
/// corrected for the variance that noise alone puts there with that many levels
/// (epsilon-squared = (SS_between - (k-1) MS_within) / (SS_total + MS_within), floored at 0).
/// Without the correction a parameter with many levels looks important on few trials. The
/// split is exact fANOVA only when levels are drawn independently (random sampling); under
/// evolution the shares also carry the sampler's correlations, so they read as "explains", not
/// "causes". Parameters with one level, or fewer trials than levels + 1, get 0. Sorted by share,
/// largest first. Throws ArchError when rows and names disagree in size.
std::vector<ParameterImportance> varianceImportance(const ImportanceData& data);

}  // namespace archscope
