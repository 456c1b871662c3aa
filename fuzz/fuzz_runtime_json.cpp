// Runtime files (fusion rules, overheads, efficiencies) for each platform kind.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "hw/runtime_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded()) return 0;
    for (const char* kind : {"tpu", "gpu", "cpu"}) {
        try {
            archscope::runtimeFromJson(j, "fuzz", kind);
        } catch (const archscope::ArchError&) {
        }
    }
    return 0;
}
