#include "registry.h"

#include "arch/error.h"
#include "hw/runtime_io.h"
#include "util/json_input.h"

#include <algorithm>
#include <vector>

namespace archscope::cli {
namespace {

std::vector<std::pair<int, CommandAdder>>& registry() {
    static std::vector<std::pair<int, CommandAdder>> adders;  // filled during static init
    return adders;
}

}  // namespace

CommandRegistrar::CommandRegistrar(int order, CommandAdder adder) {
    registry().emplace_back(order, std::move(adder));
}

void addRegisteredCommands(CLI::App& app) {
    auto adders = registry();
    std::stable_sort(adders.begin(), adders.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [order, add] : adders) add(app);
}

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
