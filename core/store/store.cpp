#include "store/store.h"

#include "arch/error.h"
#include "arch/json.h"
#include "store/lease.h"
#include "store/schema.h"
#include "util/resources.h"
#include "util/timestamp.h"

namespace archscope::store {
namespace {

const char* kEvaluationColumns =
    "e.id, e.run_id, e.seq, e.architecture_id, a.hash, e.platform, e.profile_version, e.batch, "
    "e.dtype, e.macs, e.params, e.predicted_ms, e.measured_median_ms, e.measured_p10_ms, "
    "e.measured_p90_ms, e.measured_reps, e.measured_context, e.accuracy, e.accuracy_estimator, "
    "e.accuracy_settings, e.accuracy_dataset, e.cost_s, e.method, e.created_at, e.runtime, "
    "e.accuracy_metric, e.error";

nlohmann::json parseJsonColumn(const Statement& s, int column) {
    if (s.isNull(column)) return nlohmann::json();
    return nlohmann::json::parse(s.text(column), nullptr, /*allow_exceptions=*/false);
}

Evaluation readEvaluation(const Statement& s) {
    Evaluation e;
    e.id = s.int64(0);
    e.runId = s.int64(1);
    e.seq = s.optInt64(2);
    e.architectureId = s.int64(3);
    e.archHash = s.text(4);
    e.platform = s.optText(5);
    e.profileVersion = s.optText(6);
    e.batch = s.int64(7);
    e.dtype = s.text(8);
    e.macs = s.optInt64(9);
    e.params = s.optInt64(10);
    e.predictedMs = s.optReal(11);
    if (!s.isNull(12))
        e.measured = MeasuredLatency{s.real(12), s.real(13), s.real(14), s.int64(15),
                                     parseJsonColumn(s, 16)};
    if (!s.isNull(17))
        e.accuracy = AccuracyEstimate{s.real(17), s.text(18), parseJsonColumn(s, 19), s.text(20),
                                      s.optText(25).value_or("")};
    e.costSeconds = s.optReal(21);
    e.method = s.text(22);
    e.createdAt = s.text(23);
    e.runtime = s.optText(24);
    e.error = s.optText(26);
    return e;
}

RunRecord readRun(const Statement& s) {
    RunRecord r;
    r.id = s.int64(0);
    r.kind = s.text(1);
    r.params = parseJsonColumn(s, 2);
    r.status = s.text(3);
    r.message = s.text(4);
    r.planned = s.optInt64(5);
    r.startedAt = s.text(6);
    r.endedAt = s.optText(7);
    r.machine = parseJsonColumn(s, 8);
    r.evaluations = s.int64(9);
    if (!s.isNull(10) && !s.isNull(11)) {
        r.owner = RunOwner{s.int64(10), s.text(11), s.optInt64(12).value_or(0)};
    }
    // A run that says it is being worked on but whose owner is gone was interrupted.
    if ((r.status == kStatusRunning || r.status == kStatusPaused) &&
        (!r.owner || !ownerAlive(*r.owner, unixNow()))) {
        r.status = kStatusInterrupted;
    }
    return r;
}

const char* kRunSelect =
    "SELECT r.id, r.kind, r.params, r.status, r.message, r.planned, r.started_at, r.ended_at, "
    "r.machine, (SELECT count(*) FROM evaluations e WHERE e.run_id = r.id), r.owner_pid, "
    "r.owner_host, r.heartbeat_unix FROM runs r";

std::unique_ptr<Connection> openWriter(const std::filesystem::path& path, OpenMode mode) {
    if (mode == OpenMode::ExistingOnly) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            throw ArchError("result store " + path.string() +
                            " does not exist (nothing was created); pass the --db the run was "
                            "stored in (`archscope-cli runs --db FILE` lists its runs).");
        }
    }
    checkSqliteHeader(path);
    inspectExistingStore(path);
    auto c = std::make_unique<Connection>(path, Connection::Mode::ReadWrite);
    prepareWriter(*c);
    return c;
}

