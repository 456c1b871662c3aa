#include "registry.h"

#include "arch/error.h"
#include "hw/runtime_io.h"
#include "util/json_input.h"

namespace archscope::cli {
nlohmann::json parseAccuracySettings(const std::string& text) {
    if (text.empty()) return nlohmann::json::object();
    nlohmann::json j = jsonin::parseText(text, "--accuracy-settings");
    if (!j.is_object()) throw ArchError("--accuracy-settings must be a JSON object");
    return j;
}

std::string runtimeOptionHelp() {
    std::string names;
    for (const auto& n : listRuntimes()) names += (names.empty() ? "" : ", ") + n;
    return "Runtime the latency is predicted under: " + names +
           " or a runtime .json file (default: the profile's own; see `runtimes`)";
}

}  // namespace archscope::cli
