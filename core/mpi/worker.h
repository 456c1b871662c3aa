#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <stop_token>

#include "mpi/channel.h"

namespace archscope::mpi {

/// Evaluates one task document into an outcome document; `stop` asks it to give up.
using TaskEvaluator = std::function<nlohmann::json(const nlohmann::json& task, std::stop_token)>;
/// Builds the evaluator for a setup document ({"kind":..,"params":..}); throws ArchError when
/// this process cannot (an unknown kind, a dataset missing on this node).
using TaskEvaluatorFactory = std::function<TaskEvaluator(const nlohmann::json& setup)>;

/// The life of a worker rank (rank != 0): says hello, takes its setup, then evaluates tasks one
/// at a time on a thread of its own while this thread sends a heartbeat every second and
/// watches for Stop, until rank 0 says Stop. Never spins: every wait polls with Backoff.
void runWorker(const Session& session, const TaskEvaluatorFactory& factory);

}  // namespace archscope::mpi
