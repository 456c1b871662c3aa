#pragma once

#include "mpi/pool.h"
#include "mpi/worker.h"
#include "search/candidate_evaluator.h"

namespace archscope::mpi {

/// Search runs evaluated on the pool's workers: the factory sends each worker the run's params
/// (so every rank evaluates with the same settings) and returns a backend with one slot per
/// idle worker. The pool must outlive the run.
EvaluationBackendFactory searchBackendFactory(WorkerPool& pool);

/// What a worker rank evaluates, by the setup's kind ("search").
TaskEvaluator taskEvaluatorFor(const nlohmann::json& setup);

}  // namespace archscope::mpi
