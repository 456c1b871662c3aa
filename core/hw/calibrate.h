#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agreement.h"
#include "arch/layer.h"
#include "model.h"  // callers compare fits with predictNetwork
#include "profile.h"

namespace archscope {

/// A measured time of one stage ("stem", "block3", "head"), as measure --per-layer gives it.
struct StageTime {
    std::string name;
    double measuredMs = 0.0;
};

/// One measured network, ready for fitting: its layers (expanded at the measured batch), the
/// measured whole-network median and, optionally, per-stage medians.
struct CalibrationSample {
    std::string name;
    std::vector<Layer> layers;
    double measuredMs = 0.0;
    std::vector<StageTime> stages;
};

/// The IR block index of a stage name: "stem" -> -1, "head" -> -2, "blockN" -> N; -3 when the
/// name is none of these (such a stage is ignored by the fit).
int stageBlockIndex(std::string_view stageName);

/// Parameters the calibration may fit: the profile's free parameters (freeParameterNames()), the
/// vector unit's per-element op costs "vector.ops_per_element.<op>", "memory.overlap" and
/// "memory.bandwidth" (GB/s; the CPU profile's is an assumption).
std::vector<std::string> fittableParameterNames();
double fittableParameter(const Profile& p, std::string_view name);
/// Sets a fittable parameter and marks it calibrated with `source` in Profile::parameters.
/// Throws ArchError for an unknown name or an out-of-range value.
void setFittableParameter(Profile& p, std::string_view name, double value,
                          const std::string& source = "calibrated");

/// The range a fit searches a fittable parameter in, in its unit: efficiencies [1e-4, 1],
/// overheads [0.001, 10,000] us, op costs [0.01, 1,000], memory.overlap [0, 1], bandwidths
/// [0.01, 1] x the base profile's memory.bandwidth (up to 10x when that figure is an assumption,
/// as the CPU profile's is). Throws ArchError for an unknown name.
struct ParameterBounds {
    double lo = 0.0;
    double hi = 0.0;
};
ParameterBounds fitBounds(const Profile& base, std::string_view name);

/// Which parameters a calibration fits on a profile of `kind` ("cpu", "gpu", "tpu") by default.
std::vector<std::string> defaultFitParameters(const std::string& kind);

struct FitOptions {
    std::vector<std::string> parameters;  ///< empty: defaultFitParameters(profile.kind)
    Dtype dtype = Dtype::Fp32;
    /// Weight of the per-stage terms: each network's stages together weigh this much against
    /// the network's total (weight 1). 0 fits totals only.
    double stageWeight = 0.5;
    /// Weak pull of each parameter towards its starting value (squared log-ratio); it only
    /// matters along directions the data cannot tell apart (e.g. an efficiency and an op cost).
    double priorWeight = 1e-3;
    int maxEvaluations = 60000;  ///< over all starts
    int starts = 12;             ///< the profile's values, then random points (fixed seed)
};

struct FittedParameter {
    std::string name;
    std::string unit;
    double initial = 0.0;
    double fitted = 0.0;
};

struct FitResult {
    Profile profile;  ///< the base profile with the fitted values set
    std::vector<FittedParameter> parameters;
    double initialObjective = 0.0;  ///< mean squared log error (+ stage and prior terms)
    double finalObjective = 0.0;
    double meanAbsErrorPercent = 0.0;  ///< over the fit networks' totals, |pred/meas - 1|
    int evaluations = 0;
};

/// Fits `opts.parameters` of `base` to the samples by minimizing the mean squared log error of
/// predicted vs measured latency (network totals, plus stage times weighted by stageWeight)
/// with NLopt's bounded Subplex and BOBYQA on log-parameters (overlap: linear), every value
/// inside fitBounds(), from several starts. Deterministic. Throws ArchError without samples, for
/// an unknown or repeated parameter or a sample without a positive measured time.
FitResult fitProfile(const Profile& base, const std::vector<CalibrationSample>& samples,
                     const FitOptions& opts);

/// One measured network on its own platform: a profile with the runtime being fitted applied.
struct PlatformSample {
    Profile platform;
    Dtype dtype = Dtype::Fp32;
    CalibrationSample sample;
};

struct RuntimeFitResult {
    Runtime runtime;  ///< the samples' runtime with the fitted values set
    std::vector<FittedParameter> parameters;
    double initialObjective = 0.0;
    double finalObjective = 0.0;
    double meanAbsErrorPercent = 0.0;
    int evaluations = 0;
};

/// Fits runtime parameters (overhead.*, efficiency.*: `opts.parameters`, required) shared by
/// samples taken on several platforms, each predicted with its own hardware figures: how one
/// runtime (e.g. PyTorch eager) behaves across GPUs. Same objective and search as fitProfile.
/// Throws ArchError for a hardware parameter or samples under different runtimes or kinds.
RuntimeFitResult fitRuntime(const std::vector<PlatformSample>& samples, const FitOptions& opts);

/// Predicted per-stage times (ms) of a sample, in the order of sample.stages.
std::vector<double> predictStagesMs(const Profile& p, const CalibrationSample& sample, Dtype dtype);

}  // namespace archscope
