#pragma once

#include <QString>
#include <array>
#include <optional>
#include <vector>

#include "arch/layer.h"
#include "arch/network.h"
#include "hw/model.h"
#include "opbreakdown.h"

namespace archscope::ui {

/// One network predicted on one platform: the figures the Compare view sets side by side.
/// Plain value; built on any thread.
struct NetworkSummary {
    QString name;
    QString platform;  ///< profile display name
    int batch = 1;
    double params = 0.0;
    double macsPerImage = 0.0;
    NetworkPrediction prediction;
    double matrixUtilization = 0.0;  ///< time-weighted over the fused ops
    std::optional<double> publishedTop1;
    std::vector<BreakdownRow> stages;  ///< per stage (stem, stage0.., head)
    std::vector<BreakdownRow> ops;     ///< per fused op
};

/// Builds, expands at `batch`, predicts on `profile` and summarizes.
NetworkSummary summarizeNetwork(const NetworkSpec& spec, const Profile& profile, int batch,
                                Dtype dtype);

/// A few sentences on why B is faster or slower than A: MACs vs time, the time by bound, and the
/// stages that differ most with their slowest fused op (rich text).
QString explainDifference(const NetworkSummary& a, const NetworkSummary& b);

}  // namespace archscope::ui
