#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "arch/network.h"

namespace archscope {

/// The decisions a stage can vary, in a fixed order (Candidate stores one index per decision).
enum class Decision : int {
    BlockKind = 0,  ///< MBConv or fused MBConv
    Kernel,
    Expand,
    SeRatio,  ///< 0 = no SE
    Activation,
    RepeatsDelta,
    FiltersMultiplier,
    SpaceToDepth,  ///< 0, 1 (start) or 2 (continue); repaired when invalid
    Count
};
inline constexpr int kDecisionsPerStage = static_cast<int>(Decision::Count);
std::string_view decisionName(Decision d);

/// The choices of one stage. `base` is the block string the choices modify.
struct StageSpace {
    BlockArgs base;
    std::vector<BlockType> kinds{BlockType::MBConv};
    std::vector<int> kernels;
    std::vector<int> expands;
    std::vector<double> seRatios;
    std::vector<archscope::Activation> activations;
    std::vector<int> repeatsDeltas{0};
    std::vector<double> filtersMultipliers{1.0};
    std::vector<int> spaceToDepth{0};

    int choiceCount(Decision d) const;
};

/// A user-editable search space (resources/spaces/*.json): a base network and per-stage choices.
struct SearchSpace {
    std::string name;
    std::string description;
    std::string source;  ///< where the space comes from (paper section), shown to the user
    NetworkSpec base;    ///< stem, head, scaling; its blocks are the stages' bases
    std::vector<StageSpace> stages;

    /// Number of distinct candidates (product of choice counts), as a double: it overflows int64.
    double size() const;
    int decisionCount() const { return static_cast<int>(stages.size()) * kDecisionsPerStage; }
    int choiceCount(int decisionIndex) const;
};

/// One point in a space: a choice index per decision (stage-major).
struct Candidate {
    std::vector<uint8_t> choices;
    bool operator==(const Candidate&) const = default;
};

/// Builds the network a candidate describes. Invalid space-to-depth combinations are repaired
/// (d2 needs the previous stage to end in the space-to-depth domain), so every candidate is a
/// valid network. Throws ArchError if the candidate does not fit the space.
NetworkSpec decodeCandidate(const SearchSpace& space, const Candidate& c, const std::string& name);

/// The candidate whose every choice is the stage's base value where available (index 0 otherwise).
Candidate baseCandidate(const SearchSpace& space);

nlohmann::json searchSpaceToJson(const SearchSpace& space);
/// Throws ArchError naming the file (`where`), the stage and the choice that is wrong.
SearchSpace searchSpaceFromJson(const nlohmann::json& j, const std::string& where);
/// A name of a shipped space ("efficientnet-x", "efficientnet") or a path to a .json file.
SearchSpace loadSearchSpace(const std::string& nameOrPath);
void saveSearchSpace(const SearchSpace& space, const std::string& path);
std::vector<std::string> shippedSpaceNames();

}  // namespace archscope
