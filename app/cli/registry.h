#pragma once

#include <functional>
#include <CLI/CLI.hpp>

namespace archscope::cli {

/// Each commands_*.cpp registers its subcommands with a static CommandRegistrar; main() adds
/// them in `order` (so `--help` lists them in a stable, meaningful order).
using CommandAdder = std::function<void(CLI::App&)>;

struct CommandRegistrar {
    CommandRegistrar(int order, CommandAdder adder);
};

void addRegisteredCommands(CLI::App& app);

}  // namespace archscope::cli
