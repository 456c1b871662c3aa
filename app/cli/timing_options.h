#pragma once
// The timing options every measuring command shares (measure, calibrate), with one set of
// defaults: the same routine times the networks (torch/measure.h), so the same flags mean the
// same thing everywhere.
#ifdef ARCHSCOPE_HAS_TORCH

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "torch/measure.h"

namespace archscope::cli {

struct TimingArgs {
    int threads = 0;
    int reps = 30;
    int warmup = 5;
    std::string clock = "wall";
    std::string statistic = "median";
    bool defaultAllocator = false;
};

/// Adds --threads --reps --warmup --clock --statistic --default-allocator; `a` holds the defaults.
void addTimingOptions(CLI::App* cmd, TimingArgs& a);

/// The options as MeasureOptions; throws ArchError naming a bad --clock or --statistic.
MeasureOptions toMeasureOptions(const TimingArgs& a);

/// How figures were taken, as `measure --json` and `calibrate --json` print it ("context").
nlohmann::json measureContextJson(const MeasureContext& c);

}  // namespace archscope::cli

#endif  // ARCHSCOPE_HAS_TORCH
