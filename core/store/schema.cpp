#include "store/schema.h"

#include <cstring>
#include <fstream>

#include "arch/error.h"

namespace archscope::store {
namespace {

// Writers wait this long for another writer's lock before failing (SQLITE_BUSY).
constexpr int kBusyTimeoutMs = 10000;

const char* kSchemaV1 = R"sql(
CREATE TABLE runs(
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL,
    message TEXT,
    planned INTEGER,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    machine TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE architectures(
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    network TEXT NOT NULL
);
CREATE TABLE evaluations(
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq INTEGER,
    architecture_id INTEGER NOT NULL REFERENCES architectures(id),
    platform TEXT,
    profile_version TEXT,
    batch INTEGER NOT NULL DEFAULT 1,
    dtype TEXT NOT NULL DEFAULT 'fp32',
    macs INTEGER,
    params INTEGER,
    predicted_ms REAL,
    measured_median_ms REAL,
    measured_p10_ms REAL,
    measured_p90_ms REAL,
    measured_reps INTEGER,
    measured_context TEXT,
    accuracy REAL,
    accuracy_estimator TEXT,
    accuracy_settings TEXT,
    accuracy_dataset TEXT,
    cost_s REAL,
    method TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE(run_id, seq)
);
CREATE INDEX evaluations_architecture ON evaluations(architecture_id);
CREATE TABLE layer_costs(
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    name TEXT NOT NULL,
    op TEXT NOT NULL,
    macs INTEGER,
    params INTEGER,
    bytes INTEGER,
    predicted_ms REAL,
    measured_ms REAL,
    PRIMARY KEY(evaluation_id, idx)
) WITHOUT ROWID;
CREATE TABLE pareto(
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
    PRIMARY KEY(run_id, evaluation_id)
) WITHOUT ROWID;
CREATE INDEX pareto_evaluation ON pareto(evaluation_id);
)sql";

std::string tooNewMessage(const Connection& c, int64_t version) {
    return "result store " + c.path().string() + " has schema version " + std::to_string(version) +
           ", but this archscope understands up to version " + std::to_string(kSchemaVersion) +
           ": it needs an archscope with schema version " + std::to_string(version) +
           " or newer. The file was left unchanged; open it with a newer archscope or use "
           "another --db file.";
}

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        {1, "runs, architectures, evaluations, layer costs, Pareto membership", kSchemaV1},
        // The runtime a predicted latency assumed ("pytorch-eager v1"); NULL before runtimes.
        {2, "evaluations.runtime", "ALTER TABLE evaluations ADD COLUMN runtime TEXT;"},
        // What an accuracy value is ("NASWOT score"), typed; searches kept it in the settings.
        {3, "evaluations.accuracy_metric",
         "ALTER TABLE evaluations ADD COLUMN accuracy_metric TEXT;"
         "UPDATE evaluations SET accuracy_metric = json_extract(accuracy_settings, '$.metric') "
         "WHERE accuracy IS NOT NULL AND json_valid(accuracy_settings) "
         "AND json_type(accuracy_settings, '$.metric') = 'text';"},
        // Every status change with its time, so History can tell a resumed run from one that
        // ran through (runs.status keeps only the last).
        {4, "run_events: the status history of each run",
         "CREATE TABLE run_events(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, "
         "at TEXT NOT NULL, status TEXT NOT NULL, message TEXT); "
         "CREATE INDEX run_events_run ON run_events(run_id);"},
        // Why an evaluation failed (a candidate too large for memory, say); NULL when it did not.
        {5, "evaluations.error", "ALTER TABLE evaluations ADD COLUMN error TEXT;"},
        // One owner per run (store/lease.h): the process working on it and its heartbeat.
        {6, "runs.owner_pid, owner_host, heartbeat_unix (run leases)",
         "ALTER TABLE runs ADD COLUMN owner_pid INTEGER;"
         "ALTER TABLE runs ADD COLUMN owner_host TEXT;"
         "ALTER TABLE runs ADD COLUMN heartbeat_unix INTEGER;"},
    };
    return all;
}

void checkSqliteHeader(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return;
    if (std::filesystem::is_directory(path, ec))
        throw ArchError("result store " + path.string() + " is a directory; give a file path.");
    if (std::filesystem::file_size(path, ec) == 0) return;  // SQLite treats it as a new database
    std::ifstream in(path, std::ios::binary);
    char header[16] = {};
    in.read(header, sizeof header);
    if (in.gcount() < 16 || std::memcmp(header, "SQLite format 3", 16) != 0)
        throw ArchError("result store " + path.string() +
                        " is not a SQLite database (its header does not say 'SQLite format 3'). "
                        "It was left unchanged; use another --db file.");
}

