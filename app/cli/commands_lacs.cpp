// `lacs`: latency-aware compound scaling of a base network into a family, every member on its
// own latency target; stored and resumable with --db.
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "arch/network.h"
#include "batch_option.h"
#include "engine/runkinds.h"
#include "hw/profile.h"
#include "jobrunner.h"
#include "registry.h"
#include "search/lacsrun.h"
#include "table.h"
#include "zoo/zoo.h"

namespace archscope::cli {
namespace {

using nlohmann::json;

struct LacsOptions {
    std::string base, hw, runtime, accuracy = "imagenet", dtype, settings, targets, db;
    int steps = 7, batch = kDefaultBatch;
    double gridStep = 0.05, tolerance = 0.08, ratio = 2.0;
    bool json = false;
    CLI::Option* stepsOption = nullptr;
};

/// "12.5,25,50" -> {12.5, 25, 50}; every item must be a whole number.
std::vector<double> parseTargets(const std::string& text) {
    std::vector<double> out;
    size_t start = 0;
    while (start <= text.size()) {
        const size_t end = std::min(text.find(',', start), text.size());
        const std::string item = text.substr(start, end - start);
        double v = 0;
        const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
        if (item.empty() || ec != std::errc() || ptr != item.data() + item.size())
            throw ArchError("--targets: \"" + item +
                            "\" is not a number of milliseconds (give e.g. --targets 2.5,5,10)");
        out.push_back(v);
        start = end + 1;
    }
    return out;
}

json memberJson(const FamilyMember& m, int k) {
    return {{"member", "B" + std::to_string(k)},
            {"name", m.name},
            {"width", m.width},
            {"depth", m.depth},
            {"resolution", m.resolution},
            {"phi", m.phi},
            {"depth_factor", m.depthFactor},
            {"width_factor", m.widthFactor},
            {"resolution_factor", m.resolutionFactor},
            {"target_ms", m.targetMs > 0 ? json(m.targetMs) : json()},
            {"latency_ms", m.latencyMs},
            {"deviation", m.targetMs > 0 ? json(m.deviation) : json()},
            {"estimate", m.accuracy ? json(*m.accuracy) : json()},
            {"macs", m.macs},
            {"params", m.params}};
}

void printReport(const LacsReport& rep, const LacsOptions& o, std::optional<int64_t> runId,
                 double seconds) {
    const LacsResult& r = rep.result;
    for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
    if (o.json) {
        json family = json::array(), flops = json::array();
        for (size_t k = 0; k < r.family.size(); ++k)
            family.push_back(memberJson(r.family[k], int(k)));
        for (size_t k = 0; k < r.flopsScaling.size(); ++k)
            flops.push_back(memberJson(r.flopsScaling[k], int(k)));
        json doc{{"base", o.base},
                 {"profile", rep.profile},
                 {"runtime", rep.runtime},
                 {"dtype", rep.dtype},
                 {"batch", o.batch},
                 {"alpha", r.alpha},
                 {"beta", r.beta},
                 {"gamma", r.gamma},
                 {"base_latency_ms", r.baseLatencyMs},
                 {"b1_target_ms", r.targetMs},
                 {"latency_method", rep.latencyMethod},
                 {"estimator", o.accuracy},
                 {"metric", rep.metric},
                 {"estimator_settings", rep.accuracySettings},
                 {"estimates", r.estimates},
                 {"grid_points", r.grid.size()},
                 {"seconds", seconds},
                 {"warnings", r.warnings},
                 {"family", family},
                 {"flops_scaling", flops}};
        if (runId) {
            doc["run"] = *runId;
            doc["db"] = dbPath(o.db).string();
        }
        std::cout << doc.dump(2) << "\n";
        return;
    }
    std::cout << "LACS on " << rep.profile << " (" << rep.runtime << ") from " << o.base
              << ": alpha (depth) " << formatFixed(r.alpha, 2) << ", beta (width) "
              << formatFixed(r.beta, 2) << ", gamma (resolution) " << formatFixed(r.gamma, 2)
              << " for B1 (" << formatFixed(r.targetMs, 4) << " ms); " << rep.metric << " from "
              << o.accuracy << " on the latency-feasible grid points; " << r.estimates
              << " estimates in " << formatFixed(seconds, 1) << " s";
    if (runId) std::cout << "; run " << *runId << " in " << dbPath(o.db).string();
    std::cout
        << "\nEach member k = alpha^phi, beta^phi, gamma^phi, phi solved for its own target.\n\n";
    Table table(
        {"member", "phi", "depth", "width", "res.", "target (ms)", "latency (ms)", "dev.", "GMACs",
         rep.metric, "|", "FLOPs rule", "res.", "latency (ms)"},
        {false, true, true, true, true, true, true, true, true, true, false, false, true, true});
    for (size_t k = 0; k < r.family.size(); ++k) {
        const auto& a = r.family[k];
        const auto& b = r.flopsScaling[k];
        table.addRow({"B" + std::to_string(k), formatFixed(a.phi, 3), formatFixed(a.depth, 2),
                      formatFixed(a.width, 2), std::to_string(a.resolution),
                      formatFixed(a.targetMs, 4), formatFixed(a.latencyMs, 4),
                      formatFixed(100 * a.deviation, 1) + "%", formatFixed(a.macs / 1e9, 2),
                      a.accuracy ? formatFixed(*a.accuracy, 3) : "-", "|",
                      "d" + formatFixed(b.depth, 2) + " w" + formatFixed(b.width, 2),
                      std::to_string(b.resolution), formatFixed(b.latencyMs, 4)});
    }
    table.print(std::cout);
    std::cout << "\nLatencies are " << rep.latencyMethod
              << "; the FLOPs rule is EfficientNet's alpha 1.2, beta 1.1, gamma 1.15 "
                 "(Tan & Le 2019).\n";
}

void runLacsCommand(const LacsOptions& o) {
    // Everything is checked before a database is opened or a run is stored.
    LacsRunParams p;
    p.baseName = o.base;
    p.base = resolveModel(o.base);
    p.hw = o.hw;
    p.runtime = o.runtime;
    p.dtype = o.dtype;
    p.batch = o.batch;
    p.accuracy = o.accuracy;
    p.accuracySettings = parseAccuracySettings(o.settings);
    p.lacs.steps = o.steps;
    p.lacs.gridStep = o.gridStep;
    p.lacs.tolerance = o.tolerance;
    p.lacs.latencyRatio = o.ratio;
    if (!o.targets.empty()) {
        p.lacs.targetsMs = parseTargets(o.targets);
        if (o.stepsOption && o.stepsOption->count() > 0 && o.steps != int(p.lacs.targetsMs.size()))
            throw ArchError("--steps " + std::to_string(o.steps) + " and " +
                            std::to_string(p.lacs.targetsMs.size()) +
                            " --targets disagree: give one of them");
        p.lacs.steps = int(p.lacs.targetsMs.size());
    }
    p.lacs.validate();
    validateLacsRun(p);

    const auto t0 = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    if (o.db.empty()) {
        const bool bar = !o.json && isatty(STDERR_FILENO);
        const LacsReport rep = runLacsInMemory(p, {}, [bar](int n) {
            if (bar) std::cerr << "\rLACS: " << n << " estimates" << std::flush;
        });
        if (bar) std::cerr << "\n";
        printReport(rep, o, std::nullopt, elapsed());
        return;
    }
    engine::validateRunParams(kLacsKind, p.toJson());  // before the store file is touched
    const auto path = dbPath(o.db);
    auto writer = std::make_shared<engine::StoreWriter>(path);
    const int64_t runId =
        engine::createRun(*writer, kLacsKind, p.toJson(), p.lacs.evaluationCount());
    if (!o.json)
        std::cerr << "lacs run " << runId << " in " << path.string() << " ("
                  << p.lacs.evaluationCount() << " evaluations planned)\n";
    runToEnd(writer, runId, false, 1, false);
    writer.reset();  // commit and close before reading the report back
    printReport(lacsReportFromStore(path, runId), o, runId, elapsed());
}

}  // namespace

void addLacsCommands(CLI::App& app) {
    auto* lacs = app.add_subcommand(
        "lacs",
        "Latency-aware compound scaling of a base network into a family, each member on "
        "its own latency target (stored and resumable with --db)");
    auto l = std::make_shared<LacsOptions>();
    lacs->add_option("--db", l->db,
                     "Store the run (every grid point and member) in this result store; "
                     "`resume` continues it after an interruption (default: in memory)");
    lacs->add_option("--base", l->base, "Zoo name or architecture .json file")->required();
    lacs->add_option("--hw", l->hw, "Platform profile")->required();
    lacs->add_option("--runtime", l->runtime, runtimeOptionHelp());
    lacs->add_option("--accuracy", l->accuracy,
                     "Accuracy estimator: imagenet, proxy or zero-cost (supernet scores only its "
                     "space's networks, not scaled members)");
    lacs->add_option("--accuracy-settings", l->settings, "Estimator settings as a JSON object");
    l->stepsOption = lacs->add_option("--steps", l->steps, "Family members B1..B<steps>")
                         ->check(CLI::Range(1, 12));
    auto* ratio = lacs->add_option("--ratio", l->ratio,
                                   "Member k's target: base latency x ratio^k (default 2)")
                      ->check(CLI::Range(1.1, 10.0));
    lacs->add_option("--targets", l->targets,
                     "Latency targets of B1..Bn in ms, comma-separated and increasing "
                     "(instead of --ratio)")
        ->excludes(ratio);
    lacs->add_option("--grid-step", l->gridStep, "Grid step of alpha, beta, gamma")
        ->check(CLI::Range(0.01, 0.5));
    lacs->add_option("--tolerance", l->tolerance,
                     "Accepted latency deviation of a grid point from B1's target")
        ->check(CLI::Range(0.005, 0.5));
    addBatchOption(lacs, l->batch);
    lacs->add_option("--dtype", l->dtype, dtypeNameList() + " (default: the profile's)");
    lacs->add_flag("--json", l->json, "One JSON document on stdout (warnings also on stderr)");
    lacs->callback([l] { runLacsCommand(*l); });
}

}  // namespace archscope::cli