std::unique_ptr<Connection> openReader(const std::filesystem::path& path) {
    if (!std::filesystem::exists(path))
        throw ArchError("result store " + path.string() +
                        " does not exist; run a command that writes results (e.g. "
                        "`archscope-cli sweep --db FILE`) or pass the right --db.");
    checkSqliteHeader(path);
    auto c = std::make_unique<Connection>(path, Connection::Mode::ReadOnly);
    prepareReader(*c);
    return c;
}

}  // namespace

std::filesystem::path defaultDatabasePath() {
    return userDataDir() / "archscope.db";
}

bool Evaluation::sameContent(const Evaluation& o) const {
    return runId == o.runId && seq == o.seq && architectureId == o.architectureId &&
           platform == o.platform && profileVersion == o.profileVersion && batch == o.batch &&
           dtype == o.dtype && macs == o.macs && params == o.params &&
           predictedMs == o.predictedMs && measured == o.measured && accuracy == o.accuracy &&
           costSeconds == o.costSeconds && method == o.method && error == o.error;
}

// ---- StoreReader ----

StoreReader::StoreReader(const std::filesystem::path& path) : m_conn(openReader(path)) {}
StoreReader::StoreReader(std::unique_ptr<Connection> connection) : m_conn(std::move(connection)) {}
StoreReader::~StoreReader() = default;

void StoreReader::requireIntact() {
    std::string check;
    try {
        check = m_conn->queryText("PRAGMA quick_check");
    } catch (const ArchError& e) {
        check = e.what();
    }
    if (check != "ok") {
        throw ArchError(
            "result store " + m_conn->path().string() + " is corrupt (PRAGMA " +
            "quick_check: " + check.substr(0, 200) +
            "); restore a backup, or copy what is readable with `sqlite3 FILE .recover`");
    }
}

const std::filesystem::path& StoreReader::path() const {
    return m_conn->path();
}

std::vector<RunRecord> StoreReader::listRuns() {
    StatementUse q(m_conn->prepare(std::string(kRunSelect) + " ORDER BY r.id"));
    std::vector<RunRecord> runs;
    while (q->step()) runs.push_back(readRun(*q));
    return runs;
}

std::optional<RunRecord> StoreReader::run(int64_t id) {
    StatementUse q(m_conn->prepare(std::string(kRunSelect) + " WHERE r.id = ?"));
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    return readRun(*q);
}

RunRecord StoreReader::requireRun(int64_t id) {
    auto r = run(id);
    if (!r)
        throw ArchError("result store " + path().string() + " has no run " + std::to_string(id) +
                        "; `archscope-cli runs --db " + path().string() + "` lists them.");
    return *r;
}

int64_t StoreReader::evaluationCount(int64_t runId) {
    StatementUse q(m_conn->prepare("SELECT count(*) FROM evaluations WHERE run_id = ?"));
    q->bind(1, runId);
    q->step();
    return q->int64(0);
}

std::vector<Evaluation> StoreReader::evaluations(int64_t runId) {
    return evaluationsAfter(runId, 0);
}

std::vector<Evaluation> StoreReader::evaluationsAfter(int64_t runId, int64_t afterId) {
    StatementUse q(
        m_conn->prepare(std::string("SELECT ") + kEvaluationColumns +
                        " FROM evaluations e JOIN architectures a ON a.id = "
                        "e.architecture_id WHERE e.run_id = ? AND e.id > ? ORDER BY e.id"));
    q->bind(1, runId).bind(2, afterId);
    std::vector<Evaluation> out;
    while (q->step()) out.push_back(readEvaluation(*q));
    return out;
}

std::vector<RunStatusEvent> StoreReader::statusHistory(int64_t runId) {
    StatementUse q(m_conn->prepare(
        "SELECT at, status, message FROM run_events WHERE run_id = ? ORDER BY rowid"));
    q->bind(1, runId);
    std::vector<RunStatusEvent> out;
    while (q->step()) out.push_back({q->text(0), q->text(1), q->optText(2).value_or("")});
    return out;
}

