// `runs`, `export`, `sweep` and `resume`: the result store and background jobs from the shell.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "arch/error.h"
#include "arch/network.h"
#include "batch_option.h"
#include "engine/jobcontroller.h"
#include "engine/runkinds.h"
#include "engine/sweep.h"
#include "jobrunner.h"
#include "mpi_mode.h"
#include "registry.h"
#include "search/searchrun.h"
#include "store/export.h"
#include "store/store.h"
#include "table.h"

namespace archscope::cli {
namespace {

void runRuns(const std::string& db, bool json) {
    store::StoreReader reader(dbPath(db));
    reader.requireIntact();  // a corrupt page is an error, not a silently short list
    const auto runs = reader.listRuns();
    if (json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& r : runs)
            list.push_back(
                {{"id", r.id},
                 {"kind", r.kind},
                 {"status", r.status},
                 {"evaluations", r.evaluations},
                 {"planned", r.planned ? nlohmann::json(*r.planned) : nlohmann::json()},
                 {"started_at", r.startedAt},
                 {"ended_at", r.endedAt ? nlohmann::json(*r.endedAt) : nlohmann::json()},
                 // Who holds the run's lease (store/lease.h); null when nobody does.
                 {"owner", r.owner ? nlohmann::json{{"pid", r.owner->pid},
                                                    {"host", r.owner->host},
                                                    {"heartbeat_unix", r.owner->heartbeatUnix}}
                                   : nlohmann::json()}});
        std::cout << nlohmann::json{{"runs", list}}.dump(2) << "\n";
        return;
    }
    Table table({"id", "kind", "status", "evaluations", "planned", "started (UTC)", "ended (UTC)"},
                {true, false, false, true, true, false, false});
    for (const auto& r : runs)
        table.addRow({std::to_string(r.id), r.kind, r.status, formatThousands(r.evaluations),
                      r.planned ? formatThousands(*r.planned) : "-", r.startedAt,
                      r.endedAt.value_or("-")});
    table.print(std::cout);
    if (runs.empty()) std::cout << "(no runs in " << reader.path().string() << ")\n";
}

void runExport(const std::string& db, int64_t runId, const std::string& format,
               const std::string& outPath, bool layers) {
    store::StoreReader reader(dbPath(db));
    reader.requireIntact();
    std::ostringstream text;  // written only when complete: a failed export leaves no half file
    if (format == "csv")
        store::exportRunCsv(reader, runId, text);
    else
        text << store::exportRunJson(reader, runId, layers).dump(2) << "\n";
    if (outPath.empty() || outPath == "-") {
        std::cout << text.str();
        return;
    }
    std::ofstream out(outPath, std::ios::binary | std::ios::trunc);
    if (!out) throw ArchError("cannot write " + outPath + ": check the folder exists");
    out << text.str();
    if (!out.flush()) throw ArchError("cannot write " + outPath + " (disk full?)");
}

struct SweepOptions {
    std::string db;
    std::vector<std::string> models;  ///< --models a,b,c (CLI11 splits at the commas)
    int64_t random = 0;
    uint64_t seed = 0;
    int batch = kDefaultBatch;
    int workers = 0;
    bool json = false;
};

void runSweep(const SweepOptions& o) {
    if (o.models.empty() == (o.random == 0))
        throw ArchError("sweep: give either --models a,b,c or --random N (with --seed S)");
    const engine::SweepParams params =
        o.random > 0 ? engine::SweepParams::forRandom(o.random, o.seed, o.batch)
                     : engine::SweepParams::forModels(o.models, o.batch);
    engine::validateRunParams(engine::kSweepKind, params.toJson());  // before any file
    auto writer = std::make_shared<engine::StoreWriter>(dbPath(o.db));
    const int64_t runId =
        engine::createRun(*writer, engine::kSweepKind, params.toJson(), params.total());
    runToEnd(writer, runId, o.json, o.workers);
}

}  // namespace

