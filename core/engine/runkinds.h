#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/job.h"

namespace archscope::engine {

class JobController;

/// Builds the job of a run from its stored params. Must be deterministic: resume calls it again
/// with the same params and the job re-uses what the store already holds. Throws ArchError for
/// params it cannot use.
using JobFactory = std::function<std::unique_ptr<Job>(const nlohmann::json& params)>;

struct RunKind {
    std::string name;  ///< stored in runs.kind, e.g. "sweep"
    std::string description;
    JobFactory factory;
};

/// Adds (or replaces) a run kind. The built-in kinds (sweep) are registered on first use.
/// Threading: register before starting jobs (e.g. at program start).
void registerRunKind(RunKind kind);
/// Throws ArchError listing the known kinds.
const RunKind& findRunKind(const std::string& name);
std::vector<std::string> runKindNames();

/// Builds (and drops) the job for `params`: throws ArchError for bad params. Call it before
/// opening a store, so a bad argument never creates or touches a store file.
void validateRunParams(const std::string& kind, const nlohmann::json& params);

/// Creates a run of `kind` with `params` in the store (validating params with the factory) and
/// returns its id. Pass `planned` when the number of evaluations is known up front.
int64_t createRun(StoreWriter& writer, const std::string& kind, const nlohmann::json& params,
                  std::optional<int64_t> planned = {});

/// The controller (not yet started) for a stored run: a new one or one to resume. The job is
/// rebuilt from the run's kind and params.
std::unique_ptr<JobController> controllerForRun(std::shared_ptr<StoreWriter> writer, int64_t runId,
                                                EventSink sink, int workers = 0);

}  // namespace archscope::engine
