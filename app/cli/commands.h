#pragma once

#include <CLI/CLI.hpp>

namespace archscope::cli {

// Each command group adds its subcommands to the app; callbacks throw on error.
void addArchCommands(CLI::App& app);  // zoo, show

}  // namespace archscope::cli
