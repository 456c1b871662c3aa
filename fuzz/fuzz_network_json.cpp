// Architecture JSON: anything accepted must build and expand into layers whose costs are
// non-negative (checked 64-bit arithmetic; UBSan aborts on any overflow).
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "arch/expand.h"
#include "arch/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded()) return 0;
    try {
        const archscope::NetworkSpec spec = archscope::networkSpecFromJson(j, "fuzz");
        for (int batch : {1, 7}) {
            const auto layers = archscope::expandLayers(archscope::buildNetwork(spec), batch);
            const auto cost = archscope::totalCost(layers);
            if (cost.macs < 0 || cost.params < 0 || cost.activationElements < 0) std::abort();
        }
    } catch (const archscope::ArchError&) {
    }
    return 0;
}
