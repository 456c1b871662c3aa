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

/// What a network's total time is read from. On a shared machine the wall clock also counts the
/// time the measuring thread waits for a CPU; with one intra-op thread all of LibTorch's work
/// runs on the calling thread, so that thread's CPU time is the latency of an idle core.
enum class CalibrationClock { Wall, ThreadCpu };

/// Which statistic of the timed passes stands for a network's latency. Other processes only add
/// time (cache and memory traffic even to a thread's CPU time), so on a shared machine a low
/// quantile estimates the uncontended latency more reproducibly than the median.
enum class CalibrationStatistic { Median, P10, Min };
std::string_view calibrationStatisticName(CalibrationStatistic s);  ///< "median", "p10", "min"
double pickStatistic(const LatencyStats& s, CalibrationStatistic which);

/// What a calibration measures and fits. Plain values; see docs/calibration.md.
struct CalibrationOptions {
    TorchOptions torch;      ///< device, batch (1), fp32
    MeasureOptions measure;  ///< threads (1 for stable figures), reps, warm-up; per stage is forced
    /// Networks whose measurements are fitted: zoo names or architecture files.
    std::vector<std::string> fitModels = {"mobilenet-v2", "efficientnet-x-tpu-b0",
                                          "efficientnet-x-gpu-b0", "resnet-50"};
    /// Networks held out of the fit and only compared.
    std::vector<std::string> holdoutModels = {"efficientnet-b0", "efficientnet-b1",
                                              "efficientnet-b2", "efficientnet-b3"};
    std::string space = "efficientnet-x";  ///< where random architectures come from
    int randomFit = 8;                     ///< random architectures added to the fit set
    int randomHoldout = 20;                ///< random architectures held out (other draws)
    uint64_t seed = 1;
    /// ThreadCpu needs device cpu and measure.threads == 1; runCalibration falls back to Wall
    /// otherwise.
    CalibrationClock clock = CalibrationClock::ThreadCpu;
    CalibrationStatistic statistic = CalibrationStatistic::P10;
    /// Tell glibc's malloc to keep freed memory (no mmap below 32 MiB, no trimming), as the
    /// jemalloc/tcmalloc that PyTorch's CPU tuning guide recommends do. Otherwise eager LibTorch
    /// faults in fresh pages for some large tensors on every pass, depending on the heap's
    /// history: the same depthwise conv then takes 7 or 29 ms (docs/calibration.md). Process-wide.
    bool steadyAllocator = true;
    FitOptions fit;  ///< parameters (empty = defaults for the profile's kind), weights
};

/// One measured network with its predictions before and after the fit.
struct CalibratedNetwork {
    std::string name;
    std::string origin;  ///< "zoo/file" or "random"
    bool heldOut = false;
    double measuredMs = 0.0;         ///< the chosen statistic, on the report's clock
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
    MeasureContext context;
    CalibrationClock clock = CalibrationClock::Wall;  ///< the clock actually used
    CalibrationStatistic statistic = CalibrationStatistic::Median;
    bool steadyAllocator = false;  ///< whether the allocator took the settings
    std::vector<CalibratedNetwork> networks;
    AgreementStats fitBefore, fitAfter;          ///< on the fitted networks
    AgreementStats holdoutBefore, holdoutAfter;  ///< on the held-out networks
    double seconds = 0.0;                        ///< wall time of the whole calibration
};

/// The figures of one measured network.
struct NetworkFigures {
    std::string name;
    LatencyStats total;             ///< on the measurements' clock
    double wallMs = 0.0;            ///< wall-clock median
    std::vector<StageTime> stages;  ///< per stage medians (the split; fitCalibration scales them)
};

/// Everything measureForCalibration measured; a report's JSON carries the same figures, so a
/// calibration can be refitted later without measuring again (calibrate --refit).
struct CalibrationMeasurements {
    MeasureContext context;
    CalibrationClock clock = CalibrationClock::Wall;
    bool steadyAllocator = false;
    std::vector<NetworkFigures> networks;
};

/// Measures every planned network: per-stage split with measureNetwork, then (on the CPU)
/// whole-network passes round-robin over all networks.
CalibrationMeasurements measureForCalibration(
    const CalibrationOptions& opts, const std::function<void(const std::string&)>& progress = {});

/// Fits and compares from measured figures (matched to the planned networks by name).
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
