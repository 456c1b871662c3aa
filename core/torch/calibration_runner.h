#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "arch/network.h"
#include "hw/calibrate.h"
#include "hw/profile.h"
#include "measure.h"
#include "options.h"

namespace archscope {

/// What a calibration measures and fits. Plain values; see docs/calibration.md.
struct CalibrationOptions {
    TorchOptions torch;  ///< device, batch (1), fp32
    /// How every network is timed: the same routine and defaults as `measure` (clock, statistic,
    /// allocator, warm-up); threads 1 for stable figures. Per stage is forced, CUDA graphs off.
    MeasureOptions measure;
    /// Networks whose measurements are fitted: zoo names or architecture files.
    std::vector<std::string> fitModels = {"mobilenet-v2", "efficientnet-x-tpu-b0",
                                          "efficientnet-x-gpu-b0", "resnet-50"};
    /// Networks held out of the fit and only compared.
    std::vector<std::string> holdoutModels = {"efficientnet-b0",       "efficientnet-b1",
                                              "efficientnet-b2",       "efficientnet-b3",
                                              "efficientnet-x-tpu-b1", "efficientnet-x-tpu-b2",
                                              "efficientnet-x-gpu-b1", "efficientnet-x-gpu-b2"};
    std::string space = "efficientnet-x";  ///< where random architectures come from
    int randomFit = 8;                     ///< random architectures added to the fit set
    int randomHoldout = 20;                ///< random architectures held out (other draws)
    uint64_t seed = 1;
    FitOptions fit;  ///< parameters (empty = defaults for the profile's kind), weights
};

/// One measured network with its predictions before and after the fit.
struct CalibratedNetwork {
    std::string name;
    std::string archHash;  ///< networkHash of the architecture measured
    std::string origin;    ///< "zoo/file" or "random"
    bool heldOut = false;
    double measuredMs = 0.0;         ///< the chosen statistic, on the context's clock
    LatencyStats total;              ///< every statistic of the timed passes
    double wallMs = 0.0;             ///< wall-clock median (same as measuredMs on the wall clock)
    double predictedBeforeMs = 0.0;  ///< with the base profile
    double predictedAfterMs = 0.0;   ///< with the calibrated profile
    std::vector<StageTime> stages;   ///< per stage, scaled so that they sum to measuredMs
    std::vector<double> stagesPredictedMs;  ///< calibrated, per stage
    std::vector<std::string> stageKinds;    ///< per stage: "stem", "mbconv", "fused", "head", ...
};

struct CalibrationReport {
    Profile profile;  ///< the calibrated profile (parameter sources not yet annotated)
    FitResult fit;
    MeasureContext context;  ///< how the networks were timed (clock, allocator, reps)
    TimingStatistic statistic = TimingStatistic::Median;  ///< the statistic fitted
    std::vector<CalibratedNetwork> networks;
    AgreementStats fitBefore, fitAfter;          ///< on the fitted networks
    AgreementStats holdoutBefore, holdoutAfter;  ///< on the held-out networks
    double seconds = 0.0;                        ///< wall time of the whole calibration
};

/// The figures of one measured network.
struct NetworkFigures {
    std::string name;
    /// networkHash of the architecture measured; empty in reports written before it was kept.
    std::string archHash;
    LatencyStats total;             ///< on the measurements' clock
    double wallMs = 0.0;            ///< wall-clock median
    std::vector<StageTime> stages;  ///< per stage medians (the split; fitCalibration scales them)
};

/// Everything measureForCalibration measured; a report's JSON carries the same figures, so a
/// calibration can be refitted later without measuring again (calibrate --refit).
struct CalibrationMeasurements {
    MeasureContext context;  ///< clock, allocator, reps, device of every network's figures
    std::vector<NetworkFigures> networks;
};

/// Measures every planned network with measureNetwork (the routine `measure` uses): the total on
/// the options' clock and the per-stage split.
CalibrationMeasurements measureForCalibration(
    const CalibrationOptions& opts, const std::function<void(const std::string&)>& progress = {});

/// Fits and compares from measured figures, matched to the planned networks by name and checked
/// by architecture hash: figures of another architecture under the same name (a random draw of an
/// older version, an edited file) are refused, as are random networks' figures without a hash.
CalibrationReport fitCalibration(const Profile& base, const CalibrationOptions& opts,
                                 const CalibrationMeasurements& figures);

/// measureForCalibration + fitCalibration. Measures every network (fit and held out) with LibTorch,
/// fits the profile on the fit set and compares both profiles on the hold-out set. `progress` gets
/// one line per network. Throws ArchError for an unknown model, an empty fit set, or a measurement
/// failure.
CalibrationReport runCalibration(const Profile& base, const CalibrationOptions& opts,
                                 const std::function<void(const std::string&)>& progress = {});

/// The source text a calibrated parameter carries in the written profile.
std::string calibrationSource(const CalibrationReport& r);

/// The calibrated profile with every fitted parameter's source set to calibrationSource(), its
/// name and display name set from `name`, and its version `version`.
Profile annotatedProfile(const CalibrationReport& r, const std::string& name, int version);

}  // namespace archscope
