#include "memoryestimate.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "arch/error.h"
#include "arch/expand.h"

namespace archscope {
namespace {

std::string gib(int64_t bytes) {
    std::ostringstream s;
    s.precision(2);
    s << std::fixed << double(bytes) / (1024.0 * 1024.0 * 1024.0) << " GiB";
    return s.str();
}

}  // namespace

Network withResolution(const Network& net, int resolution) {
    Network out = net;
    if (resolution > 0) {
        out.resolution = resolution;
        out.spec.scaling.resolution = resolution;
    }
    return out;
}

MemoryEstimate estimateInferenceMemory(const Network& net, const TorchOptions& opts) {
    const Network sized = withResolution(net, opts.resolution);
    const auto layers = expandLayers(sized, std::max(1, opts.batch));
    int64_t params = 0;
    int64_t largestOutput = 0;
    for (const auto& l : layers) {
        params += l.params;
        largestOutput = std::max(largestOutput, l.outputElements);
    }
    const int bytes = torchDtypeBytes(opts.dtype);
    const int64_t input =
        int64_t(opts.batch) * sized.resolution * sized.resolution * sized.spec.inputChannels;
    MemoryEstimate e;
    e.weightBytes = params * bytes + params * 4;
    e.activationBytes = (4 * largestOutput + input) * bytes;
    return e;
}

std::optional<int64_t> availableRamBytes() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    int64_t value = 0;
    std::string unit;
    while (in >> key >> value) {
        std::getline(in, unit);
        if (key == "MemAvailable:") return value * 1024;  // the file gives kB
    }
    return std::nullopt;
}

void checkFitsInMemory(const Network& net, const TorchOptions& opts,
                       std::optional<int64_t> availableBytes, const char* memoryName) {
    if (!availableBytes) return;
    const MemoryEstimate e = estimateInferenceMemory(net, opts);
    if (e.total() <= *availableBytes) return;
    throw ArchError("\"" + net.name() + "\" at batch " + std::to_string(opts.batch) + " and " +
                    std::to_string(withResolution(net, opts.resolution).resolution) +
                    " px needs about " + gib(e.total()) + " (weights " + gib(e.weightBytes) +
                    ", activations " + gib(e.activationBytes) +
                    ", estimated from the IR) but only " + gib(*availableBytes) + " of " +
                    memoryName + " is available; use a smaller --batch or resolution");
}

}  // namespace archscope
