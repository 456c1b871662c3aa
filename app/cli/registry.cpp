#include "registry.h"

#include "arch/error.h"
#include "hw/runtime_io.h"

namespace archscope::cli {
nlohmann::json parseAccuracySettings(const std::string& text) {
    if (text.empty()) return nlohmann::json::object();
    try {
        nlohmann::json j = nlohmann::json::parse(text);
        if (!j.is_object()) throw ArchError("--accuracy-settings must be a JSON object");
        return j;
    } catch (const nlohmann::json::parse_error& e) {
        throw ArchError(std::string("--accuracy-settings is not valid JSON: ") + e.what());
    }
}

std::string runtimeOptionHelp() {
    std::string names;
    for (const auto& n : listRuntimes()) names += (names.empty() ? "" : ", ") + n;
    return "Runtime the latency is predicted under: " + names +
           " or a runtime .json file (default: the profile's own; see `runtimes`)";
}

}  // namespace archscope::cli