void inspectExistingStore(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0) return;
    Connection c(path, Connection::Mode::ReadOnly);
    const std::string where = "result store " + path.string();
    const std::string unchanged = " It was left unchanged; use another --db file.";
    try {
        c.exec("PRAGMA busy_timeout=" + std::to_string(kBusyTimeoutMs));
        const std::string check = c.queryText("PRAGMA quick_check");
        if (check != "ok") {
            throw ArchError(where + " is corrupt (PRAGMA quick_check: " + check.substr(0, 200) +
                            "). It was left unchanged; restore a backup or use another --db file.");
        }
        const int64_t version = c.queryInt("PRAGMA user_version");
        if (version > kSchemaVersion) throw ArchError(tooNewMessage(c, version));
        const int64_t appId = c.queryInt("PRAGMA application_id");
        const int64_t tables = c.queryInt("SELECT count(*) FROM sqlite_master");
        const int64_t ours = c.queryInt(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
            "('runs', 'architectures', 'evaluations', 'layer_costs', 'pareto')");
        if (appId != 0 && appId != kApplicationId) {
            throw ArchError(where +
                            " is a SQLite database of another application "
                            "(application_id " +
                            std::to_string(appId) + ")." + unchanged);
        }
        if (version == 0 && tables > 0) {
            throw ArchError(where + " is a SQLite database but not an Archscope result store (" +
                            std::to_string(tables) +
                            " schema entries, no Archscope schema "
                            "version)." +
                            unchanged);
        }
        if (version > 0 && ours < 5) {
            throw ArchError(where + " has schema version " + std::to_string(version) +
                            " but not the Archscope tables: not an Archscope result store." +
                            unchanged);
        }
    } catch (const ArchError& e) {
        const std::string m = e.what();
        if (m.find("left unchanged") != std::string::npos) throw;
        throw ArchError(m + ". The file was left unchanged.");
    }
}

void prepareWriter(Connection& c) {
    c.exec("PRAGMA busy_timeout=" + std::to_string(kBusyTimeoutMs));
    const int64_t version = c.queryInt("PRAGMA user_version");
    if (version > kSchemaVersion) throw ArchError(tooNewMessage(c, version));

    if (c.queryText("PRAGMA journal_mode=WAL") != "wal")
        throw ArchError("result store " + c.path().string() +
                        ": cannot switch to WAL mode (is it on a network file system?)");
    // NORMAL is durable against a crash or SIGKILL of the process in WAL mode; only a power loss
    // may drop the last commits (SQLite docs, "WAL mode ... synchronous=NORMAL").
    c.exec("PRAGMA synchronous=NORMAL");
    c.exec("PRAGMA foreign_keys=ON");

    if (version == kSchemaVersion) return;
    Transaction tx(c);
    // Re-read inside the write lock: another writer may have migrated meanwhile.
    const int64_t locked = c.queryInt("PRAGMA user_version");
    if (locked > kSchemaVersion) throw ArchError(tooNewMessage(c, locked));
    for (const auto& m : migrations())
        if (m.version > locked) c.exec(m.sql);
    c.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
    c.exec("PRAGMA application_id=" + std::to_string(kApplicationId));
    tx.commit();
}

void prepareReader(Connection& c) {
    c.exec("PRAGMA busy_timeout=" + std::to_string(kBusyTimeoutMs));
    const int64_t version = c.queryInt("PRAGMA user_version");
    if (version > kSchemaVersion) throw ArchError(tooNewMessage(c, version));
    // Version 0 is an empty store, or one another process is creating right now (a reader
    // polling a search's new --db sees this for a moment): say so rather than "migrate it".
    if (version == 0) {
        throw ArchError("result store " + c.path().string() +
                        " has no Archscope schema yet: it is empty, or another process is "
                        "creating it right now; try again once that process has started, or "
                        "give the --db a command wrote to.");
    }
    if (version < kSchemaVersion)
        throw ArchError("result store " + c.path().string() + " has schema version " +
                        std::to_string(version) + " (this archscope needs " +
                        std::to_string(kSchemaVersion) +
                        "); open it once for writing (any archscope-cli command that writes) to "
                        "create or migrate it.");
}

}  // namespace archscope::store
