#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>

#include "arch/network.h"
#include "engine/runkinds.h"
#include "lacs.h"

namespace archscope {

inline constexpr const char* kLacsKind = "lacs";

/// Everything a LACS run needs; stored as the run's params, so `resume` rebuilds the same job.
struct LacsRunParams {
    std::string baseName;  ///< as given (zoo name or file)
    NetworkSpec base;      ///< the resolved base (stored, so a resumed run scales the same net)
    std::string hw = "tpuv3";
    std::string runtime;  ///< empty: the profile's default
    std::string dtype;    ///< empty: the profile's default
    int batch = kDefaultBatch;
    std::string accuracy = "imagenet";  // the predictor fitted on published ImageNet top-1
    nlohmann::json accuracySettings = nlohmann::json::object();
    LacsParams lacs;

    nlohmann::json toJson() const;
    /// Throws ArchError for params that are not a valid LACS run.
    static LacsRunParams fromJson(const nlohmann::json& j);
};

/// A LACS result with what it was computed on and how.
struct LacsReport {
    LacsResult result;
    std::string profile, runtime, dtype;
    std::string latencyMethod;  ///< predictionMethod() of the profile under its runtime
    std::string metric;         ///< the estimator's metric, e.g. "NASWOT score"
    nlohmann::json accuracySettings;
};

/// Checks everything that can be checked before a run is stored: profile, runtime, dtype,
/// estimator and its settings, the LACS params, and B1's target above the base latency.
void validateLacsRun(const LacsRunParams& p);

/// Runs LACS in memory (no store). `progress` (optional) is told of each accuracy estimate.
LacsReport runLacsInMemory(const LacsRunParams& p, std::stop_token stop = {},
                           const std::function<void(int estimates)>& progress = {});

/// Estimates every FLOPs-rule member of `report` with the run's estimator (runLacs leaves them
/// latency-only), so both families can be compared on one estimate axis. Stops early on `stop`.
void estimateFlopsRule(LacsReport& report, const LacsRunParams& p, std::stop_token stop = {});

/// The report of a finished stored run, replayed from its evaluations (no estimate is made
/// again). Throws ArchError when the run is not a finished LACS run.
LacsReport lacsReportFromStore(const std::filesystem::path& db, int64_t runId);

/// The "lacs" run kind: every grid point (seq 0..G-1), LACS member (G..G+n) and FLOPs-rule
/// member (G+n+1..G+2n+1) is stored with its predicted latency, accuracy estimate and method;
/// resume re-uses what is stored and continues from the first missing seq.
engine::RunKind lacsRunKind();
/// Registers the lacs run kind with the engine (idempotent).
void registerLacsRunKind();

}  // namespace archscope
