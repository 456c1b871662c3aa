#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "arch/network.h"
#include "store/records.h"
#include "store/sqlite.h"

namespace archscope::store {

/// The default database: userDataDir()/archscope.db.
std::filesystem::path defaultDatabasePath();

/// Read-only queries on a result store. Opens its own read-only connection, so in WAL mode it
/// never blocks the writer and sees the last committed state at the start of each query.
/// Threading: one object per thread (e.g. one for the GUI thread, one per loader thread).
class StoreReader {
public:
    /// Throws ArchError if the file is missing, not a database, newer than this code, or not yet
    /// created by a writer.
    explicit StoreReader(const std::filesystem::path& path);
    virtual ~StoreReader();
    StoreReader(const StoreReader&) = delete;
    StoreReader& operator=(const StoreReader&) = delete;

    const std::filesystem::path& path() const;
    /// PRAGMA quick_check: throws ArchError naming the file when a page is corrupt. O(file
    /// size): commands that read a whole run (runs, export) call it; per-query GUI readers do not.
    void requireIntact();

    std::vector<RunRecord> listRuns();
    std::optional<RunRecord> run(int64_t id);
    /// Throws ArchError naming the run and the database when there is no such run.
    RunRecord requireRun(int64_t id);
    int64_t evaluationCount(int64_t runId);
    /// All evaluations of a run in insertion order, without layers.
    std::vector<Evaluation> evaluations(int64_t runId);
    /// The evaluations stored after evaluation id `afterId` (what a live view has not seen yet).
    std::vector<Evaluation> evaluationsAfter(int64_t runId, int64_t afterId);
    /// Every status the run has had, oldest first ("created", "running", "cancelled", ...).
    /// Empty for runs stored before schema 4.
    std::vector<RunStatusEvent> statusHistory(int64_t runId);
    std::vector<LayerCost> layerCosts(int64_t evaluationId);
    /// The light rows for plotting a run (no JSON parsing).
    std::vector<PlotRow> plotRows(int64_t runId);
    /// The seq of every evaluation a run has stored, ascending (what resume skips).
    std::vector<int64_t> finishedSeqs(int64_t runId);
    /// Evaluation ids on the run's Pareto front.
    std::vector<int64_t> front(int64_t runId);
    std::optional<ArchitectureRecord> architecture(int64_t id);
    /// The architectures the run's evaluations use.
    std::vector<ArchitectureRecord> architecturesOfRun(int64_t runId);
    /// The NetworkSpec of a stored architecture (its first name restored).
    NetworkSpec architectureSpec(int64_t id);

protected:
    explicit StoreReader(std::unique_ptr<Connection> connection);
    /// The first column of `sql` (one `?` bound to runId) as integers, in the query's order.
    std::vector<int64_t> int64Column(const char* sql, int64_t runId);
    Connection& connection() { return *m_conn; }

private:
    std::unique_ptr<Connection> m_conn;
};

/// Throws ArchError "run N is being worked on by pid P on host H" when another live process
/// holds the run's lease (store/lease.h).
void requireNoOtherLiveOwner(const RunRecord& run);

/// Whether opening a writer may create the file.
enum class OpenMode { CreateIfMissing, ExistingOnly };

/// The writer: the ONE read-write connection of a database. Opening it creates or migrates the
/// schema. Threading: owned and used by a single thread (engine/storewriter.h runs it on its own
/// thread); readers use StoreReader on their own threads.
class ResultStore : public StoreReader {
public:
    /// Creates the file if absent (CreateIfMissing). An existing file is first checked through
    /// a read-only connection; ArchError (leaving the file unchanged) for a file that is not an
    /// Archscope store, is corrupt, or has a newer schema.
    explicit ResultStore(const std::filesystem::path& path,
                         OpenMode mode = OpenMode::CreateIfMissing);

    /// Groups the calls made while it lives into one transaction (commit() it).
    Transaction transaction() { return Transaction(connection()); }

    int64_t createRun(const std::string& kind, const nlohmann::json& params,
                      const nlohmann::json& machine, std::optional<int64_t> planned = {});
    /// Sets the status; a terminal status (finished/cancelled/failed) also sets ended_at.
    void setRunStatus(int64_t runId, const std::string& status, const std::string& message = {});
    void setRunPlanned(int64_t runId, int64_t planned);
    /// Makes this process the run's owner (store/lease.h). Throws ArchError "run N is being
    /// worked on by pid P on host H", changing nothing, while another live process owns it; a
    /// stale owner is taken over. A final status (setRunStatus) ends the lease.
    void takeRunLease(int64_t runId);
    /// Renews this process's heartbeat on a run it owns.
    void renewRunLease(int64_t runId);

    /// The id of the architecture, storing it first if its hash is new.
    int64_t internArchitecture(const NetworkSpec& spec);
    int64_t internArchitecture(const std::string& hash, const std::string& name,
                               const std::string& canonicalNetwork);

    /// Inserts the evaluations (and their layers) in one transaction; sets id and createdAt.
    void insertEvaluations(std::vector<Evaluation>& evaluations);
    void insertEvaluation(Evaluation& evaluation);

    /// Replaces the run's Pareto membership.
    void setFront(int64_t runId, const std::vector<int64_t>& evaluationIds);

private:
    void insertOne(Evaluation& evaluation, const std::string& now);
    void logStatus(int64_t runId, const std::string& status, const std::string& message,
                   const std::string& at);
};

}  // namespace archscope::store