std::vector<LayerCost> StoreReader::layerCosts(int64_t evaluationId) {
    StatementUse q(m_conn->prepare(
        "SELECT idx, name, op, macs, params, bytes, predicted_ms, measured_ms FROM layer_costs "
        "WHERE evaluation_id = ? ORDER BY idx"));
    q->bind(1, evaluationId);
    std::vector<LayerCost> out;
    while (q->step())
        out.push_back(LayerCost{q->int64(0), q->text(1), q->text(2), q->optInt64(3), q->optInt64(4),
                                q->optInt64(5), q->optReal(6), q->optReal(7)});
    return out;
}

std::vector<PlotRow> StoreReader::plotRows(int64_t runId) {
    StatementUse q(m_conn->prepare(
        "SELECT e.id, a.hash, e.predicted_ms, e.measured_median_ms, e.accuracy, e.macs, "
        "p.evaluation_id IS NOT NULL FROM evaluations e JOIN architectures a ON a.id = "
        "e.architecture_id LEFT JOIN pareto p ON p.run_id = e.run_id AND p.evaluation_id = e.id "
        "WHERE e.run_id = ? ORDER BY e.id"));
    q->bind(1, runId);
    std::vector<PlotRow> out;
    out.reserve(size_t(evaluationCount(runId)));
    while (q->step())
        out.push_back(PlotRow{q->int64(0), q->text(1), q->optReal(2), q->optReal(3), q->optReal(4),
                              q->optInt64(5), q->int64(6) != 0});
    return out;
}

std::vector<int64_t> StoreReader::int64Column(const char* sql, int64_t runId) {
    StatementUse q(m_conn->prepare(sql));
    q->bind(1, runId);
    std::vector<int64_t> out;
    while (q->step()) out.push_back(q->int64(0));
    return out;
}

std::vector<int64_t> StoreReader::finishedSeqs(int64_t runId) {
    return int64Column(
        "SELECT seq FROM evaluations WHERE run_id = ? AND seq IS NOT NULL ORDER BY seq", runId);
}

std::vector<int64_t> StoreReader::front(int64_t runId) {
    return int64Column("SELECT evaluation_id FROM pareto WHERE run_id = ? ORDER BY evaluation_id",
                       runId);
}

std::optional<ArchitectureRecord> StoreReader::architecture(int64_t id) {
    StatementUse q(
        m_conn->prepare("SELECT id, hash, name, network FROM architectures WHERE id = ?"));
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    return ArchitectureRecord{q->int64(0), q->text(1), q->text(2), q->text(3)};
}

std::vector<ArchitectureRecord> StoreReader::architecturesOfRun(int64_t runId) {
    StatementUse q(m_conn->prepare(
        "SELECT id, hash, name, network FROM architectures WHERE id IN (SELECT architecture_id "
        "FROM evaluations WHERE run_id = ?) ORDER BY id"));
    q->bind(1, runId);
    std::vector<ArchitectureRecord> out;
    while (q->step()) out.push_back({q->int64(0), q->text(1), q->text(2), q->text(3)});
    return out;
}

NetworkSpec StoreReader::architectureSpec(int64_t id) {
    const auto rec = architecture(id);
    if (!rec)
        throw ArchError("result store " + path().string() + " has no architecture " +
                        std::to_string(id));
    auto j = nlohmann::json::parse(rec->network);
    j["name"] = rec->name;
    return networkSpecFromJson(j, "architecture " + rec->hash + " in " + path().string());
}

// ---- ResultStore ----

ResultStore::ResultStore(const std::filesystem::path& path, OpenMode mode)
    : StoreReader(openWriter(path, mode)) {}

