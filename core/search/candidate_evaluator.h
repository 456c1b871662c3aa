#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "evaluators.h"
#include "hw/profile.h"
#include "searchloop.h"
#include "store/records.h"

namespace archscope {

struct SearchRunParams;

/// One network of a search run to evaluate: a candidate (seq >= 0) or a reference (seq < 0).
struct EvaluationTask {
    int64_t runId = 0;
    int64_t seq = 0;
    NetworkSpec spec;
};

/// One evaluated network: the row for the store and the figures the search loop sees. A failed
/// evaluation carries its message in evaluation.error and keeps what was computed before it
/// (the predicted latency, MACs, parameters).
struct EvaluationOutcome {
    store::Evaluation evaluation;
    NetworkSpec spec;
    Metrics metrics;

    int64_t seq() const { return evaluation.seq.value_or(0); }
    bool failed() const { return evaluation.error.has_value(); }
};

/// Evaluates networks the way a search run's params say: predicted latency on the run's
/// platform, optionally measured latency, and the accuracy estimate. The same object serves
/// the one-process search and each MPI worker, so both store the same figures.
/// Threading: one object per thread (estimators keep state between calls).
class SearchEvaluator {
public:
    /// Resolves the platform, dtype, estimator settings and measurer; throws ArchError for
    /// params it cannot use. The estimator itself is built on the first evaluation, so a
    /// process that only re-uses figures (MPI rank 0) never loads a dataset.
    explicit SearchEvaluator(const SearchRunParams& params);
    ~SearchEvaluator();

    /// Evaluates `task`. An exception of the estimator, the measurer or the builder becomes a
    /// failed outcome; nullopt when `stop` was requested meanwhile (a cut-short figure is not
    /// stored). Throws ArchError when the estimator or measurer cannot be built at all (a
    /// missing dataset): that fails the run rather than every candidate.
    std::optional<EvaluationOutcome> evaluate(const EvaluationTask& task, std::stop_token stop);
    /// A duplicate of an earlier outcome of the run: its figures are re-used (or its failure
    /// repeated) and only the cheap prediction is recomputed.
    EvaluationOutcome reuse(const EvaluationTask& task, const EvaluationOutcome& first);

    /// The accuracy settings the run stores (defaults filled in).
    const nlohmann::json& settings() const { return m_settings; }

private:
    void predict(const NetworkSpec& spec, EvaluationOutcome& out) const;

    struct State;
    std::unique_ptr<State> m_state;
    nlohmann::json m_settings;
};

/// What crosses MPI ranks: plain JSON, lossless for every double (nlohmann prints the
/// shortest text that reads back to the same value).
nlohmann::json evaluationTaskToJson(const EvaluationTask& task);
EvaluationTask evaluationTaskFromJson(const nlohmann::json& j);
nlohmann::json evaluationOutcomeToJson(const EvaluationOutcome& outcome);
/// Throws ArchError naming the field for a malformed document.
EvaluationOutcome evaluationOutcomeFromJson(const nlohmann::json& j);

/// Where a search run's networks get evaluated: in the job's own thread (local) or on other
/// processes (MPI). Threading: used by the job thread only.
class EvaluationBackend {
public:
    virtual ~EvaluationBackend() = default;
    /// How many more tasks it accepts right now.
    virtual int freeSlots() const = 0;
    virtual void submit(EvaluationTask task) = 0;
    /// Waits until at least one submitted task has an outcome, or `stop` is requested (then
    /// possibly none). Throws ArchError when the work cannot go on (an evaluator process was
    /// lost); outcomes already returned are unaffected.
    virtual std::vector<EvaluationOutcome> collect(std::stop_token stop) = 0;
};

/// Builds the backend of a search run (params as stored, the run id). Set by the MPI CLI.
using EvaluationBackendFactory =
    std::function<std::unique_ptr<EvaluationBackend>(const SearchRunParams& params, int64_t runId)>;

/// One task at a time, evaluated inside collect() on the calling thread.
std::unique_ptr<EvaluationBackend> makeLocalBackend(SearchEvaluator& evaluator);

/// For an MPI worker: evaluates task documents of a search run with `runParams`, returning
/// the outcome document, or {"cancelled":true} when `stop` cut it short.
std::function<nlohmann::json(const nlohmann::json& task, std::stop_token stop)>
makeSearchTaskEvaluator(const nlohmann::json& runParams);

}  // namespace archscope
