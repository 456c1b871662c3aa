#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "arch/network.h"
#include "options.h"

namespace archscope {

/// What running a network for inference needs, estimated from the IR before allocating.
/// Method (an upper-bound estimate, not a measurement): weights = params x dtype bytes, plus the
/// fp32 copy they are built in; activations = 4 x the largest layer output (its input, its output,
/// a residual skip and an SE gate can be alive together under inference mode) + the input image.
struct MemoryEstimate {
    int64_t weightBytes = 0;
    int64_t activationBytes = 0;
    int64_t total() const { return weightBytes + activationBytes; }
};

MemoryEstimate estimateInferenceMemory(const Network& net, const TorchOptions& opts);

/// MemAvailable from /proc/meminfo, or nullopt where it cannot be read.
std::optional<int64_t> availableRamBytes();

/// How much memory this process may still take, and what sets that bound (for messages).
struct MemoryBudget {
    int64_t bytes = 0;
    std::string name;    ///< "RAM (MemAvailable in /proc/meminfo)", "... under `ulimit -v` ..."
    std::string remedy;  ///< what else to do besides a smaller --batch ("" for RAM)
};

/// What the kernel reports for this process: RLIMIT_AS / RLIMIT_DATA soft limits (nullopt when
/// unlimited) and the address space / data segment already in use (VmSize / VmData).
struct ProcessMemory {
    std::optional<int64_t> memAvailable;
    std::optional<int64_t> addressSpaceLimit;
    int64_t addressSpaceUsed = 0;
    std::optional<int64_t> dataLimit;
    int64_t dataUsed = 0;
};
ProcessMemory readProcessMemory();

/// The tightest of MemAvailable and the headroom left under `ulimit -v` (RLIMIT_AS) and
/// `ulimit -d` (RLIMIT_DATA): an allocation past either limit fails however much RAM is free.
/// nullopt when nothing is known.
std::optional<MemoryBudget> tightestBudget(const ProcessMemory& m);

/// Throws ArchError, naming the estimate and the available memory, when the network cannot fit.
/// `availableBytes` nullopt: nothing is known and nothing is refused.
void checkFitsInMemory(const Network& net, const TorchOptions& opts,
                       std::optional<int64_t> availableBytes, const std::string& memoryName,
                       const std::string& remedy = {});
/// The same against a budget.
void checkFitsInMemory(const Network& net, const TorchOptions& opts,
                       const std::optional<MemoryBudget>& budget);

/// The network with its input resolution replaced (0 keeps it).
Network withResolution(const Network& net, int resolution);

}  // namespace archscope
