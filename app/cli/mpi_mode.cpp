// --mpi: rank 0 runs the command, the other ranks evaluate (core/mpi).
#include "mpi_mode.h"

#include <chrono>
#include <iostream>

#include "arch/error.h"
#include "jobrunner.h"
#include "mpi/channel.h"
#include "mpi/pool.h"
#include "mpi/search_backend.h"
#include "search/searchrun.h"

namespace archscope::cli {

void addMpiOptions(CLI::App* cmd, MpiOptions& options) {
    cmd->add_flag("--mpi", options.enabled,
                  "Run as an MPI job (mpirun -n N): rank 0 searches and stores, the other ranks "
                  "evaluate");
    cmd->add_option("--mpi-heartbeat-timeout", options.heartbeatTimeoutS,
                    "Seconds without a word from a worker rank before it counts as lost")
        ->check(CLI::Range(2.0, 86400.0));
}

void runUnderMpi(const MpiOptions& options, const std::function<void(int)>& rank0) {
    mpi::Session session;
    if (session.size() < 2)
        throw ArchError(
            "--mpi needs at least 2 ranks (rank 0 searches, the others evaluate): "
            "start it as `mpirun -n 3 archscope-cli ... --mpi`");
    if (session.rank() != 0) {
        mpi::runWorker(session, mpi::taskEvaluatorFor);
        return;
    }
    mpi::WorkerPool pool(session, std::chrono::duration<double>(options.heartbeatTimeoutS));
    const auto local = searchBackendFactory(pool);
    registerSearchRunKind([&pool, local](const SearchRunParams& p, int64_t runId) {
        auto backend = local(p, runId);
        std::cerr << "archscope-cli: MPI: " << pool.workerCount()
                  << " evaluator ranks: " << pool.describe() << "\n";
        return backend;
    });
    try {
        rank0(pool.workerCount());
    } catch (const std::exception& e) {
        if (interruptedBySignal()) {
            // mpirun stops every rank with SIGTERM when one dies; rank 0 stored what finished.
            // No finalize: the ranks it would wait for are gone.
            const std::string gone = pool.goneOnThisHost();
            std::cerr << "archscope-cli: error: "
                      << (gone.empty() ? "the MPI job was stopped from outside"
                                       : gone + " exited, so mpirun stopped the job")
                      << ": " << e.what() << "\n";
            session.abandon();
        } else {
            std::cerr << "archscope-cli: error: " << e.what() << "\n";
            if (pool.anyLost() || !pool.shutdown(std::chrono::seconds(30))) {
                // With a rank gone, MPI_Finalize may wait for it forever: abort, which ends
                // every rank. The store is committed already.
                session.abort(1);
            }
        }
        throw CLI::RuntimeError(1);
    }
    if (!pool.shutdown(std::chrono::seconds(30))) {
        std::cerr << "archscope-cli: error: a worker rank did not acknowledge the end of the job\n";
        session.abort(1);
    }
}

}  // namespace archscope::cli
