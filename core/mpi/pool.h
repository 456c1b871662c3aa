#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "arch/error.h"
#include "mpi/channel.h"

namespace archscope::mpi {

/// A worker rank stopped answering: its process exited, or it sent nothing for the heartbeat
/// timeout. The message names the rank, its pid and host.
class WorkerLost : public ArchError {
public:
    WorkerLost(int rank, const std::string& message) : ArchError(message), m_rank(rank) {}
    int rank() const { return m_rank; }

private:
    int m_rank;
};

/// Rank 0's view of the worker ranks: who is idle, who evaluates what, who is still alive.
/// Liveness: every worker sends a heartbeat each second; one that is silent for
/// `heartbeatTimeout`, or whose process is gone (checked directly for workers on this host),
/// is lost. Threading: one thread at a time (rank 0's job thread, then its main thread).
class WorkerPool {
public:
    WorkerPool(const Session& session, std::chrono::duration<double> heartbeatTimeout);

    /// Waits for every worker's hello, then sends each the setup document. Throws ArchError
    /// when a worker cannot take it (its message) or does not say hello in time.
    void start(const nlohmann::json& setup);
    /// "rank 1 (pid 4242 on node-a), rank 2 (...)".
    std::string describe() const;
    int workerCount() const { return int(m_workers.size()); }
    /// Whether a worker was lost (then only MPI_Abort ends the job reliably).
    bool anyLost() const;
    /// The workers on this host whose process is gone ("MPI rank 1 (pid 42 on vm)"), for
    /// saying which rank made mpirun stop the job; empty if none is known.
    std::string goneOnThisHost() const;

    /// Ranks that are alive and have no task.
    std::vector<int> idle() const;
    void submit(int rank, const std::string& task);
    /// Waits (polling with Backoff) until at least one outcome arrived or `stop` is requested;
    /// returns (rank, outcome text) pairs. Throws WorkerLost when a worker is lost.
    std::vector<std::pair<int, std::string>> collect(std::stop_token stop);
    /// Sends Stop to every worker still alive and waits up to `timeout` for each Bye, dropping
    /// whatever else arrives. False if one did not answer (then only MPI_Abort ends the job).
    bool shutdown(std::chrono::duration<double> timeout);

private:
    struct Worker {
        int rank = 0;
        long pid = 0;
        std::string host;
        bool busy = false;
        bool lost = false;
        bool said = false;  ///< hello received
        std::chrono::steady_clock::time_point lastHeard;
    };
    Worker& worker(int rank) { return m_workers.at(size_t(rank - 1)); }
    std::string name(const Worker& w) const;
    bool processGone(const Worker& w) const;
    /// Handles one incoming message; an outcome is appended to `outcomes`.
    void handle(Message m, std::vector<std::pair<int, std::string>>* outcomes);
    void checkAlive();
    bool stopAll(std::chrono::duration<double> timeout);
    /// Throws WorkerLost when `rank` died while a message to or from it was in transfer.
    PeerCheck transferCheck();
    std::optional<Message> receive() { return tryReceive(-1, transferCheck()); }

    const Session& m_session;
    std::chrono::duration<double> m_timeout;
    std::vector<Worker> m_workers;  // rank r at index r - 1
};

}  // namespace archscope::mpi
