#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hw/calibrate.h"
#include "store/store.h"

namespace archscope::store {

/// Where one stored measurement comes from: what calibrate-from checks and cites.
struct MeasuredSampleOrigin {
    std::string network;  ///< the architecture's name
    std::string archHash;
    int64_t runId = 0;
    std::optional<std::string> platform;  ///< the profile name the evaluation carries
    std::string device;                   ///< e.g. "AMD EPYC (2 logical CPUs)"; may be empty
    std::string deviceKind;               ///< "cpu", "gpu", "tpu"; empty when nothing says
    std::string deviceKindFrom;           ///< the stored fact the kind was read from
};

/// The kind of device ("cpu", "gpu", "tpu") that took a stored measurement, from what the
/// producer recorded: the measurement context's "device_kind" (measure, import of measure
/// --json: "cpu" or "cuda"), else the import format (an XProf trace is a TPU's; a PyTorch trace
/// is a GPU's when its run kept the trace's deviceProperties, else a CPU's), else the kind of
/// the profile the evaluation names (import --platform). Empty when none says; `from` receives
/// which fact decided.
std::string measuredDeviceKind(const MeasuredLatency& m, const nlohmann::json& runMachine,
                               const std::optional<std::string>& platform, std::string* from);

/// Calibration samples from stored measurements (a `measure` run imported from a remote box, a
/// profiler trace, ...): every evaluation of the runs that has a measured latency becomes one
/// sample, its per-layer or per-stage measured rows summed into stages ("block3/dw" counts for
/// "block3"). `origins` receives one entry per sample, in the same order. Throws ArchError
/// when the runs hold no measured evaluation.
std::vector<CalibrationSample> calibrationSamplesFromRuns(
    StoreReader& reader, const std::vector<int64_t>& runIds,
    std::vector<MeasuredSampleOrigin>* origins);

/// Throws ArchError, naming the problem and what to do, when the samples were measured on a
/// device of another kind than `base` (CPU timings fitted into a GPU profile), on devices of
/// several kinds, or on several different devices. Samples whose kind nothing records are not
/// checked (the caller says so).
void requireMatchingDevice(const std::vector<MeasuredSampleOrigin>& origins, const Profile& base);

/// The distinct networks (by architecture hash) of `origins`, as names, in first-seen order.
std::vector<std::string> distinctNetworks(const std::vector<MeasuredSampleOrigin>& origins);

/// Which samples to hold out of a fit: every sample of `count` distinct networks, chosen evenly
/// spread over the networks ordered by measured time (ties by name), so that the held-out ones
/// span the range rather than sit at one end. Deterministic. Throws ArchError unless
/// 0 <= count < the number of distinct networks.
std::vector<bool> holdoutMask(const std::vector<CalibrationSample>& samples,
                              const std::vector<MeasuredSampleOrigin>& origins, int count);

}  // namespace archscope::store
