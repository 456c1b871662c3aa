// Measurement and trace imports (archscope-cli measure --json, PyTorch Chrome traces, XProf
// trace-viewer JSON): anything accepted must carry only finite, non-negative times.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "store/import.h"

namespace {
bool bad(double ms) {
    return !std::isfinite(ms) || ms < 0.0;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded()) return 0;
    try {
        const auto plan = archscope::store::readImportDocument(j, "fuzz", {});
        for (const auto& m : plan.models) {
            const auto& lat = *m.evaluation.measured;
            if (bad(lat.medianMs) || bad(lat.p10Ms) || bad(lat.p90Ms) || lat.reps < 0) std::abort();
            for (const auto& l : m.evaluation.layers)
                if (l.measuredMs && bad(*l.measuredMs)) std::abort();
        }
    } catch (const archscope::ArchError&) {
    }
    return 0;
}
