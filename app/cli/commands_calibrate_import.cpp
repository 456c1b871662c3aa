// `calibrate-from`: fit a platform profile to measurements already in a result store, e.g.
// `measure --json` output or a profiler trace taken on a remote GPU box and imported here. No
// LibTorch needed: the figures were measured elsewhere.
#include <iostream>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "hw/calibrate.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "hw/profile_writer.h"
#include "jobrunner.h"
#include "registry.h"
#include "store/measured_samples.h"
#include "store/store.h"
#include "table.h"

namespace archscope::cli {
namespace {

using nlohmann::json;

struct Options {
    std::string db, base, out, dtype = "fp32";
    std::vector<int64_t> runs;
    int holdout = 0;
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

void run(const Options& o) {
    store::StoreReader reader(dbPath(o.db));
    std::vector<std::string> platforms;
    auto samples = store::calibrationSamplesFromRuns(reader, o.runs, &platforms);
    const std::string baseName = !o.base.empty()         ? o.base
                                 : platforms.size() == 1 ? platforms[0]
                                                         : "";
    if (baseName.empty()) {
        throw ArchError("give --base PROFILE: the measurements name " +
                        std::to_string(platforms.size()) + " platforms");
    }
    const Profile base = loadProfile(baseName);
    const Dtype dtype = parseDtype(o.dtype, "--dtype");
    if (o.holdout < 0 || o.holdout >= int(samples.size())) {
        throw ArchError("--holdout must leave at least one of the " +
                        std::to_string(samples.size()) + " measured networks to fit");
    }
    std::vector<CalibrationSample> held(samples.end() - o.holdout, samples.end());
    samples.resize(samples.size() - size_t(o.holdout));
    FitOptions fit;
    fit.dtype = dtype;
    FitResult result = fitProfile(base, samples, fit);
    result.profile.name = std::filesystem::path(o.out).stem().string();
    saveProfile(result.profile, o.out);
    const AgreementStats fitStats = agreement(result.profile, samples, dtype);
    const AgreementStats heldStats =
        held.empty() ? AgreementStats{} : agreement(result.profile, held, dtype);
    if (o.json) {
        json params = json::array();
        for (const auto& p : result.parameters) {
            params.push_back(
                {{"name", p.name}, {"unit", p.unit}, {"initial", p.initial}, {"fitted", p.fitted}});
        }
        std::cout << json{{"profile", o.out},
                          {"base", base.name},
                          {"runs", o.runs},
                          {"fit_networks", samples.size()},
                          {"parameters", params},
                          {"fit", statsJson(fitStats)},
                          {"holdout", held.empty() ? json() : statsJson(heldStats)}}
                         .dump(2)
                  << "\n";
        return;
    }
    std::cout << "Calibrated " << base.name << " on " << samples.size()
              << " stored measurements -> " << o.out << "\n";
    Table table({"parameter", "unit", "before", "fitted"}, {false, false, true, true});
    for (const auto& p : result.parameters) {
        table.addRow({p.name, p.unit, formatFixed(p.initial, 4), formatFixed(p.fitted, 4)});
    }
    table.print(std::cout);
    std::cout << "fit: mean |error| " << formatFixed(fitStats.meanAbsErrorPercent, 1)
              << "%, within 15% " << formatFixed(100 * fitStats.within15, 0) << "%\n";
    if (!held.empty()) {
        std::cout << "held out (" << held.size() << "): Kendall tau "
                  << formatFixed(heldStats.kendallTau, 3) << ", within 15% "
                  << formatFixed(100 * heldStats.within15, 0) << "%\n";
    }
}

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
    cmd->add_option("--out", o->out, "Where to write the calibrated profile (.json)")->required();
    cmd->add_option("--dtype", o->dtype, "Precision the measurements were taken at");
    cmd->add_option("--holdout", o->holdout,
                    "Keep the last N networks out of the fit and score them");
    cmd->add_flag("--json", o->json, "One JSON document on stdout");
    cmd->callback([o] { run(*o); });
}

const CommandRegistrar registrar(65, addCalibrateFromCommand);

}  // namespace
}  // namespace archscope::cli
