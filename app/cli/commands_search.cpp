// `search` and `spaces`: platform-aware architecture search.

#include <cmath>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "arch/expand.h"
#include "arch/json.h"
#include "arch/network.h"
#include "batch_option.h"
#include "engine/runkinds.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "hw/runtime_io.h"
#include "jobrunner.h"
#include "mpi_mode.h"
#include "registry.h"
#include "search/evaluators.h"
#include "search/searchrun.h"
#include "store/store.h"
#include "table.h"
#include "zoo/zoo.h"
#ifdef ARCHSCOPE_HAS_TORCH
#include "torch/supernet.h"
#endif

namespace archscope::cli {
namespace {

using nlohmann::json;

struct SearchOptions {
    std::string db, space = "efficientnet-x", hw, runtime, measure, accuracy = "zero-cost",
                    algo = "evolution", objective = "pareto", dtype, settings, supernet;
    std::vector<std::string> references;  ///< --references a,b (CLI11 splits at the commas)
    int budget = 100, batch = kDefaultBatch, population = 50, tournament = 10;
    int window = 0;  // 0: 1 alone, twice the evaluator ranks with --mpi
    MpiOptions mpi;
    uint64_t seed = 0;
    double targetMs = 0.0;
    bool json = false;
};

/// A supernet scores only the networks of the space it was trained on: refuse another space
/// before the run is created.
void checkSupernetSpace(const std::string& file, const std::string& spaceName) {
#ifdef ARCHSCOPE_HAS_TORCH
    if (file.empty()) return;  // the estimator's own message says what is missing
    const json meta = supernetInfo(file);
    if (meta.value("space", json()) != searchSpaceToJson(loadSearchSpace(spaceName)))
        throw ArchError("supernet \"" + file + "\" was trained on space \"" +
                        meta.value("space_name", std::string()) + "\", not on --space \"" +
                        spaceName + "\"; train one for it with `archscope-cli supernet --space " +
                        spaceName + " --out FILE`");
#else
    (void)file;
    (void)spaceName;
#endif
}

/// The run's front as a JSON document and as a table: arch, latency, accuracy, estimator.
void printFront(const std::filesystem::path& db, int64_t runId, bool asJson) {
    store::StoreReader reader(db);
    const auto evaluations = reader.evaluations(runId);
    const auto frontIds = reader.front(runId);
    std::map<int64_t, const store::Evaluation*> byId;
    for (const auto& e : evaluations) byId[e.id] = &e;
    const store::RunRecord run = reader.requireRun(runId);
    auto row = [&](const store::Evaluation& e) {
        NetworkSpec spec = reader.architectureSpec(e.architectureId);
        // A reference may be stored under another name first (X-TPU-B0 is the X space's base).
        if (e.seq) spec.name = searchReferenceName(run.params, *e.seq).value_or(spec.name);
        const store::LatencyFigure latency = e.latency();
        json blocks = json::array();
        for (const auto& b : spec.blocks) blocks.push_back(formatBlockString(b));
        return json{{"arch", spec.name},
                    {"hash", e.archHash},
                    {"blocks", blocks},
                    {"latency_ms", latency.known() ? json(latency.ms) : json()},
                    {"latency_source", store::latencySourceName(latency.source)},
                    {"accuracy", e.accuracy ? json(e.accuracy->value) : json()},
                    {"estimator", e.accuracy ? e.accuracy->estimator : ""},
                    {"metric", e.accuracy ? e.accuracy->figure().metric : ""},
                    {"macs", e.macs ? json(*e.macs) : json()},
                    {"seq", e.seq ? json(*e.seq) : json()}};
    };
    json front = json::array(), references = json::array();
    for (int64_t id : frontIds) {
        if (auto it = byId.find(id); it != byId.end()) front.push_back(row(*it->second));
    }
    // A front member always has a latency (the search judged it by one); unknown sorts last.
    auto latencyOf = [](const json& r) {
        return r["latency_ms"].is_null() ? INFINITY : r["latency_ms"].get<double>();
    };
    std::sort(front.begin(), front.end(),
              [&](const json& a, const json& b) { return latencyOf(a) < latencyOf(b); });
    for (const auto& e : evaluations) {
        if (e.seq && *e.seq < 0) references.push_back(row(e));
    }
    if (asJson) {
        std::cout << json{{"run", runId},
                          {"evaluations", evaluations.size()},
                          {"front", front},
                          {"references", references}}
                         .dump(2)
                  << "\n";
        return;
    }
    // The column says what the number is: a NASWOT score is not an accuracy.
    const std::string metric = front.empty() ? "estimate" : front[0]["metric"].get<std::string>();
    std::cout << "\nPareto front of run " << runId << " (" << front.size() << " of "
              << evaluations.size() << " evaluations; y = " << metric << "):\n";
    Table table({"arch", "latency (ms)", metric, "GMACs", "estimator"},
                {false, true, true, true, false});
    auto add = [&](const json& r, const std::string& prefix) {
        table.addRow(
            {prefix + r["arch"].get<std::string>(),
             r["latency_ms"].is_null() ? "-" : formatFixed(r["latency_ms"].get<double>(), 4),
             r["accuracy"].is_null() ? "-" : formatFixed(r["accuracy"].get<double>(), 3),
             r["macs"].is_null() ? "-" : formatFixed(r["macs"].get<double>() / 1e9, 3),
             r["estimator"].get<std::string>()});
    };
    for (const auto& r : front) add(r, "");
    for (const auto& r : references) add(r, "(reference) ");
    table.print(std::cout);
}

void runSearch(const SearchOptions& o, int evaluators) {
    // Twice the evaluators: a slow candidate at the head of the window does not idle the rest.
    const int window = o.window > 0 ? o.window : (o.mpi.enabled ? 2 * evaluators : 1);
    SearchRunParams p;
    p.search = SearchParams::fromJson({{"space", o.space},
                                       {"algorithm", o.algo},
                                       {"objective", o.objective},
                                       {"budget", o.budget},
                                       {"seed", o.seed},
                                       {"target_ms", o.targetMs},
                                       {"population", o.population},
                                       {"tournament", o.tournament},
                                       {"window", window}});
    p.hw = o.hw;
    p.runtime = o.runtime;
    p.dtype = o.dtype;
    p.batch = o.batch;
    p.measureDevice = o.measure;
    p.accuracy = o.accuracy;
    p.accuracySettings = parseAccuracySettings(o.settings);
    if (!o.supernet.empty()) {
        if (o.accuracy != "supernet") throw ArchError("--supernet is for --accuracy supernet");
        p.accuracySettings["file"] = o.supernet;
    }
    if (o.accuracy == "supernet") {
        checkSupernetSpace(p.accuracySettings.value("file", std::string()), o.space);
        // Zoo networks are not paths of a space's supernet: the space's base is the reference.
        if (o.references.empty()) p.references.clear();
    }
    if (!o.references.empty()) p.references = o.references;
    // Every argument checked before the store is opened: a bad one creates no file.
    engine::validateRunParams(kSearchKind, p.toJson());
    const auto path = dbPath(o.db);
    auto writer = std::make_shared<engine::StoreWriter>(path);
    const int64_t runId = engine::createRun(*writer, kSearchKind, p.toJson(), o.budget);
    if (!o.json) {
        std::cerr << "search run " << runId << " in " << path.string() << ": " << o.algo << " over "
                  << o.space << ", latency "
                  << (o.measure.empty() ? predictionMethod(loadPlatform(o.hw, o.runtime)).substr(10)
                                        : "measured on " + o.measure)
                  << ", accuracy from " << o.accuracy << ", window " << window << "\n";
    }
    runToEnd(writer, runId, false, 1, !o.json);
    writer.reset();  // commit and close before reading the front
    printFront(path, runId, o.json);
}

void runSpaces(bool asJson) {
    json list = json::array();
    Table table({"space", "stages", "size", "description"}, {false, true, true, false});
    for (const auto& name : shippedSpaceNames()) {
        const SearchSpace s = loadSearchSpace(name);
        list.push_back({{"name", s.name},
                        {"stages", s.stages.size()},
                        {"size", s.size()},
                        {"description", s.description},
                        {"source", s.source}});
        char size[32];
        std::snprintf(size, sizeof size, "%.3g", s.size());
        table.addRow({s.name, std::to_string(s.stages.size()), size, s.description.substr(0, 80)});
    }
    if (asJson) {
        std::cout << json{{"spaces", list}}.dump(2) << "\n";
    } else {
        table.print(std::cout);
    }
}

}  // namespace

void addSearchCommands(CLI::App& app) {
    auto* search =
        app.add_subcommand("search", "Platform-aware architecture search (stored, resumable)");
    auto o = std::make_shared<SearchOptions>();
    addDbOption(search, o->db);
    search->add_option("--space", o->space,
                       "Search space: efficientnet-x, efficientnet or a .json file");
    search->add_option("--hw", o->hw, "Platform profile for predicted latency")->required();
    search->add_option("--runtime", o->runtime,
                       "Runtime the latency is predicted under: xla, tensorrt, pytorch-eager or a "
                       ".json file (default: the profile's)");
    search
        ->add_option("--measure", o->measure,
                     "Measure latency with LibTorch instead of predicting it")
        ->check(CLI::IsMember({"cpu", "cuda"}));
    search->add_option("--accuracy", o->accuracy,
                       "Accuracy estimator: imagenet, proxy, zero-cost or supernet");
    search->add_option("--supernet", o->supernet,
                       "--accuracy supernet: the trained supernet of --space "
                       "(archscope-cli supernet --space S --out FILE)");
    search->add_option("--accuracy-settings", o->settings, "Estimator settings as a JSON object");
    search->add_option("--algo", o->algo, "evolution, reinforce or random")
        ->check(CLI::IsMember({"evolution", "reinforce", "random"}));
    search->add_option("--objective", o->objective, "pareto, reward-soft or reward-hard (MnasNet)")
        ->check(CLI::IsMember({"pareto", "reward-soft", "reward-hard"}));
    search
        ->add_option("--target-ms", o->targetMs,
                     "MnasNet target latency (default: the base network's)")
        ->check(CLI::NonNegativeNumber);
    search->add_option("--budget", o->budget, "Candidates to evaluate")
        ->check(CLI::Range(1, 10000000));
    search->add_option("--seed", o->seed, "Seed (runs are deterministic for a seed)");
    search->add_option("--population", o->population, "Evolution population")
        ->check(CLI::Range(2, 100000));
    search->add_option("--tournament", o->tournament, "Evolution tournament size")
        ->check(CLI::Range(1, 100000));
    addBatchOption(search, o->batch);
    search->add_option("--dtype", o->dtype, dtypeNameList() + " (default: the profile's)");
    search
        ->add_option("--references", o->references,
                     "Comma-separated models evaluated the same way as reference points")
        ->delimiter(',');
    search
        ->add_option("--window", o->window,
                     "Candidates evaluated at once; proposals depend on it, not on the order "
                     "results arrive in (default: 1, with --mpi twice the evaluator ranks)")
        ->check(CLI::Range(1, kMaxSearchWindow));
    addMpiOptions(search, o->mpi);
    search->add_flag("--json", o->json, "The front as one JSON document on stdout");
    search->callback([o] {
        if (!o->mpi.enabled) return runSearch(*o, 1);
        runUnderMpi(o->mpi, [o](int evaluators) { runSearch(*o, evaluators); });
    });

    auto* spaces = app.add_subcommand("spaces", "List the shipped search spaces and their sizes");
    auto spacesJson = std::make_shared<bool>(false);
    spaces->add_flag("--json", *spacesJson, "One JSON document on stdout");
    spaces->callback([spacesJson] { runSpaces(*spacesJson); });
}

}  // namespace archscope::cli