int64_t ResultStore::createRun(const std::string& kind, const nlohmann::json& params,
                               const nlohmann::json& machine, std::optional<int64_t> planned) {
    StatementUse q(
        connection().prepare("INSERT INTO runs(kind, params, status, planned, started_at, machine, "
                             "owner_pid, owner_host, heartbeat_unix) VALUES(?, ?, ?, ?, ?, ?, ?, "
                             "?, ?)"));
    q->bind(1, kind).bind(2, params.dump()).bind(3, kStatusRunning).bind(4, planned);
    // The creating process owns the new run until it stores a final status.
    const RunOwner self = thisProcess();
    const std::string now = utcTimestamp(true);
    q->bind(5, now).bind(6, machine.dump());
    q->bind(7, self.pid).bind(8, self.host).bind(9, self.heartbeatUnix);
    q->run();
    const int64_t id = sqlite3_last_insert_rowid(connection().handle());
    logStatus(id, kStatusCreated, {}, now);
    return id;
}

void ResultStore::logStatus(int64_t runId, const std::string& status, const std::string& message,
                            const std::string& at) {
    StatementUse q(connection().prepare(
        "INSERT INTO run_events(run_id, at, status, message) VALUES(?,?,?,?)"));
    q->bind(1, runId).bind(2, at).bind(3, status);
    if (message.empty())
        q->bindNull(4);
    else
        q->bind(4, message);
    q->run();
}

void ResultStore::setRunStatus(int64_t runId, const std::string& status,
                               const std::string& message) {
    const bool terminal =
        status == kStatusFinished || status == kStatusCancelled || status == kStatusFailed;
    // A final status also ends the lease: nobody works on the run any more.
    StatementUse q(connection().prepare(
        terminal ? "UPDATE runs SET status = ?, message = ?, ended_at = ?, owner_pid = NULL, "
                   "owner_host = NULL, heartbeat_unix = NULL WHERE id = ?"
                 : "UPDATE runs SET status = ?, message = ?, ended_at = ? WHERE id = ?"));
    q->bind(1, status);
    if (message.empty())
        q->bindNull(2);
    else
        q->bind(2, message);
    if (terminal)
        q->bind(3, utcTimestamp(true));
    else
        q->bindNull(3);
    q->bind(4, runId);
    q->run();
    if (sqlite3_changes(connection().handle()) > 0)
        logStatus(runId, status, message, utcTimestamp(true));
}

void requireNoOtherLiveOwner(const RunRecord& run) {
    const int64_t now = unixNow();
    if (run.owner && !isThisProcess(*run.owner) && ownerAlive(*run.owner, now)) {
        throw ArchError("run " + std::to_string(run.id) + " is being worked on by pid " +
                        std::to_string(run.owner->pid) + " on host " + run.owner->host +
                        " (heartbeat " + std::to_string(now - run.owner->heartbeatUnix) +
                        " s ago); it was left untouched. Wait for that process to end, or stop "
                        "it and `resume` takes the run over.");
    }
}

void ResultStore::takeRunLease(int64_t runId) {
    requireNoOtherLiveOwner(requireRun(runId));
    const RunOwner self = thisProcess();
    StatementUse q(connection().prepare(
        "UPDATE runs SET owner_pid = ?, owner_host = ?, heartbeat_unix = ? WHERE id = ?"));
    q->bind(1, self.pid).bind(2, self.host).bind(3, self.heartbeatUnix).bind(4, runId);
    q->run();
}

void ResultStore::renewRunLease(int64_t runId) {
    const RunOwner self = thisProcess();
    StatementUse q(
        connection().prepare("UPDATE runs SET heartbeat_unix = ? WHERE id = ? AND "
                             "owner_pid = ? AND owner_host = ?"));
    q->bind(1, self.heartbeatUnix).bind(2, runId).bind(3, self.pid).bind(4, self.host);
    q->run();
}

void ResultStore::setRunPlanned(int64_t runId, int64_t planned) {
    StatementUse q(connection().prepare("UPDATE runs SET planned = ? WHERE id = ?"));
    q->bind(1, planned).bind(2, runId);
    q->run();
}

int64_t ResultStore::internArchitecture(const NetworkSpec& spec) {
    return internArchitecture(networkHash(spec), spec.name, canonicalNetworkString(spec));
}

