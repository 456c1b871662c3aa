#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "store/figures.h"
#include "store/lease.h"

namespace archscope::store {

/// Run statuses as stored. A run left "running" by a process that died is resumable.
inline constexpr const char* kStatusRunning = "running";
/// Never stored: what a running or paused run whose owner is gone reads as (store/lease.h).
inline constexpr const char* kStatusInterrupted = "interrupted";
inline constexpr const char* kStatusPaused = "paused";
inline constexpr const char* kStatusFinished = "finished";
inline constexpr const char* kStatusCancelled = "cancelled";
inline constexpr const char* kStatusFailed = "failed";
/// Only in the status history (run_events): the run was created.
inline constexpr const char* kStatusCreated = "created";

/// One entry of a run's status history.
struct RunStatusEvent {
    std::string at;  ///< ISO 8601 UTC
    std::string status;
    std::string message;
    bool operator==(const RunStatusEvent&) const = default;
};

struct RunRecord {
    int64_t id = 0;
    std::string kind;                ///< run-kind name, e.g. "sweep" (engine/runkinds.h)
    nlohmann::json params;           ///< what the run kind needs to start or resume it
    std::string status;              ///< one of kStatus*; "interrupted" when its owner is gone
    std::optional<RunOwner> owner;   ///< the process holding the run's lease, if any
    std::string message;             ///< failure message, empty otherwise
    std::optional<int64_t> planned;  ///< evaluations planned, when known
    std::string startedAt;           ///< ISO 8601 UTC
    std::optional<std::string> endedAt;
    nlohmann::json machine;   ///< machine context (engine/machine.h)
    int64_t evaluations = 0;  ///< filled by listRuns()/run()
};

/// A latency measured by running the network (median and spread of `reps` repetitions).
struct MeasuredLatency {
    double medianMs = 0.0;
    double p10Ms = 0.0;
    double p90Ms = 0.0;
    int64_t reps = 0;
    nlohmann::json context;  ///< device, library version, threads, dtype, batch...
    bool operator==(const MeasuredLatency&) const = default;
};

/// An accuracy figure with what produced it: never mix estimators silently.
struct AccuracyEstimate {
    double value = 0.0;       ///< top-1 in percent
    std::string estimator;    ///< "proxy", "zero-cost", "published", ...
    nlohmann::json settings;  ///< the estimator's settings (epochs, subset, seed, source...)
    std::string dataset;
    std::string metric;  ///< what the value is: "top-1 accuracy (%)", "NASWOT score"
    bool operator==(const AccuracyEstimate&) const = default;

    /// The light form; an estimate stored without a metric reads as "<estimator> estimate".
    AccuracyFigure figure() const;
};

/// One operator's cost in an evaluation; predicted and/or measured time where known.
struct LayerCost {
    int64_t index = 0;
    std::string name;
    std::string op;
    std::optional<int64_t> macs;
    std::optional<int64_t> params;
    std::optional<int64_t> bytes;  ///< bytes read + written at the evaluation's dtype
    std::optional<double> predictedMs;
    std::optional<double> measuredMs;
    bool operator==(const LayerCost&) const = default;
};

/// One evaluation of an architecture. Every producer (sweep, search, measurement, import) fills
/// what it has and leaves the rest empty.
struct Evaluation {
    int64_t id = 0;  ///< set by the store
    int64_t runId = 0;
    std::optional<int64_t> seq;  ///< candidate index within the run; unique per run (resume key)
    int64_t architectureId = 0;  ///< from ResultStore::internArchitecture
    std::string archHash;        ///< filled when read back
    std::optional<std::string> platform;        ///< platform profile name
    std::optional<std::string> profileVersion;  ///< that profile's version
    std::optional<std::string> runtime;         ///< the runtime predicted under: "xla v1"
    int64_t batch = 1;
    std::string dtype = "fp32";
    std::optional<int64_t> macs;  ///< at `batch`
    std::optional<int64_t> params;
    std::optional<double> predictedMs;
    std::optional<MeasuredLatency> measured;
    std::optional<AccuracyEstimate> accuracy;
    std::optional<double> costSeconds;  ///< wall time it took to obtain this evaluation
    std::string method;                 ///< free-form label, e.g. "IR cost (exact)"
    /// Why the evaluation failed (what was computed before the failure is kept); unset if fine.
    std::optional<std::string> error;
    std::string createdAt;          ///< set by the store
    std::vector<LayerCost> layers;  ///< written with the evaluation; read on demand

    /// Equality of the stored content (ids, hash and timestamp excluded).
    bool sameContent(const Evaluation& o) const;
    /// The latency this evaluation is judged by (judgedLatency: measured, else predicted).
    LatencyFigure latency() const;
};

/// The light row the plots load: one per evaluation of a run.
struct PlotRow {
    int64_t evaluationId = 0;
    std::string archHash;
    std::optional<double> predictedMs;
    std::optional<double> measuredMs;  ///< measured median
    std::optional<double> accuracy;
    std::optional<int64_t> macs;
    bool onFront = false;

    /// The latency this row is judged by: judgedLatency, the rule Evaluation::latency() uses.
    LatencyFigure latency() const;
};

}  // namespace archscope::store

namespace archscope::store {

/// A distinct network: stored once per canonical form (arch/json.h networkHash).
struct ArchitectureRecord {
    int64_t id = 0;
    std::string hash;
    std::string name;     ///< the name it was first stored under
    std::string network;  ///< canonicalNetworkString (name excluded)
};

}  // namespace archscope::store
