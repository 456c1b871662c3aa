#pragma once

#include <array>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/breakdown.h"
#include "arch/network.h"
#include "hw/model.h"

namespace archscope::analysis {

/// One network predicted on one platform: the figures `compare` and the Compare view set side
/// by side. Plain value; built on any thread.
struct NetworkSummary {
    std::string name;
    std::string platform;  ///< profile display name
    /// The platform's words for each Bound (unitName): "MXU" on a TPU, "Tensor Cores" on a GPU.
    std::array<std::string, kBoundCount> unitNames;
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

/// The slowest fused op of a stage.
struct SlowestOp {
    std::string name;  ///< "block3/dw"
    std::string kind;  ///< "DepthwiseConv"
    Bound bound = Bound::Overhead;
    double seconds = 0.0;
};

/// One stage both networks have, with the op that dominates it in each.
struct StageDifference {
    std::string stage;  ///< "stage2", "stem", "head"
    double secondsA = 0.0;
    double secondsB = 0.0;
    SlowestOp slowestA;
    SlowestOp slowestB;
};

/// Why B is faster or slower than A, as data: the GUI words it as rich text, the CLI as plain
/// sentences and JSON. Ratios are B / A.
struct Explanation {
    std::string nameA, nameB, platform;
    std::array<std::string, kBoundCount> unitNames;  ///< the platform's words, by Bound
    int batch = 1;
    double macsRatio = 0.0;
    double latencyRatio = 0.0;  ///< < 1: B is faster
    double secondsA = 0.0, secondsB = 0.0;
    double matrixUtilizationA = 0.0, matrixUtilizationB = 0.0;
    std::array<double, kBoundCount> secondsByBoundA{}, secondsByBoundB{};
    std::vector<StageDifference> stages;  ///< largest |difference| first
};

/// The explanation with the `maxStages` stages whose time differs most.
Explanation explainDifference(const NetworkSummary& a, const NetworkSummary& b,
                              size_t maxStages = 3);
/// Plain sentences, one per line item (the first is the headline).
std::vector<std::string> explanationSentences(const Explanation& e);
nlohmann::json explanationToJson(const Explanation& e);

/// Each stage's predicted time split by the unit bounding its ops (what the Compare view's
/// stacked bars show): {"stage": .., "seconds": .., "bound": .., "critical_s": {unit: s}}.
nlohmann::json stageSplitToJson(const std::vector<BreakdownRow>& stages);

/// Geometric-mean speed-up of a zoo family on each of `platforms` over the first one, across the
/// levels the family defines (B5..B7 for the -h- families); each platform at its default dtype.
std::vector<double> familySpeedups(const std::string& family, const std::vector<Profile>& platforms,
                                   int batch);

}  // namespace archscope::analysis