int64_t ResultStore::internArchitecture(const std::string& hash, const std::string& name,
                                        const std::string& canonicalNetwork) {
    {
        StatementUse find(connection().prepare("SELECT id FROM architectures WHERE hash = ?"));
        find->bind(1, hash);
        if (find->step()) return find->int64(0);
    }
    StatementUse q(
        connection().prepare("INSERT INTO architectures(hash, name, network) VALUES(?, ?, ?)"));
    q->bind(1, hash).bind(2, name).bind(3, canonicalNetwork);
    q->run();
    return sqlite3_last_insert_rowid(connection().handle());
}

void ResultStore::insertEvaluations(std::vector<Evaluation>& evaluations) {
    Transaction tx(connection());
    const std::string now = utcTimestamp(true);
    for (auto& e : evaluations) insertOne(e, now);
    tx.commit();
}

void ResultStore::insertEvaluation(Evaluation& evaluation) {
    Transaction tx(connection());
    insertOne(evaluation, utcTimestamp(true));
    tx.commit();
}

void ResultStore::insertOne(Evaluation& e, const std::string& now) {
    {
        StatementUse q(connection().prepare(
            "INSERT INTO evaluations(run_id, seq, architecture_id, platform, profile_version, "
            "batch, dtype, macs, params, predicted_ms, measured_median_ms, measured_p10_ms, "
            "measured_p90_ms, measured_reps, measured_context, accuracy, accuracy_estimator, "
            "accuracy_settings, accuracy_dataset, cost_s, method, created_at, runtime, "
            "accuracy_metric, error) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
        q->bind(1, e.runId).bind(2, e.seq).bind(3, e.architectureId);
        q->bind(4, e.platform).bind(5, e.profileVersion).bind(6, e.batch).bind(7, e.dtype);
        q->bind(8, e.macs).bind(9, e.params).bind(10, e.predictedMs);
        if (e.measured) {
            q->bind(11, e.measured->medianMs).bind(12, e.measured->p10Ms);
            q->bind(13, e.measured->p90Ms).bind(14, e.measured->reps);
            q->bind(15, e.measured->context.dump());
        }
        if (e.accuracy) {
            q->bind(16, e.accuracy->value).bind(17, e.accuracy->estimator);
            q->bind(18, e.accuracy->settings.dump()).bind(19, e.accuracy->dataset);
            q->bind(24, e.accuracy->metric);
        }
        q->bind(20, e.costSeconds).bind(21, e.method).bind(22, now).bind(23, e.runtime);
        q->bind(25, e.error);
        q->run();
    }
    e.id = sqlite3_last_insert_rowid(connection().handle());
    e.createdAt = now;
    if (e.layers.empty()) return;
    Statement& layer = connection().prepare(
        "INSERT INTO layer_costs(evaluation_id, idx, name, op, macs, params, bytes, "
        "predicted_ms, measured_ms) VALUES(?,?,?,?,?,?,?,?,?)");
    for (const auto& l : e.layers) {
        StatementUse q(layer);
        q->bind(1, e.id).bind(2, l.index).bind(3, l.name).bind(4, l.op).bind(5, l.macs);
        q->bind(6, l.params).bind(7, l.bytes).bind(8, l.predictedMs).bind(9, l.measuredMs);
        q->run();
    }
}

void ResultStore::setFront(int64_t runId, const std::vector<int64_t>& evaluationIds) {
    Transaction tx(connection());
    {
        StatementUse del(connection().prepare("DELETE FROM pareto WHERE run_id = ?"));
        del->bind(1, runId);
        del->run();
    }
    Statement& ins = connection().prepare("INSERT INTO pareto(run_id, evaluation_id) VALUES(?, ?)");
    for (int64_t id : evaluationIds) {
        StatementUse q(ins);
        q->bind(1, runId).bind(2, id);
        q->run();
    }
    tx.commit();
}

}  // namespace archscope::store
