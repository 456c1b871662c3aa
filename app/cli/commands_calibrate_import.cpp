// `calibrate-from`: fit a platform profile to measurements already in a result store, e.g.
// `measure --json` output or a profiler trace taken on a remote GPU box and imported here. No
// LibTorch needed: the figures were measured elsewhere. Every input is checked before the fit,
// and a fit that cannot be trusted (another kind of device, too few networks) is refused.
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "hw/calibrate.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "hw/profile_writer.h"
#include "hw/runtime_io.h"
#include "jobrunner.h"
#include "registry.h"
#include "store/measured_samples.h"
#include "store/store.h"
#include "table.h"
#include "util/output_path.h"
#include "util/timestamp.h"

namespace archscope::cli {
namespace {

using nlohmann::json;

constexpr const char* kNoHoldout = "no held-out networks: the fit error is not a prediction error";

struct Options {
    std::string db, base, out, dtype = "fp32";
    std::string runtime;  ///< empty: pytorch-eager on CPUs and GPUs (what measure and PyTorch
                          ///< traces time), the profile's own (xla) on TPUs
    std::vector<int64_t> runs;
    std::vector<std::string> parameters;
    int holdout = 0;
    double holdoutFraction = 0.0;
    bool json = false;
};

AgreementStats agreement(const Profile& p, const std::vector<CalibrationSample>& samples, Dtype d) {
    std::vector<double> predicted, measured;
    for (const auto& s : samples) {
        predicted.push_back(predictNetwork(p, s.layers, d).latencySeconds * 1e3);
        measured.push_back(s.measuredMs);
    }
    return compareLatencies(predicted, measured);
}

/// "3 networks: a, b, c" or "12 networks: a, b, c, d, +8 more".
std::string networkList(const std::vector<std::string>& names) {
    constexpr size_t kShown = 4;
    std::string s =
        std::to_string(names.size()) + (names.size() == 1 ? " network: " : " networks: ");
    for (size_t i = 0; i < names.size() && i < kShown; ++i) s += (i ? ", " : "") + names[i];
    if (names.size() > kShown) s += ", +" + std::to_string(names.size() - kShown) + " more";
    return s;
}

std::string runList(const std::vector<int64_t>& runs) {
    std::string s = runs.size() == 1 ? "run " : "runs ";
    for (size_t i = 0; i < runs.size(); ++i) s += (i ? ", " : "") + std::to_string(runs[i]);
    return s;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
    return s;
}

/// Checks that do not need the store: options and the output path.
void checkOptions(const Options& o) {
    parseDtype(o.dtype, "--dtype");  // fails on a bad name before the store is opened
    if (o.holdout < 0) throw ArchError("--holdout must be >= 0");
    if (o.holdoutFraction != 0.0 && !(o.holdoutFraction > 0.0 && o.holdoutFraction < 1.0)) {
        throw ArchError("--holdout-fraction must be in (0, 1)");
    }
    if (o.holdout > 0 && o.holdoutFraction > 0.0) {
        throw ArchError("give --holdout or --holdout-fraction, not both");
    }
    const auto known = fittableParameterNames();
    for (const auto& p : o.parameters) {
        if (std::find(known.begin(), known.end(), p) == known.end()) {
            throw ArchError("unknown --params entry \"" + p + "\"; known: " + joined(known));
        }
    }
    std::error_code ec;
    if (o.out.empty() || std::filesystem::is_directory(o.out, ec)) {
        throw ArchError("--out must name a profile file (.json), got \"" + o.out + "\"");
    }
    requireOutputPath(o.out, "profile");
    if (!std::filesystem::exists(o.db, ec) && !o.db.empty()) {
        throw ArchError("result store " + o.db + " does not exist");
    }
}

/// The base profile: --base, else the one platform the measurements name; under --runtime, else
/// pytorch-eager on CPUs and GPUs and the profile's own runtime on TPUs.
Profile baseProfile(const Options& o, const std::vector<store::MeasuredSampleOrigin>& origins) {
    std::vector<std::string> platforms;
    for (const auto& org : origins) {
        if (org.platform &&
            std::find(platforms.begin(), platforms.end(), *org.platform) == platforms.end())
            platforms.push_back(*org.platform);
    }
    const std::string baseName = !o.base.empty()         ? o.base
                                 : platforms.size() == 1 ? platforms[0]
                                                         : "";
    if (baseName.empty()) {
        throw ArchError("give --base PROFILE: the measurements name " +
                        std::to_string(platforms.size()) + " platforms");
    }
    const Profile hardware = loadProfile(baseName);
    return withRuntime(hardware, !o.runtime.empty()       ? o.runtime
                                 : hardware.kind == "tpu" ? ""
                                                          : "pytorch-eager");
}

/// The samples split into fit and hold-out: whole distinct networks, never a network that is
/// also fitted.
struct SampleSplit {
    std::vector<CalibrationSample> fit, held;
    std::vector<std::string> fitNets, heldNets;
};
SampleSplit splitHoldout(const Options& o, const std::vector<CalibrationSample>& all,
                         const std::vector<store::MeasuredSampleOrigin>& origins) {
    const int nDistinct = int(store::distinctNetworks(origins).size());
    int holdout = o.holdout;
    if (o.holdoutFraction > 0.0) holdout = std::max(1, int(o.holdoutFraction * nDistinct + 0.5));
    if (holdout >= nDistinct) {
        throw ArchError("cannot hold out " + std::to_string(holdout) + " of the " +
                        std::to_string(nDistinct) +
                        " distinct measured networks: at least one must remain to fit");
    }
    const auto mask = store::holdoutMask(all, origins, holdout);
    SampleSplit split;
    std::vector<store::MeasuredSampleOrigin> fitOrigins, heldOrigins;
    for (size_t i = 0; i < all.size(); ++i) {
        (mask[i] ? split.held : split.fit).push_back(all[i]);
        (mask[i] ? heldOrigins : fitOrigins).push_back(origins[i]);
    }
    split.fitNets = store::distinctNetworks(fitOrigins);
    split.heldNets = store::distinctNetworks(heldOrigins);
    return split;
}

/// Refuses more parameters than distinct networks: the data could not pin them down.
void requireEnoughNetworks(const FitOptions& fit, const SampleSplit& split) {
    const size_t nets = split.fitNets.size();
    if (nets >= fit.parameters.size()) return;
    const size_t held = split.heldNets.size();
    const std::vector<std::string> fewer(fit.parameters.begin(),
                                         fit.parameters.begin() + long(nets));
    throw ArchError(
        "too few networks to fit: " + std::to_string(fit.parameters.size()) + " parameters (" +
        joined(fit.parameters) + ") but only " + std::to_string(nets) +
        " distinct networks to fit them to" +
        (held > 0 ? " (" + std::to_string(held) + " more held out)" : "") +
        ": the data cannot pin them down, and a small fit error would mean nothing. Pass "
        "--params with at most " +
        std::to_string(nets) + " of them (e.g. --params " + joined(fewer) + ")" +
        (held > 0 ? ", hold fewer out" : "") + ", or import measurements of more networks");
}

/// What the command computed, for writing and reporting.
struct Outcome {
    Profile base;
    SampleSplit split;
    FitOptions fit;
    FitResult result;
    AgreementStats fitStats, heldStats;
    std::string storeFile, when, source;
    size_t samples = 0, unknownKind = 0;
};

/// Provenance: every fitted parameter says what it was fitted to, and when.
std::string sourceText(const Options& o, const Outcome& c) {
    const std::string errors =
        "fit error " + formatFixed(c.fitStats.meanAbsErrorPercent, 1) + "% on " +
        std::to_string(c.split.fitNets.size()) + " networks, " +
        (c.split.held.empty()
             ? std::string(kNoHoldout)
             : "hold-out error " + formatFixed(c.heldStats.meanAbsErrorPercent, 1) + "% on " +
                   std::to_string(c.split.heldNets.size()));
    return "calibrated by calibrate-from on " + c.storeFile + " " + runList(o.runs) + " (" +
           networkList(c.split.fitNets) + ") at " + c.when + ", base profile " + c.base.name +
           " v" + std::to_string(c.base.version) + ", " + errors;
}

void writeProfile(const Options& o, const Outcome& c) {
    Profile out = c.result.profile;
    for (const auto& p : c.result.parameters) setFittableParameter(out, p.name, p.fitted, c.source);
    out.name = std::filesystem::path(o.out).stem().string();
    out.displayName = c.base.displayName + ", calibrated from " +
                      std::filesystem::path(c.storeFile).filename().string() + " " +
                      runList(o.runs) + " (" + networkList(c.split.fitNets) + "), " +
                      c.when.substr(0, 10) + ", base " + c.base.name;
    const bool noHoldout = c.split.held.empty();
    nlohmann::ordered_json doc = profileToJson(out);
    doc["calibration"] = {
        {"command", "calibrate-from"},
        {"store", c.storeFile},
        {"runs", o.runs},
        {"base_profile", c.base.name + " (" + c.base.file + ")"},
        {"runtime", c.base.runtime.name},
        {"base_version", c.base.version},
        {"timestamp", c.when},
        {"dtype", o.dtype},
        {"fitted_parameters", c.fit.parameters},
        {"fit_networks", c.split.fitNets},
        {"fit_error_pct", c.fitStats.meanAbsErrorPercent},
        {"holdout_networks", c.split.heldNets},
        {"holdout_error_pct", noHoldout ? json() : json(c.heldStats.meanAbsErrorPercent)},
        {"holdout_note", noHoldout ? kNoHoldout : ""}};
    writeProfileFile(doc, o.out);
    loadProfile(o.out);  // the written file must read back; throws naming the field if not
}

void printJson(const Options& o, const Outcome& c) {
    json params = json::array();
    for (const auto& p : c.result.parameters) {
        const ParameterBounds b = fitBounds(c.base, p.name);
        params.push_back({{"name", p.name},
                          {"unit", p.unit},
                          {"initial", p.initial},
                          {"fitted", p.fitted},
                          {"bounds", {b.lo, b.hi}}});
    }
    const bool noHoldout = c.split.held.empty();
    std::cout << json{{"profile", o.out},
                      {"base", c.base.name},
                      {"store", c.storeFile},
                      {"runs", o.runs},
                      {"device_kind", c.base.kind},
                      {"unchecked_device_kind", c.unknownKind},
                      {"fit_networks", c.split.fitNets.size()},
                      {"fit_network_names", c.split.fitNets},
                      {"fit_samples", c.split.fit.size()},
                      {"parameters", params},
                      {"evaluations", c.result.evaluations},
                      {"fit", agreementJson(c.fitStats)},
                      {"holdout_networks", c.split.heldNets},
                      {"holdout", noHoldout ? json() : agreementJson(c.heldStats)},
                      {"holdout_note", noHoldout ? json(kNoHoldout) : json()},
                      {"source", c.source}}
                     .dump(2)
              << "\n";
}

void printText(const Options& o, const Outcome& c) {
    std::cout << "Calibrated " << c.base.name << " on " << c.split.fit.size()
              << " stored measurements of " << networkList(c.split.fitNets) << " -> " << o.out
              << "\n";
    Table table({"parameter", "unit", "before", "fitted", "bounds"},
                {false, false, true, true, false});
    for (const auto& p : c.result.parameters) {
        const ParameterBounds b = fitBounds(c.base, p.name);
        table.addRow({p.name, p.unit, formatFixed(p.initial, 4), formatFixed(p.fitted, 4),
                      "[" + formatFixed(b.lo, 4) + ", " + formatFixed(b.hi, 4) + "]"});
    }
    table.print(std::cout);
    std::cout << "fit: mean |error| " << formatFixed(c.fitStats.meanAbsErrorPercent, 1)
              << "%, within 15% " << formatFixed(100 * c.fitStats.within15, 0) << "%\n";
    if (c.split.held.empty()) {
        std::cout << kNoHoldout << " (hold some out with --holdout N)\n";
    } else {
        std::cout << "held out (" << networkList(c.split.heldNets) << "): mean |error| "
                  << formatFixed(c.heldStats.meanAbsErrorPercent, 1) << "%, Kendall tau "
                  << formatFixed(c.heldStats.kendallTau, 3) << ", within 15% "
                  << formatFixed(100 * c.heldStats.within15, 0) << "%\n";
    }
}

/// The command's steps: read the samples, split fit/hold-out, fit, score, write, report.
void run(const Options& o) {
    checkOptions(o);
    const Dtype dtype = parseDtype(o.dtype, "--dtype");
    store::StoreReader reader(dbPath(o.db));
    std::vector<store::MeasuredSampleOrigin> origins;
    const auto all = store::calibrationSamplesFromRuns(reader, o.runs, &origins);
    Outcome c;
    c.base = baseProfile(o, origins);
    store::requireMatchingDevice(origins, c.base);
    for (const auto& org : origins) c.unknownKind += org.deviceKind.empty();
    requireDtype(c.base, dtype);
    c.split = splitHoldout(o, all, origins);
    c.fit.dtype = dtype;
    c.fit.parameters = o.parameters.empty() ? defaultFitParameters(c.base.kind) : o.parameters;
    requireEnoughNetworks(c.fit, c.split);

    c.result = fitProfile(c.base, c.split.fit, c.fit);
    c.fitStats = agreement(c.result.profile, c.split.fit, dtype);
    if (!c.split.held.empty()) c.heldStats = agreement(c.result.profile, c.split.held, dtype);
    c.when = utcTimestamp();
    c.storeFile = std::filesystem::absolute(reader.path()).lexically_normal().string();
    c.source = sourceText(o, c);
    writeProfile(o, c);
    if (o.json)
        printJson(o, c);
    else
        printText(o, c);
    if (c.unknownKind > 0) {
        std::cerr << "note: " << c.unknownKind << " of the " << all.size()
                  << " measurements do not record which kind of device took them; they were "
                     "assumed to be from a "
                  << c.base.kind << " like the base profile\n";
    }
}

}  // namespace

void addCalibrateFromCommand(CLI::App& app) {
    auto* cmd =
        app.add_subcommand("calibrate-from",
                           "Fit a platform profile to measurements stored in a result store "
                           "(e.g. imported from a remote GPU or TPU)");
    auto o = std::make_shared<Options>();
    addDbOption(cmd, o->db);
    cmd->add_option("--run", o->runs, "Run(s) holding measured evaluations (see `runs`)")
        ->required();
    cmd->add_option("--base", o->base, "Profile to start from (default: the measurements' own)");
    cmd->add_option("--runtime", o->runtime,
                    "Runtime the measurements ran under (default: pytorch-eager on CPUs and GPUs, "
                    "as `measure` and PyTorch traces are; the profile's own on TPUs)");
    cmd->add_option("--out", o->out, "Where to write the calibrated profile (.json)")->required();
    cmd->add_option("--dtype", o->dtype,
                    "Precision the measurements were taken at: " + dtypeNameList());
    cmd->add_option("--params", o->parameters,
                    "Parameters to fit (default depends on the profile kind; see "
                    "docs/calibration.md); at most one per distinct fitted network")
        ->delimiter(',');
    cmd->add_option("--holdout", o->holdout,
                    "Keep N distinct networks out of the fit (spread over the measured range) "
                    "and report the error on them");
    cmd->add_option("--holdout-fraction", o->holdoutFraction,
                    "Keep this share of the distinct networks out of the fit (at least one)");
    cmd->add_flag("--json", o->json, "One JSON document on stdout");
    cmd->callback([o] { run(*o); });
}

}  // namespace archscope::cli
