// --mpi in a binary built without MPI: a clear error instead of a missing option.
#include "arch/error.h"
#include "mpi_mode.h"

namespace archscope::cli {

void addMpiOptions(CLI::App* cmd, MpiOptions& options) {
    cmd->add_flag("--mpi", options.enabled,
                  "Evaluate on the other ranks of an MPI job (not built in: configure with "
                  "-DARCHSCOPE_WITH_MPI=ON after installing libopenmpi-dev)");
}

void runUnderMpi(const MpiOptions&, const std::function<void(int)>&) {
    throw ArchError(
        "this archscope-cli was built without MPI; install libopenmpi-dev and "
        "openmpi-bin, configure with -DARCHSCOPE_WITH_MPI=ON and rebuild, or run "
        "without --mpi");
}

}  // namespace archscope::cli
