#pragma once

#include <cstdint>
#include <optional>

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

/// Throws ArchError, naming the estimate and the available memory, when the network cannot fit.
/// `availableBytes` nullopt: nothing is known and nothing is refused.
void checkFitsInMemory(const Network& net, const TorchOptions& opts,
                       std::optional<int64_t> availableBytes, const char* memoryName);

/// The network with its input resolution replaced (0 keeps it).
Network withResolution(const Network& net, int resolution);

}  // namespace archscope
