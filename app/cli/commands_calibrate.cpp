// `calibrate`: measures networks with LibTorch, fits a profile's free parameters and op costs,
// writes the calibrated profile and reports agreement on held-out networks (docs/calibration.md).
#ifdef ARCHSCOPE_HAS_TORCH

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/statistics.h"
#include "arch/error.h"
#include "arch/network.h"
#include "batch_option.h"
#include "hw/profile_io.h"
#include "hw/profile_writer.h"
#include "hw/runtime_io.h"
#include "registry.h"
#include "table.h"
#include "timing_options.h"
#include "torch/calibration_runner.h"
#include "util/json_input.h"
#include "util/output_path.h"

namespace archscope::cli {
namespace {

// The acceptance floors on held-out networks (issue 4, "Calibration").
constexpr double kTauFloor = 0.85;
constexpr double kWithin15Floor = 0.80;

struct CalibrateArgs {
    std::string device = "cpu";
    std::string out;
    std::string base;
    std::string runtime = "pytorch-eager";  ///< what LibTorch runs: the runtime being measured
    std::string dtype = "fp32";
    std::vector<std::string> models;
    std::vector<std::string> holdoutModels;
    std::vector<std::string> parameters;
    std::string space = "efficientnet-x";
    int random = 8;
    int holdout = 20;
    uint64_t seed = 1;
    /// The same defaults as `measure` except one thread (stable figures) and fewer passes (dozens
    /// of networks are timed).
    TimingArgs timing{.threads = 1, .reps = 10};
    int batch = kDefaultBatch;
    int resolution = 0;
    double stageWeight = 0.5;
    std::string refit;
    bool json = false;
};

bool meetsFloors(const AgreementStats& s) {
    return s.kendallTau >= kTauFloor && s.within15 >= kWithin15Floor;
}

/// Calibrated predicted/measured per stage kind over the held-out networks' stages.
struct KindAgreement {
    std::string kind;
    int stages = 0;
    double measuredMs = 0.0, predictedMs = 0.0;
    double medianRatio = 0.0;
};
std::vector<KindAgreement> stageKindAgreement(const CalibrationReport& r) {
    std::map<std::string, std::vector<double>> ratios;
    std::map<std::string, KindAgreement> sums;
    for (const auto& n : r.networks) {
        if (!n.heldOut) continue;
        for (size_t i = 0; i < n.stages.size() && i < n.stagesPredictedMs.size(); ++i) {
            if (!(n.stages[i].measuredMs > 0.0)) continue;
            auto& k = sums[n.stageKinds[i]];
            k.kind = n.stageKinds[i];
            ++k.stages;
            k.measuredMs += n.stages[i].measuredMs;
            k.predictedMs += n.stagesPredictedMs[i];
            ratios[k.kind].push_back(n.stagesPredictedMs[i] / n.stages[i].measuredMs);
        }
    }
    std::vector<KindAgreement> out;
    for (auto& [kind, k] : sums) {
        k.medianRatio = analysis::median(ratios[kind]);
        out.push_back(k);
    }
    return out;
}

/// The version of the written profile: one more than the file it replaces, if that is the same
/// profile, so stored evaluations tell the two calibrations apart.
int nextVersion(const std::string& out, const std::string& name, int baseVersion) {
    std::error_code ec;
    if (!std::filesystem::exists(out, ec)) return baseVersion;
    try {
        const Profile old = loadProfile(out);
        if (old.name == name) return std::max(old.version + 1, baseVersion);
    } catch (const ArchError&) {
    }
    return baseVersion;
}

/// The figures of an earlier `calibrate --json` report, to fit again without measuring.
CalibrationMeasurements readMeasurements(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ArchError("--refit " + path + ": cannot open the file");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
        CalibrationMeasurements m;
        const auto& c = j.at("context");
        m.context.device = c.at("device").get<std::string>();
        m.context.deviceKind = c.at("device_kind").get<std::string>();
        m.context.libtorchVersion = c.at("libtorch").get<std::string>();
        m.context.threads = c.at("threads").get<int>();
        m.context.dtype = c.at("dtype").get<std::string>();
        m.context.batch = c.at("batch").get<int>();
        m.context.warmup = c.at("warmup").get<int>();
        m.context.reps = c.at("reps").get<int>();
        m.context.timestamp = c.at("timestamp").get<std::string>();
        m.context.clock =
            timingClockFromName(c.at("clock").get<std::string>()).value_or(TimingClock::Wall);
        m.context.steadyAllocator = c.value("steady_allocator", false);
        for (const auto& n : j.at("networks")) {
            NetworkFigures f;
            f.name = n.at("name").get<std::string>();
            f.archHash = n.value("arch_hash", std::string());  // absent before it was recorded
            // Reports before the statistic was selectable had the median as "measured_ms".
            f.total.medianMs = n.contains("median_ms") ? n.at("median_ms").get<double>()
                                                       : n.at("measured_ms").get<double>();
            f.total.p10Ms = n.at("p10_ms").get<double>();
            f.total.p90Ms = n.at("p90_ms").get<double>();
            f.total.minMs = n.value("min_ms", f.total.p10Ms);
            f.total.meanMs = n.value("mean_ms", f.total.medianMs);
            f.total.reps = c.at("reps").get<int>();
            f.wallMs = n.at("wall_ms").get<double>();
            for (const auto& s : n.at("stages"))
                f.stages.push_back(
                    {s.at("name").get<std::string>(), s.at("measured_ms").get<double>()});
            m.networks.push_back(std::move(f));
        }
        return m;
    } catch (const nlohmann::json::exception& e) {
        throw ArchError("--refit " + path +
                        ": not a `calibrate --json` report: " + jsonin::plainMessage(e));
    }
}

/// The base profile: --base, else `cpu` (a CUDA calibration must name the GPU's profile).
Profile baseProfile(const CalibrateArgs& a, TorchDevice device) {
    std::string baseName = a.base;
    if (baseName.empty()) {
        if (device == TorchDevice::Cuda) {
            throw ArchError(
                "--device cuda needs --base naming the GPU's profile (e.g. h100, a100, "
                "v100; see `archscope-cli profiles`)");
        }
        baseName = "cpu";
    }
    return loadPlatform(baseName, a.runtime);
}

CalibrationOptions calibrationOptions(const CalibrateArgs& a, TorchDevice device, Dtype dtype) {
    CalibrationOptions o;
    o.torch.device = device;
    o.torch.dtype = toTorchDtype(dtype);
    o.torch.batch = a.batch;
    o.torch.resolution = a.resolution;
    o.measure = toMeasureOptions(a.timing);
    if (!a.models.empty()) o.fitModels = a.models;
    if (!a.holdoutModels.empty()) o.holdoutModels = a.holdoutModels;
    // A model named for the fit is not also held out.
    std::erase_if(o.holdoutModels, [&](const std::string& m) {
        return std::find(o.fitModels.begin(), o.fitModels.end(), m) != o.fitModels.end();
    });
    o.space = a.space;
    o.randomFit = a.random;
    o.randomHoldout = a.holdout;
    o.seed = a.seed;
    o.fit.parameters = a.parameters;
    o.fit.stageWeight = a.stageWeight;
    o.fit.dtype = dtype;
    return o;
}

/// The calibrated profile as written: the fitted profile plus a "calibration" record.
nlohmann::ordered_json calibratedProfileJson(const CalibrationReport& r, const Profile& base,
                                             const Profile& out) {
    nlohmann::ordered_json doc = profileToJson(out);
    nlohmann::ordered_json fitted = nlohmann::ordered_json::array();
    for (const auto& p : r.fit.parameters) fitted.push_back(p.name);
    nlohmann::ordered_json fitNets = nlohmann::ordered_json::array();
    for (const auto& n : r.networks) {
        if (!n.heldOut) fitNets.push_back(n.name);
    }
    doc["calibration"] = {{"base_profile", base.name + " (" + base.file + ")"},
                          {"device", r.context.device},
                          {"device_kind", r.context.deviceKind},
                          {"libtorch", r.context.libtorchVersion},
                          {"threads", r.context.threads},
                          {"timing", describeTiming(r.context.clock, r.statistic, r.context.reps,
                                                    r.context.warmup, r.context.steadyAllocator)},
                          {"batch", r.context.batch},
                          {"dtype", r.context.dtype},
                          {"timestamp", r.context.timestamp},
                          {"fitted_parameters", fitted},
                          {"fit_networks", fitNets},
                          {"fit_error_pct", r.fit.meanAbsErrorPercent},
                          {"holdout_kendall_tau", r.holdoutAfter.kendallTau},
                          {"holdout_within_15", r.holdoutAfter.within15},
                          {"holdout_networks", r.holdoutAfter.count}};
    return doc;
}

nlohmann::json networksJson(const CalibrationReport& r) {
    nlohmann::json nets = nlohmann::json::array();
    for (const auto& n : r.networks) {
        nlohmann::json stages = nlohmann::json::array();
        for (size_t i = 0; i < n.stages.size(); ++i) {
            stages.push_back({{"name", n.stages[i].name},
                              {"kind", n.stageKinds[i]},
                              {"measured_ms", n.stages[i].measuredMs},
                              {"predicted_ms", n.stagesPredictedMs[i]}});
        }
        nets.push_back({{"name", n.name},
                        {"arch_hash", n.archHash},
                        {"origin", n.origin},
                        {"held_out", n.heldOut},
                        {"measured_ms", n.measuredMs},
                        {"wall_ms", n.wallMs},
                        {"median_ms", n.total.medianMs},
                        {"p10_ms", n.total.p10Ms},
                        {"p90_ms", n.total.p90Ms},
                        {"min_ms", n.total.minMs},
                        {"mean_ms", n.total.meanMs},
                        {"predicted_before_ms", n.predictedBeforeMs},
                        {"predicted_after_ms", n.predictedAfterMs},
                        {"stages", stages}});
    }
    return nets;
}

/// The measurements' context, with the statistic that was fitted (a refit may pick another).
nlohmann::json contextJson(const CalibrationReport& r) {
    const auto& c = r.context;
    nlohmann::json j = measureContextJson(c);
    j["statistic"] = timingStatisticName(r.statistic);
    j["timing"] = describeTiming(c.clock, r.statistic, c.reps, c.warmup, c.steadyAllocator);
    return j;
}

/// The `--json` report (docs/calibration.md lists its fields).
void printJsonReport(const std::string& path, const CalibrationReport& r, const Profile& base,
                     const Profile& out) {
    nlohmann::json params = nlohmann::json::array();
    for (const auto& p : r.fit.parameters) {
        params.push_back(
            {{"name", p.name}, {"unit", p.unit}, {"initial", p.initial}, {"fitted", p.fitted}});
    }
    nlohmann::json kindJson = nlohmann::json::array();
    for (const auto& k : stageKindAgreement(r)) {
        kindJson.push_back({{"kind", k.kind},
                            {"stages", k.stages},
                            {"measured_ms", k.measuredMs},
                            {"predicted_ms", k.predictedMs},
                            {"median_ratio", k.medianRatio}});
    }
    const nlohmann::json fit = {{"objective_before", r.fit.initialObjective},
                                {"objective_after", r.fit.finalObjective},
                                {"evaluations", r.fit.evaluations},
                                {"before", agreementJson(r.fitBefore)},
                                {"after", agreementJson(r.fitAfter)}};
    const nlohmann::json holdout = {
        {"before", agreementJson(r.holdoutBefore)},
        {"after", agreementJson(r.holdoutAfter)},
        {"floors", {{"kendall_tau", kTauFloor}, {"within_15", kWithin15Floor}}},
        {"meets_floors", meetsFloors(r.holdoutAfter)}};
    std::cout << nlohmann::json{{"profile",
                                 {{"path", path},
                                  {"name", out.name},
                                  {"version", out.version},
                                  {"base", base.name}}},
                                {"context", contextJson(r)},
                                {"parameters", params},
                                {"fit", fit},
                                {"holdout", holdout},
                                {"holdout_stage_kinds", kindJson},
                                {"networks", networksJson(r)},
                                {"seconds", r.seconds}}
                     .dump(2)
              << "\n";
}

void printNetworkTable(const CalibrationReport& r) {
    Table nets({"network", "set", "measured (ms)", "p10-p90 (ms)", "wall (ms)", "before (ms)",
                "after (ms)", "after/measured"},
               {false, false, true, true, true, true, true, true});
    for (const auto& n : r.networks) {
        nets.addRow({n.name, n.heldOut ? "held out" : "fit", formatFixed(n.measuredMs, 2),
                     formatFixed(n.total.p10Ms, 1) + "-" + formatFixed(n.total.p90Ms, 1),
                     formatFixed(n.wallMs, 2), formatFixed(n.predictedBeforeMs, 2),
                     formatFixed(n.predictedAfterMs, 2),
                     formatFixed(n.predictedAfterMs / n.measuredMs, 2)});
    }
    nets.print(std::cout);
}

void printAgreementTable(const CalibrationReport& r) {
    Table agree({"networks", "count", "Kendall tau", "within 10%", "within 15%", "mean |error|"},
                {false, true, true, true, true, true});
    auto row = [&](const std::string& label, const AgreementStats& s) {
        agree.addRow({label, std::to_string(s.count), formatFixed(s.kendallTau, 3),
                      formatFixed(100 * s.within10, 0) + "%",
                      formatFixed(100 * s.within15, 0) + "%",
                      formatFixed(s.meanAbsErrorPercent, 1) + "%"});
    };
    row("fit, base profile", r.fitBefore);
    row("fit, calibrated", r.fitAfter);
    row("held out, base profile", r.holdoutBefore);
    row("held out, calibrated", r.holdoutAfter);
    agree.print(std::cout);
    std::cout << "Floors on held-out networks: Kendall tau >= " << kTauFloor
              << ", within 15% >= " << formatFixed(100 * kWithin15Floor, 0)
              << "%: " << (meetsFloors(r.holdoutAfter) ? "met" : "NOT met") << "\n";
}

/// The report for people: networks, fitted parameters, agreement, held-out stages by kind.
void printTextReport(const std::string& path, const CalibrationReport& r, const Profile& base,
                     const Profile& out) {
    const auto& c = r.context;
    std::cout << "Calibrated " << base.name << " on " << c.device << ", LibTorch "
              << c.libtorchVersion << ", " << c.threads << " threads, " << c.dtype << ", batch "
              << c.batch << "\ntiming: "
              << describeTiming(c.clock, r.statistic, c.reps, c.warmup, c.steadyAllocator)
              << " (the same routine as `measure`), " << c.timestamp << " ("
              << formatFixed(r.seconds, 0) << " s)\n\n";
    printNetworkTable(r);
    std::cout << "\nFitted parameters (" << r.fit.evaluations << " objective evaluations):\n";
    Table params({"parameter", "unit", "before", "after"}, {false, false, true, true});
    for (const auto& p : r.fit.parameters) {
        params.addRow({p.name, p.unit, formatFixed(p.initial, 4), formatFixed(p.fitted, 4)});
    }
    params.print(std::cout);
    std::cout << "\nAgreement (predicted vs measured latency):\n";
    printAgreementTable(r);
    std::cout << "\nHeld-out stages by kind (calibrated; each stage timed on its own):\n";
    Table kt({"kind", "stages", "measured (ms)", "predicted (ms)", "median pred/meas"},
             {false, true, true, true, true});
    for (const auto& k : stageKindAgreement(r)) {
        kt.addRow({k.kind, std::to_string(k.stages), formatFixed(k.measuredMs, 2),
                   formatFixed(k.predictedMs, 2), formatFixed(k.medianRatio, 2)});
    }
    kt.print(std::cout);
    std::cout << "\nWrote " << path << " (profile \"" << out.name << "\", version " << out.version
              << "); use it with --hw " << path << "\n";
}

/// The command's script: check the input and the output folder, measure (or reload a report),
/// fit, write the profile, report.
void runCalibrate(const CalibrateArgs& a) {
    const auto device = torchDeviceFromName(a.device);
    if (!device) throw ArchError("unknown --device \"" + a.device + "\"; use cpu or cuda");
    const Dtype dtype = parseDtype(a.dtype, "--dtype");
    const Profile base = baseProfile(a, *device);
    requireOutputPath(a.out, "profile");  // before minutes of measuring
    const CalibrationOptions o = calibrationOptions(a, *device, dtype);

    const auto progress = [&](const std::string& line) {
        if (!a.json) std::cerr << line << "\n";
    };
    const CalibrationReport r = a.refit.empty()
                                    ? runCalibration(base, o, progress)
                                    : fitCalibration(base, o, readMeasurements(a.refit));
    const std::string name = std::filesystem::path(a.out).stem().string();
    const Profile out = annotatedProfile(r, name, nextVersion(a.out, name, base.version));
    writeProfileFile(calibratedProfileJson(r, base, out), a.out);
    loadProfile(a.out);  // the written file must read back; throws naming the field if not
    if (a.json)
        printJsonReport(a.out, r, base, out);
    else
        printTextReport(a.out, r, base, out);
}

}  // namespace

