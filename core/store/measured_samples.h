#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/calibrate.h"
#include "store/store.h"

namespace archscope::store {

/// Calibration samples from stored measurements (a `measure` run imported from a remote box, a
/// profiler trace, ...): every evaluation of the runs that has a measured latency becomes one
/// sample, its per-layer or per-stage measured rows summed into stages ("block3/dw" counts for
/// "block3"). `platforms` receives the platform names the evaluations carry. Throws ArchError
/// when the runs hold no measured evaluation.
std::vector<CalibrationSample> calibrationSamplesFromRuns(StoreReader& reader,
                                                          const std::vector<int64_t>& runIds,
                                                          std::vector<std::string>* platforms);

}  // namespace archscope::store
