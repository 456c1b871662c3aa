#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arch/network.h"
#include "options.h"

namespace archscope {

/// How to measure, google/benchmark style: warm-up runs, then timed repetitions.
struct MeasureOptions {
    int warmup = 5;
    int reps = 30;
    int threads = 0;        ///< intra-op threads; 0 = every logical CPU
    bool cudaGraph = true;  ///< on CUDA, also time a captured CUDA graph replay
    bool perLayer = false;  ///< also time each stage (stem, blockN, head) on its own
};

/// Summary of repeated timings. Percentiles interpolate linearly between order statistics
/// (numpy's default), so p10 <= median <= p90.
struct LatencyStats {
    double medianMs = 0.0;
    double p10Ms = 0.0;
    double p90Ms = 0.0;
    double minMs = 0.0;
    double meanMs = 0.0;
    int reps = 0;
};
LatencyStats summarizeLatencies(std::vector<double> samplesMs);

/// Measured time of one stage, named like the IR's layers ("stem", "block3", "head").
struct LayerLatency {
    std::string name;
    double medianMs = 0.0;
};

/// The machine and settings a figure was taken with; stored with every figure.
struct MeasureContext {
    std::string device;      ///< "AMD EPYC 7B13 (2 logical CPUs)" or the CUDA device name
    std::string deviceKind;  ///< "cpu" | "cuda"
    std::string libtorchVersion;
    int threads = 0;
    std::string dtype;
    int batch = 1;
    int resolution = 0;
    bool channelsLast = false;
    int warmup = 0;
    std::string timestamp;  ///< UTC, ISO 8601
};

struct Measurement {
    std::string model;
    int64_t params = 0;
    MeasureContext context;
    LatencyStats eager;
    std::optional<LatencyStats> graph;  ///< CUDA graph replay, when captured
    std::string graphNote;              ///< why there is no graph figure, if there is none
    std::vector<LayerLatency> layers;   ///< per stage, when MeasureOptions::perLayer
};

/// Builds `net` for real and times inference under c10::InferenceMode. Throws ArchError (never
/// crashes) for a missing CUDA device, an unsupported dtype, a network too large for memory
/// (refused from the IR estimate before allocating) or a LibTorch failure.
Measurement measureNetwork(const Network& net, const TorchOptions& opts,
                           const MeasureOptions& measure);

/// Sets LibTorch's intra-op threads (0 = every logical CPU), flushes denormals and sets TF32 for
/// `dtype` (see measure.cpp for why); measureNetwork() calls it. Returns the thread count in
/// effect.
int configureTorchRuntime(int threads, TorchDevice device, TorchDtype dtype);

/// "AMD EPYC 7B13 (2 logical CPUs)" from /proc/cpuinfo, or the CUDA device's name.
std::string torchDeviceDescription(TorchDevice device, int cudaIndex = 0);
std::string libtorchVersion();
/// Whether this build can capture CUDA graphs (needs a CUDA LibTorch and its CUDA headers).
bool cudaGraphsCompiledIn();
bool cudaAvailable();

}  // namespace archscope