void addCalibrateCommand(CLI::App& app) {
    auto a = std::make_shared<CalibrateArgs>();
    auto* cmd = app.add_subcommand(
        "calibrate", "Measure networks with LibTorch and fit a platform profile to them");
    cmd->add_option("--device", a->device, "cpu or cuda")->capture_default_str();
    cmd->add_option("--out", a->out, "Where to write the calibrated profile (.json)")->required();
    cmd->add_option("--base", a->base, "Profile to start from (default: cpu; required on cuda)");
    cmd->add_option("--runtime", a->runtime,
                    "Runtime whose figures are fitted with the profile's: LibTorch runs "
                    "pytorch-eager, which is what calibrate measures")
        ->capture_default_str();
    cmd->add_option("--dtype", a->dtype, "fp32 on the CPU; " + dtypeNameList() + " on CUDA")
        ->capture_default_str();
    cmd->add_option("--models", a->models, "Networks to fit (zoo names or .json files)")
        ->delimiter(',');
    cmd->add_option("--holdout-models", a->holdoutModels,
                    "Networks held out of the fit (default efficientnet-b0..b3, "
                    "efficientnet-x-tpu/gpu-b1..b2)")
        ->delimiter(',');
    cmd->add_option("--space", a->space, "Search space of the random architectures")
        ->capture_default_str();
    cmd->add_option("--random", a->random, "Random architectures added to the fit set")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    cmd->add_option("--holdout", a->holdout, "Random architectures held out (other draws)")
        ->check(CLI::Range(0, 1000))
        ->capture_default_str();
    cmd->add_option("--seed", a->seed, "Seed of the random architectures")->capture_default_str();
    cmd->add_option("--params", a->parameters,
                    "Parameters to fit (default depends on the profile kind; see "
                    "docs/calibration.md)")
        ->delimiter(',');
    cmd->add_option("--stage-weight", a->stageWeight,
                    "Weight of per-stage times against network totals (0 = totals only)")
        ->check(CLI::Range(0.0, 100.0))
        ->capture_default_str();
    addTimingOptions(cmd, a->timing);
    addBatchOption(cmd, a->batch, "measurement");
    cmd->add_option("--refit", a->refit,
                    "Fit again from the figures of an earlier `calibrate --json` report instead "
                    "of measuring (same networks and seed)");
    cmd->add_option("--resolution", a->resolution,
                    "Input size of every network (0 = each network's own)")
        ->check(CLI::Range(0, 4096));
    cmd->add_flag("--json", a->json, "One JSON document on stdout");
    cmd->callback([a] { runCalibrate(*a); });
}

}  // namespace archscope::cli

#endif  // ARCHSCOPE_HAS_TORCH
