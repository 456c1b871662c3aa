#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "engine/storewriter.h"

namespace archscope::cli {

/// `--db FILE`, or the user data folder's archscope.db when empty.
std::filesystem::path dbPath(const std::string& option);
void addDbOption(CLI::App* cmd, std::string& db);

/// Runs a stored run to its end on the engine, printing events (JSON lines with `json`, a
/// progress bar on a terminal otherwise); Ctrl-C (SIGINT) or SIGTERM cancels cooperatively and
/// the run stays resumable. Throws ArchError if the run failed. `summary`: print "run N: ...
/// stored" on stdout at the end (off when the caller prints its own document there).
void runToEnd(const std::shared_ptr<engine::StoreWriter>& writer, int64_t runId, bool json,
              int workers, bool summary = true);

/// Whether the last runToEnd was cancelled by SIGINT or SIGTERM.
bool interruptedBySignal();

}  // namespace archscope::cli
