#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "arch/network.h"
#include "candidate_evaluator.h"
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
    int batch = kDefaultBatch;
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
/// (seq 0..budget-1), storing each with how its latency and accuracy were obtained; a
/// candidate whose evaluation throws is stored as failed and the run goes on. Up to
/// `search.window` candidates are out at once; results are recorded in seq order, so the
/// proposals are the same whatever order results arrive in. Resume re-proposes from the seed,
/// takes every stored figure (gaps included) and evaluates only what is missing.
/// `remote`: where networks are evaluated (MPI workers); empty = in the job's own thread.
engine::RunKind searchRunKind(EvaluationBackendFactory remote = {});

/// The display name of a search run's reference point (seq < 0) from the run's params:
/// "<space> base" for -1, the reference model for -2, -3, ...; nullopt for a candidate.
std::optional<std::string> searchReferenceName(const nlohmann::json& runParams, int64_t seq);

/// Registers the search run kind with the engine (idempotent); `remote` as in searchRunKind.
void registerSearchRunKind(EvaluationBackendFactory remote = {});

}  // namespace archscope
