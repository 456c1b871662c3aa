#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace archscope::mpi {

/// What the ranks of a job say to each other; every payload is JSON text.
enum class Tag : int {
    Hello = 1,    ///< worker -> 0 at start: {"pid":..,"host":..}
    Setup,        ///< 0 -> worker: {"kind":"search","params":{run params}}
    SetupFailed,  ///< worker -> 0: the worker cannot evaluate this run (message text)
    Task,         ///< 0 -> worker: one network to evaluate
    Outcome,      ///< worker -> 0: its outcome document
    Heartbeat,    ///< worker -> 0 every second: still alive (empty)
    Stop,         ///< 0 -> worker: abandon what you do, say Bye, finalize
    Bye,          ///< worker -> 0: nothing more will come from me
};

struct Message {
    int source = 0;
    Tag tag = Tag::Hello;
    std::string text;
};

/// MPI for the lifetime of the object: MPI_Init_thread (MPI_THREAD_SERIALIZED: rank 0's job
/// thread talks while the main thread waits) and MPI_Finalize. Errors return codes instead of
/// aborting, and every failed call throws ArchError naming it.
/// Threading: construct and destroy on the main thread; calls from one thread at a time.
class Session {
public:
    Session();
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    int rank() const { return m_rank; }
    int size() const { return m_size; }
    const std::string& host() const { return m_host; }
    /// Skip MPI_Finalize at destruction: mpirun is tearing the job down (a rank died), and the
    /// finalize barrier would wait for a rank that never comes.
    void abandon() { m_finalize = false; }
    /// Ends every rank of the job (a worker that does not answer cannot be finalized with).
    [[noreturn]] void abort(int code);

private:
    int m_rank = 0;
    int m_size = 1;
    std::string m_host;
    bool m_finalize = true;
};

/// Sleeps between polls, 0.5 ms doubling up to 20 ms: a waiting rank costs no core (OpenMPI's
/// blocking calls spin), yet answers within 20 ms. reset() after any activity.
class Backoff {
public:
    void sleep();
    void reset() { m_delay = kFirst; }

private:
    static constexpr std::chrono::microseconds kFirst{500};
    static constexpr std::chrono::microseconds kMost{20000};
    std::chrono::microseconds m_delay = kFirst;
};

/// Called with the peer's rank while a transfer waits; throws to give up on a peer that died in
/// the middle of a message (the transfer would otherwise never complete).
using PeerCheck = std::function<void(int peer)>;

/// Sends `text` with MPI_Isend and waits for completion by polling with Backoff.
void send(int dest, Tag tag, const std::string& text, const PeerCheck& check = {});
/// The next message from `source` (MPI_ANY_SOURCE by default), if one is waiting; received
/// with MPI_Irecv after MPI_Iprobe, polled with Backoff.
std::optional<Message> tryReceive(int source = -1, const PeerCheck& check = {});

}  // namespace archscope::mpi
