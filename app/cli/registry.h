#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace archscope::cli {

/// Each commands_*.cpp registers its subcommands with a static CommandRegistrar; main() adds
/// them in `order` (so `--help` lists them in a stable, meaningful order).
using CommandAdder = std::function<void(CLI::App&)>;

struct CommandRegistrar {
    CommandRegistrar(int order, CommandAdder adder);
};

void addRegisteredCommands(CLI::App& app);

/// The help text of every --runtime option (lists the shipped runtimes).
std::string runtimeOptionHelp();

/// --accuracy-settings text as a JSON object ({} when empty); throws ArchError naming the option.
nlohmann::json parseAccuracySettings(const std::string& text);

}  // namespace archscope::cli
