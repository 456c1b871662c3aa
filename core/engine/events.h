#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <variant>

#include "store/figures.h"

namespace archscope::engine {

/// The job has begun (or resumed): `alreadyDone` evaluations were found in the store.
struct Started {
    int64_t runId = 0;
    std::string kind;
    int64_t total = 0;
    int64_t alreadyDone = 0;
};

/// `done` counts every finished evaluation of the run (including those re-used on resume).
struct Progress {
    int64_t done = 0;
    int64_t total = 0;
    std::optional<double> etaSeconds;  ///< unknown until this session finished something
};

/// One evaluation was computed and handed to the store writer. Latency and accuracy are typed
/// (source, value, what they are); `method` is the whole text for people, never parsed.
struct Result {
    int64_t runId = 0;
    int64_t seq = 0;
    std::string name;
    std::string archHash;
    std::optional<int64_t> macs;
    std::optional<int64_t> params;
    store::LatencyFigure latency;                   ///< store::judgedLatency of the evaluation
    std::optional<store::AccuracyFigure> accuracy;  ///< unset when none was estimated
    std::string method;

    std::optional<double> latencyMs() const { return latency.value(); }
    std::optional<double> accuracyValue() const {
        return accuracy ? std::optional<double>(accuracy->value) : std::nullopt;
    }
};

/// The job ended and everything it produced is committed. `cancelled`: stopped before the end.
struct Finished {
    int64_t runId = 0;
    int64_t evaluations = 0;  ///< stored for the run in total
    double elapsedSeconds = 0.0;
    bool cancelled = false;
};

struct Failed {
    int64_t runId = 0;
    std::string message;
};

/// Events are plain values: the GUI forwards them through queued signals, the CLI prints them.
using JobEvent = std::variant<Started, Progress, Result, Finished, Failed>;

/// Receives a job's events. Called from the job's own thread only, one event at a time, so a
/// sink needs no locking of its own; it must not block for long.
using EventSink = std::function<void(const JobEvent&)>;

/// {"event":"started"|"progress"|"result"|"finished"|"failed", ...fields}: one JSON line each.
nlohmann::json eventToJson(const JobEvent& event);

}  // namespace archscope::engine
