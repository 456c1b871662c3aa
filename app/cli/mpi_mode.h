#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace archscope::cli {

/// The --mpi options that `search` and `resume` share.
struct MpiOptions {
    bool enabled = false;
    double heartbeatTimeoutS = 60.0;
};
void addMpiOptions(CLI::App* cmd, MpiOptions& options);

/// Under `mpirun -n N`: rank 0 runs `rank0(workers)` (the search loop and the one store
/// writer) while ranks 1..N-1 evaluate its networks and send the results back. Throws
/// ArchError when this binary has no MPI or the job has a single rank. Exits non-zero, after
/// saying why on stderr, when a worker is lost or rank 0 fails.
void runUnderMpi(const MpiOptions& options, const std::function<void(int workers)>& rank0);

}  // namespace archscope::cli
