// `import`: measurements taken elsewhere (measure --json from a remote box, PyTorch profiler or
// XProf traces) into a result store, as measured per-layer / per-stage times.
#include <iostream>
#include <nlohmann/json.hpp>

#include "arch/json.h"
#include "registry.h"
#include "store/import.h"
#include "store/store.h"
#include "table.h"

namespace archscope::cli {
namespace {

struct ImportArgs {
    std::string file;
    std::string db;
    std::string model;
    std::string platform;
    int batch = 1;
    bool json = false;
};

void runImport(const ImportArgs& a) {
    store::ImportOptions o;
    if (!a.model.empty()) o.model = a.model;
    if (!a.platform.empty()) o.platform = a.platform;
    o.batch = a.batch;
    // Everything is read and checked before the database is opened: a bad file changes nothing.
    store::ImportPlan plan = store::readImport(a.file, o);
    const std::filesystem::path db =
        a.db.empty() ? store::defaultDatabasePath() : std::filesystem::path(a.db);
    store::ResultStore resultStore(db);
    const int64_t runId = store::storeImport(resultStore, plan);

    if (a.json) {
        nlohmann::json models = nlohmann::json::array();
        for (const auto& m : plan.models) {
            nlohmann::json unmatched = nlohmann::json::array();
            for (const auto& u : m.unmatched) unmatched.push_back({{"op", u.name}, {"ms", u.ms}});
            models.push_back({{"evaluation_id", m.evaluation.id},
                              {"name", m.spec.name},
                              {"hash", networkHash(m.spec)},
                              {"median_ms", m.evaluation.measured->medianMs},
                              {"reps", m.evaluation.measured->reps},
                              {"rows", m.evaluation.layers.size()},
                              {"rows_measured", m.layersMatched},
                              {"matched_ms", m.matchedMs},
                              {"unmatched_ms", m.unmatchedMs},
                              {"unmatched", unmatched}});
        }
        std::cout << nlohmann::json{{"run_id", runId},
                                    {"db", db.string()},
                                    {"file", plan.file},
                                    {"format", plan.format},
                                    {"platform", o.platform ? nlohmann::json(*o.platform)
                                                            : nlohmann::json(nullptr)},
                                    {"models", models}}
                         .dump(2)
                  << "\n";
        return;
    }
    std::cout << "imported " << plan.file << " (" << plan.format << ") into " << db.string()
              << " as run " << runId << (o.platform ? " for platform " + *o.platform : "")
              << "\n\n";
    Table table(
        {"model", "median (ms)", "passes/reps", "rows measured", "matched (ms)", "unmatched (ms)"},
        {false, true, true, true, true, true});
    for (const auto& m : plan.models) {
        table.addRow({m.spec.name, formatFixed(m.evaluation.measured->medianMs, 3),
                      std::to_string(m.evaluation.measured->reps),
                      std::to_string(m.layersMatched) + "/" + std::to_string(m.layersTotal),
                      formatFixed(m.matchedMs, 3), formatFixed(m.unmatchedMs, 3)});
    }
    table.print(std::cout);
    for (const auto& m : plan.models) {
        if (m.unmatched.empty()) continue;
        std::cout << "\n" << m.spec.name << ": time no layer took, per pass (largest first):\n";
        for (size_t i = 0; i < m.unmatched.size() && i < 8; ++i) {
            std::cout << "  " << m.unmatched[i].name << "  " << formatFixed(m.unmatched[i].ms, 3)
                      << " ms\n";
        }
    }
}

}  // namespace

void addImportCommands(CLI::App& app) {
    auto a = std::make_shared<ImportArgs>();
    auto* cmd = app.add_subcommand(
        "import", "Import measure --json output, a PyTorch profiler trace or an XProf trace");
    cmd->add_option("file", a->file, "The file to import")->required();
    cmd->add_option("--db", a->db, "Result store (default: the user data folder's archscope.db)");
    cmd->add_option("--model", a->model,
                    "Zoo name or architecture .json of the network, when the file does not name "
                    "one known here");
    cmd->add_option("--platform", a->platform, "Platform profile the figures belong to, e.g. h100");
    cmd->add_option("--batch", a->batch, "Batch size the trace was taken at")
        ->check(CLI::Range(1, 1 << 16))
        ->capture_default_str();
    cmd->add_flag("--json", a->json, "One JSON document on stdout");
    cmd->callback([a] { runImport(*a); });
}

}  // namespace archscope::cli
