// Search spaces: anything accepted must decode its base candidate into a network that builds.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "arch/expand.h"
#include "search/space.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded()) return 0;
    try {
        const archscope::SearchSpace s = archscope::searchSpaceFromJson(j, "fuzz");
        const auto spec = archscope::decodeCandidate(s, archscope::baseCandidate(s), "base");
        archscope::expandLayers(archscope::buildNetwork(spec), 1);
    } catch (const archscope::ArchError&) {
    }
    return 0;
}
