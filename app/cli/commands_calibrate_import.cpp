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

json statsJson(const AgreementStats& s) {
    return {{"count", s.count},
            {"kendall_tau", s.kendallTau},
            {"within_10", s.within10},
            {"within_15", s.within15},
            {"mean_abs_error_pct", s.meanAbsErrorPercent},
            {"median_ratio", s.medianRatio}};
}

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
    const std::filesystem::path out(o.out);
    const auto dir = out.has_parent_path() ? out.parent_path() : std::filesystem::path(".");
    std::error_code ec;
    if (o.out.empty() || std::filesystem::is_directory(out, ec)) {
        throw ArchError("--out must name a profile file (.json), got \"" + o.out + "\"");
    }
    if (!std::filesystem::is_directory(dir, ec)) {
        throw ArchError("cannot write profile " + o.out + ": folder " + dir.string() +
                        " does not exist (create it or choose another --out)");
    }
    if (!std::filesystem::exists(o.db, ec) && !o.db.empty()) {
        throw ArchError("result store " + o.db + " does not exist");
    }
}

// Long (~165 lines) for the same reason as runCalibrate: the command's steps in order (read the
// samples, split fit/hold-out, fit, score, write, report) over shared locals.
void run(const Options& o) {
    checkOptions(o);
    const Dtype dtype = parseDtype(o.dtype, "--dtype");
    store::StoreReader reader(dbPath(o.db));
    std::vector<store::MeasuredSampleOrigin> origins;
    auto all = store::calibrationSamplesFromRuns(reader, o.runs, &origins);
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
    const Profile base = withRuntime(hardware, !o.runtime.empty()       ? o.runtime
                                               : hardware.kind == "tpu" ? ""
                                                                        : "pytorch-eager");
    store::requireMatchingDevice(origins, base);
    size_t unknownKind = 0;
    for (const auto& org : origins) unknownKind += org.deviceKind.empty();
    requireDtype(base, dtype);

    // Hold-out: whole distinct networks, never a network that is also fitted.
    const auto distinct = store::distinctNetworks(origins);
    const int nDistinct = int(distinct.size());
    int holdout = o.holdout;
    if (o.holdoutFraction > 0.0) holdout = std::max(1, int(o.holdoutFraction * nDistinct + 0.5));
    if (holdout >= nDistinct) {
        throw ArchError("cannot hold out " + std::to_string(holdout) + " of the " +
                        std::to_string(nDistinct) +
                        " distinct measured networks: at least one must remain to fit");
    }
    const auto mask = store::holdoutMask(all, origins, holdout);
    std::vector<CalibrationSample> samples, held;
    std::vector<store::MeasuredSampleOrigin> fitOrigins, heldOrigins;
    for (size_t i = 0; i < all.size(); ++i) {
        (mask[i] ? held : samples).push_back(all[i]);
        (mask[i] ? heldOrigins : fitOrigins).push_back(origins[i]);
    }
    const auto fitNets = store::distinctNetworks(fitOrigins);
    const auto heldNets = store::distinctNetworks(heldOrigins);

    FitOptions fit;
    fit.dtype = dtype;
    fit.parameters = o.parameters.empty() ? defaultFitParameters(base.kind) : o.parameters;
    if (fitNets.size() < fit.parameters.size()) {
        const std::vector<std::string> fewer(fit.parameters.begin(),
                                             fit.parameters.begin() + long(fitNets.size()));
        throw ArchError(
            "too few networks to fit: " + std::to_string(fit.parameters.size()) + " parameters (" +
            joined(fit.parameters) + ") but only " + std::to_string(fitNets.size()) +
            " distinct networks to fit them to" +
            (holdout > 0 ? " (" + std::to_string(holdout) + " more held out)" : "") +
            ": the data cannot pin them down, and a small fit error would mean nothing. Pass "
            "--params with at most " +
            std::to_string(fitNets.size()) + " of them (e.g. --params " + joined(fewer) + ")" +
            (holdout > 0 ? ", hold fewer out" : "") + ", or import measurements of more networks");
    }

    FitResult result = fitProfile(base, samples, fit);
    const AgreementStats fitStats = agreement(result.profile, samples, dtype);
    const AgreementStats heldStats =
        held.empty() ? AgreementStats{} : agreement(result.profile, held, dtype);

    // Provenance: every fitted parameter and the display name say what it was fitted to.
    const std::string when = utcTimestamp();
    const std::string storeFile =
        std::filesystem::absolute(reader.path()).lexically_normal().string();
    const std::string errors =
        "fit error " + formatFixed(fitStats.meanAbsErrorPercent, 1) + "% on " +
        std::to_string(fitNets.size()) + " networks, " +
        (held.empty() ? std::string(kNoHoldout)
                      : "hold-out error " + formatFixed(heldStats.meanAbsErrorPercent, 1) +
                            "% on " + std::to_string(heldNets.size()));
    const std::string source = "calibrated by calibrate-from on " + storeFile + " " +
                               runList(o.runs) + " (" + networkList(fitNets) + ") at " + when +
                               ", base profile " + base.name + " v" + std::to_string(base.version) +
                               ", " + errors;
    Profile out = result.profile;
    for (const auto& p : result.parameters) setFittableParameter(out, p.name, p.fitted, source);
    out.name = std::filesystem::path(o.out).stem().string();
    out.displayName = base.displayName + ", calibrated from " +
                      std::filesystem::path(storeFile).filename().string() + " " + runList(o.runs) +
                      " (" + networkList(fitNets) + "), " + when.substr(0, 10) + ", base " +
                      base.name;
    nlohmann::ordered_json doc = profileToJson(out);
    doc["calibration"] = {
        {"command", "calibrate-from"},
        {"store", storeFile},
        {"runs", o.runs},
        {"base_profile", base.name + " (" + base.file + ")"},
        {"runtime", base.runtime.name},
        {"base_version", base.version},
        {"timestamp", when},
        {"dtype", o.dtype},
        {"fitted_parameters", fit.parameters},
        {"fit_networks", fitNets},
        {"fit_error_pct", fitStats.meanAbsErrorPercent},
        {"holdout_networks", heldNets},
        {"holdout_error_pct", held.empty() ? json() : json(heldStats.meanAbsErrorPercent)},
        {"holdout_note", held.empty() ? kNoHoldout : ""}};
    writeProfileFile(doc, o.out);
    loadProfile(o.out);  // the written file must read back; throws naming the field if not

    if (o.json) {
        json params = json::array();
        for (const auto& p : result.parameters) {
            const ParameterBounds b = fitBounds(base, p.name);
            params.push_back({{"name", p.name},
                              {"unit", p.unit},
                              {"initial", p.initial},
                              {"fitted", p.fitted},
                              {"bounds", {b.lo, b.hi}}});
        }
        std::cout << json{{"profile", o.out},
                          {"base", base.name},
                          {"store", storeFile},
                          {"runs", o.runs},
                          {"device_kind", base.kind},
                          {"unchecked_device_kind", unknownKind},
                          {"fit_networks", fitNets.size()},
                          {"fit_network_names", fitNets},
                          {"fit_samples", samples.size()},
                          {"parameters", params},
                          {"evaluations", result.evaluations},
                          {"fit", statsJson(fitStats)},
                          {"holdout_networks", heldNets},
                          {"holdout", held.empty() ? json() : statsJson(heldStats)},
                          {"holdout_note", held.empty() ? json(kNoHoldout) : json()},
                          {"source", source}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << "Calibrated " << base.name << " on " << samples.size()
                  << " stored measurements of " << networkList(fitNets) << " -> " << o.out << "\n";
        Table table({"parameter", "unit", "before", "fitted", "bounds"},
                    {false, false, true, true, false});
        for (const auto& p : result.parameters) {
            const ParameterBounds b = fitBounds(base, p.name);
            table.addRow({p.name, p.unit, formatFixed(p.initial, 4), formatFixed(p.fitted, 4),
                          "[" + formatFixed(b.lo, 4) + ", " + formatFixed(b.hi, 4) + "]"});
        }
        table.print(std::cout);
        std::cout << "fit: mean |error| " << formatFixed(fitStats.meanAbsErrorPercent, 1)
                  << "%, within 15% " << formatFixed(100 * fitStats.within15, 0) << "%\n";
        if (held.empty()) {
            std::cout << kNoHoldout << " (hold some out with --holdout N)\n";
        } else {
            std::cout << "held out (" << networkList(heldNets) << "): mean |error| "
                      << formatFixed(heldStats.meanAbsErrorPercent, 1) << "%, Kendall tau "
                      << formatFixed(heldStats.kendallTau, 3) << ", within 15% "
                      << formatFixed(100 * heldStats.within15, 0) << "%\n";
        }
    }
    if (unknownKind > 0) {
        std::cerr << "note: " << unknownKind << " of the " << all.size()
                  << " measurements do not record which kind of device took them; they were "
                     "assumed to be from a "
                  << base.kind << " like the base profile\n";
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
    cmd->add_option("--dtype", o->dtype, "Precision the measurements were taken at");
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
