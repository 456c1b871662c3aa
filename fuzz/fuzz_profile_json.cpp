// Platform profiles: anything accepted must predict a finite, positive latency for a network.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "zoo/zoo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded()) return 0;
    try {
        const archscope::Profile p = archscope::profileFromJson(j, "fuzz");
        const double s =
            archscope::predictModel(p, *archscope::zooSpec("efficientnet-b0"), 1, p.defaultDtype)
                .latencySeconds;
        if (!std::isfinite(s) || !(s > 0.0)) std::abort();
    } catch (const archscope::ArchError&) {
    }
    return 0;
}
