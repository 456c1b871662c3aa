// Measurement and trace imports (archscope-cli measure --json, PyTorch Chrome traces, XProf
// trace-viewer JSON): anything accepted must carry only finite, non-negative times, and the
// streamed reader (what `import FILE` uses) must read exactly what the parsed-document one reads.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "arch/error.h"
#include "store/import.h"

namespace {

using archscope::store::ImportPlan;

bool bad(double ms) {
    return !std::isfinite(ms) || ms < 0.0;
}

/// A plan as comparable text; aborts on an impossible time.
std::string summary(const ImportPlan& plan) {
    nlohmann::json out = {{"format", plan.format}, {"machine", plan.machine}};
    for (const auto& m : plan.models) {
        const auto& lat = *m.evaluation.measured;
        if (bad(lat.medianMs) || bad(lat.p10Ms) || bad(lat.p90Ms) || lat.reps < 0) std::abort();
        nlohmann::json layers = nlohmann::json::array();
        for (const auto& l : m.evaluation.layers) {
            if (l.measuredMs && bad(*l.measuredMs)) std::abort();
            layers.push_back(l.measuredMs ? *l.measuredMs : -1.0);
        }
        nlohmann::json unmatched = nlohmann::json::array();
        for (const auto& u : m.unmatched) unmatched.push_back({u.name, u.ms});
        out["models"].push_back({m.spec.name, lat.medianMs, lat.p10Ms, lat.p90Ms, lat.reps,
                                 m.matchedMs, m.unmatchedMs, m.layersMatched, layers, unmatched});
    }
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string streamed;
    try {
        std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
        streamed = summary(archscope::store::readImportStream(in, "fuzz", {}));
    } catch (const archscope::ArchError& e) {
        streamed = std::string("error: ") + e.what();
    } catch (const nlohmann::json::exception&) {
        streamed = "not JSON";
    }
    const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded()) {
        if (streamed != "not JSON") std::abort();  // the stream accepted what the parser refuses
        return 0;
    }
    std::string parsed;
    try {
        parsed = summary(archscope::store::readImportDocument(j, "fuzz", {}));
    } catch (const archscope::ArchError& e) {
        parsed = std::string("error: ") + e.what();
    }
    if (parsed != streamed) std::abort();
    return 0;
}
