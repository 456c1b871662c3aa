#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "arch/network.h"

namespace archscope {

/// An accuracy figure for one network and what produced it (never mixed silently).
struct AccuracyResult {
    double value = 0.0;
    std::string estimator;    ///< "proxy", "zero-cost", ...
    std::string metric;       ///< "top-1 accuracy (%)", "NASWOT score", ...
    std::string dataset;      ///< e.g. "Fashion-MNIST (dataset-fashion-mnist)"; empty if none
    nlohmann::json settings;  ///< everything needed to reproduce the figure
    double seconds = 0.0;     ///< what it cost
    std::optional<double> uncertainty;  ///< one standard deviation, same unit; unset if unknown
    bool outOfRange = false;            ///< the network lies outside the estimator's data
};

/// A latency measured by running the network for real.
struct MeasuredResult {
    double medianMs = 0.0;
    double p10Ms = 0.0;
    double p90Ms = 0.0;
    int reps = 0;
    nlohmann::json context;  ///< device, library versions, threads, dtype, batch
    double seconds = 0.0;
};

using EstimateFn = std::function<AccuracyResult(const NetworkSpec&, std::stop_token)>;
using MeasureFn = std::function<MeasuredResult(const NetworkSpec&, std::stop_token)>;

/// Estimators and measurers live where their dependencies are (LibTorch in core/torch); they
/// register here so the core's search can use them without linking them. Threading: register at
/// program start, before any job runs.
struct AccuracyEstimatorKind {
    std::string name;
    std::string description;
    /// Builds an estimator from settings (estimator-specific JSON; {} = defaults). Throws
    /// ArchError for bad settings or a missing dataset.
    std::function<EstimateFn(const nlohmann::json& settings)> make;
    /// The settings actually used (defaults filled in), stored with the run.
    std::function<nlohmann::json(const nlohmann::json& settings)> resolveSettings;
};

struct LatencyMeasurerKind {
    std::string device;  ///< "cpu", "cuda"
    /// settings: {"batch":..,"dtype":..,"threads":..,"reps":..}
    std::function<MeasureFn(const nlohmann::json& settings)> make;
};

void registerAccuracyEstimator(AccuracyEstimatorKind kind);
void registerLatencyMeasurer(LatencyMeasurerKind kind);
/// Throws ArchError listing what is registered (and saying when LibTorch is not built in).
const AccuracyEstimatorKind& findAccuracyEstimator(const std::string& name);
const LatencyMeasurerKind& findLatencyMeasurer(const std::string& device);
std::vector<std::string> accuracyEstimatorNames();

}  // namespace archscope
