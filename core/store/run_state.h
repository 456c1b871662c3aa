#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/records.h"

namespace archscope::store {

/// How a run went, told from its status history (runs.status keeps only the last status).
struct RunState {
    std::string current;  ///< runs.status
    int resumes = 0;      ///< times it was started again after it stopped or its process died
    std::string text;     ///< for people: "cancelled → resumed → finished"
};

/// A "running" after a terminal status is a resume; a "running" after another "running" means
/// the first process died without a word ("interrupted"); pause/continue is not a resume. Runs
/// stored before the history existed (schema < 3) read as their status alone.
RunState describeRunState(const RunRecord& run, const std::vector<RunStatusEvent>& history);

/// A run's best evaluation as History shows it.
struct RunBest {
    int64_t evaluationId = 0;
    std::optional<double> accuracy;
    std::optional<double> latencyMs;  ///< PlotRow::latency(): measured median, else predicted
};

/// The highest accuracy (ties: the faster) among the run's stored Pareto front, or among all its
/// rows when it stores no front (sweeps, imports); the fastest when nothing has an accuracy.
/// Empty for a run without rows.
std::optional<RunBest> bestOfRun(const std::vector<PlotRow>& rows);

}  // namespace archscope::store
