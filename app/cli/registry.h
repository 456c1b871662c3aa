#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace archscope::cli {

// One function per commands_<group>.cpp adds its subcommands; main() calls them in the order
// `--help` lists them, so what the binary offers is read in one place.
void addArchCommands(CLI::App& app);        ///< zoo, show
void addExportArchCommands(CLI::App& app);  ///< export-arch
void addHwCommands(CLI::App& app);          ///< profiles, runtimes, predict, compare
void addValidateCommands(CLI::App& app);    ///< validate
void addSearchCommands(CLI::App& app);      ///< search, spaces
void addLacsCommands(CLI::App& app);        ///< lacs
void addEstimateCommands(CLI::App& app);    ///< estimate
void addStoreCommands(CLI::App& app);       ///< runs, export, sweep, resume
void addCalibrateFromCommand(CLI::App& app);
void addImportCommands(CLI::App& app);
#ifdef ARCHSCOPE_HAS_TORCH
void addTorchCommands(CLI::App& app);     ///< measure
void addCalibrateCommand(CLI::App& app);  ///< calibrate (measures on this machine)
void addSupernetCommands(CLI::App& app);  ///< supernet (train, --info, --check)
#endif

/// The help text of every --runtime option (lists the shipped runtimes).
std::string runtimeOptionHelp();

/// --accuracy-settings text as a JSON object ({} when empty); throws ArchError naming the option.
nlohmann::json parseAccuracySettings(const std::string& text);

}  // namespace archscope::cli