void addStoreCommands(CLI::App& app) {
    auto* runs = app.add_subcommand("runs", "List the runs in a result store with their status");
    auto runsDb = std::make_shared<std::string>();
    auto runsJson = std::make_shared<bool>(false);
    addDbOption(runs, *runsDb);
    runs->add_flag("--json", *runsJson, "One JSON document on stdout");
    runs->callback([=] { runRuns(*runsDb, *runsJson); });

    auto* exp = app.add_subcommand("export", "Export a run's evaluations as CSV or JSON");
    auto expDb = std::make_shared<std::string>();
    auto expRun = std::make_shared<int64_t>(0);
    auto expFormat = std::make_shared<std::string>("csv");
    auto expOut = std::make_shared<std::string>();
    auto expLayers = std::make_shared<bool>(false);
    addDbOption(exp, *expDb);
    exp->add_option("--run", *expRun, "Run id (see `runs`)")->required();
    exp->add_option("--format", *expFormat, "csv or json")->check(CLI::IsMember({"csv", "json"}));
    exp->add_option("--out", *expOut, "Output file (default: stdout)");
    exp->add_flag("--layers", *expLayers, "JSON only: include each evaluation's per-layer costs");
    exp->callback([=] { runExport(*expDb, *expRun, *expFormat, *expOut, *expLayers); });

    auto* sweep = app.add_subcommand(
        "sweep", "Store IR costs (MACs, params, per-layer bytes) of models or random variants");
    auto so = std::make_shared<SweepOptions>();
    addDbOption(sweep, so->db);
    auto* models = sweep->add_option("--models", so->models, "Comma-separated zoo names or files")
                       ->delimiter(',');
    auto* random =
        sweep->add_option("--random", so->random, "Number of random EfficientNet-B0 variants")
            ->check(CLI::Range(int64_t(1), int64_t(100000000)));
    models->excludes(random);
    sweep->add_option("--seed", so->seed, "Seed of the random variants");
    addBatchOption(sweep, so->batch);
    sweep->add_option("--workers", so->workers, "Worker threads (default: all cores)")
        ->check(CLI::Range(0, 1024));
    sweep->add_flag("--json", so->json, "Events as JSON lines on stdout");
    sweep->callback([so] { runSweep(*so); });

    auto* resume = app.add_subcommand(
        "resume", "Continue an interrupted run, re-using every evaluation it stored");
    auto resDb = std::make_shared<std::string>();
    auto resRun = std::make_shared<int64_t>(0);
    auto resWorkers = std::make_shared<int>(0);
    auto resJson = std::make_shared<bool>(false);
    auto resMpi = std::make_shared<MpiOptions>();
    addDbOption(resume, *resDb);
    resume->add_option("--run", *resRun, "Run id (see `runs`)")->required();
    resume->add_option("--workers", *resWorkers, "Worker threads (default: all cores)")
        ->check(CLI::Range(0, 1024));
    resume->add_flag("--json", *resJson, "Events as JSON lines on stdout");
    addMpiOptions(resume, *resMpi);
    resume->callback([=] {
        auto go = [=] {
            // Resume never creates a store: a typo in --db is an error, not a new empty file.
            auto writer = std::make_shared<engine::StoreWriter>(dbPath(*resDb),
                                                                store::OpenMode::ExistingOnly);
            // Read-only: a run another process owns (and may hold the write lock for) is
            // refused at once by runToEnd's lease check, not after the writer's busy timeout.
            const auto run = store::StoreReader(writer->path()).requireRun(*resRun);
            if (resMpi->enabled && run.kind != kSearchKind)
                throw ArchError("run " + std::to_string(*resRun) + " is a " + run.kind +
                                " run; only search runs evaluate on MPI ranks (resume it "
                                "without --mpi)");
            runToEnd(writer, *resRun, *resJson, *resWorkers);
        };
        if (!resMpi->enabled) return go();
        runUnderMpi(*resMpi, [go](int) { go(); });  // search runs evaluate on the other ranks
    });
}

}  // namespace archscope::cli
