#include "memoryestimate.h"

#include <sys/resource.h>
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

ProcessMemory readProcessMemory() {
    ProcessMemory m;
    m.memAvailable = availableRamBytes();
    auto limit = [](int resource) -> std::optional<int64_t> {
        rlimit r{};
        if (getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return std::nullopt;
        return static_cast<int64_t>(std::min<rlim_t>(r.rlim_cur, INT64_MAX));
    };
    m.addressSpaceLimit = limit(RLIMIT_AS);
    m.dataLimit = limit(RLIMIT_DATA);
    std::ifstream in("/proc/self/status");
    std::string key;
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        int64_t kb = 0;
        if (!(fields >> key >> kb)) continue;
        if (key == "VmSize:") m.addressSpaceUsed = kb * 1024;
        if (key == "VmData:") m.dataUsed = kb * 1024;
    }
    return m;
}

std::optional<MemoryBudget> tightestBudget(const ProcessMemory& m) {
    std::optional<MemoryBudget> best;
    auto consider = [&best](int64_t bytes, std::string name, std::string remedy) {
        bytes = std::max<int64_t>(0, bytes);
        if (!best || bytes < best->bytes)
            best = MemoryBudget{bytes, std::move(name), std::move(remedy)};
    };
    if (m.memAvailable) consider(*m.memAvailable, "RAM (MemAvailable in /proc/meminfo)", "");
    if (m.addressSpaceLimit) {
        consider(*m.addressSpaceLimit - m.addressSpaceUsed,
                 "address space left under the `ulimit -v` limit (RLIMIT_AS " +
                     gib(*m.addressSpaceLimit) + ", " + gib(m.addressSpaceUsed) + " in use)",
                 "raise `ulimit -v`");
    }
    if (m.dataLimit) {
        consider(*m.dataLimit - m.dataUsed,
                 "data segment left under the `ulimit -d` limit (RLIMIT_DATA " + gib(*m.dataLimit) +
                     ", " + gib(m.dataUsed) + " in use)",
                 "raise `ulimit -d`");
    }
    return best;
}

void checkFitsInMemory(const Network& net, const TorchOptions& opts,
                       const std::optional<MemoryBudget>& budget) {
    if (!budget) return;
    checkFitsInMemory(net, opts, budget->bytes, budget->name, budget->remedy);
}

void checkFitsInMemory(const Network& net, const TorchOptions& opts,
                       std::optional<int64_t> availableBytes, const std::string& memoryName,
                       const std::string& remedy) {
    if (!availableBytes) return;
    const MemoryEstimate e = estimateInferenceMemory(net, opts);
    if (e.total() <= *availableBytes) return;
    throw ArchError("\"" + net.name() + "\" at batch " + std::to_string(opts.batch) + " and " +
                    std::to_string(withResolution(net, opts.resolution).resolution) +
                    " px needs about " + gib(e.total()) + " (weights " + gib(e.weightBytes) +
                    ", activations " + gib(e.activationBytes) +
                    ", estimated from the IR) but only " + gib(*availableBytes) + " of " +
                    memoryName + " is available; use a smaller --batch or resolution" +
                    (remedy.empty() ? "" : ", or " + remedy));
}

}  // namespace archscope
