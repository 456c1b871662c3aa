#include "batch_option.h"

#include <string>

#include "arch/network.h"

namespace archscope::cli {

CLI::Option* addBatchOption(CLI::App* cmd, int& batch, const char* what) {
    const std::string help = std::string("Images per forward pass for ") + what + " (default " +
                             std::to_string(kDefaultBatch) +
                             ": one image, as in the GUI; larger = the throughput regime)";
    return cmd->add_option("--batch", batch, help)->check(CLI::Range(1, kMaxBatch));
}

}  // namespace archscope::cli
