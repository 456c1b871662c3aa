#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/runkinds.h"
#include "searchloop.h"

namespace archscope {

inline constexpr const char* kSearchKind = "search";

/// Everything a search run needs; stored as the run's params, so `resume` rebuilds the same job.
struct SearchRunParams {
    SearchParams search;
    std::string hw = "tpuv3";  ///< platform profile (name or file) for predicted latency
    std::string runtime;       ///< empty: the profile's default runtime
    std::string dtype;         ///< empty: the profile's default
    int batch = 1;
    std::string measureDevice;  ///< empty: latency is predicted; "cpu"/"cuda": measured
    std::string accuracy = "zero-cost";
    nlohmann::json accuracySettings = nlohmann::json::object();
    /// Evaluated with the same estimator before the search, as reference points on the plot.
    std::vector<std::string> references{"efficientnet-b0", "efficientnet-x-tpu-b0"};

    nlohmann::json toJson() const;
    static SearchRunParams fromJson(const nlohmann::json& j);
};

/// The "search" run kind: evaluates the space's base network (seq -1, whose latency is the
/// default MnasNet target) and the references (seq -2, -3, ...), then `budget` candidates
/// (seq 0..budget-1), storing each with how its latency and accuracy were obtained. Resume
/// replays the stored steps through the SearchLoop and continues exactly where it stopped.
engine::RunKind searchRunKind();

/// The display name of a search run's reference point (seq < 0) from the run's params:
/// "<space> base" for -1, the reference model for -2, -3, ...; nullopt for a candidate.
std::optional<std::string> searchReferenceName(const nlohmann::json& runParams, int64_t seq);

/// Registers the search run kind with the engine (idempotent).
void registerSearchRunKind();

}  // namespace archscope
