#include "registry.h"

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

}  // namespace archscope::cli
