#pragma once
// --batch, worded and bounded the same in every command that predicts or measures, starting at
// the one default batch the GUI uses too (arch/network.h).

#include <CLI/CLI.hpp>

namespace archscope::cli {

/// Adds --batch to `cmd`, writing into `batch` (which holds kDefaultBatch). `what` says what the
/// batch is for in this command ("latency", "measurement", ...).
CLI::Option* addBatchOption(CLI::App* cmd, int& batch, const char* what = "latency");

}  // namespace archscope::cli
