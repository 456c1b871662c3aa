#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arch/network.h"
#include "options.h"

namespace archscope {

/// What a pass's time is read from. On a shared machine the wall clock also counts the time the
/// measuring thread waits for a CPU; with one intra-op thread all of LibTorch's CPU work runs on
/// the calling thread, so that thread's CPU time is the latency of an idle core. ThreadCpu applies
/// to the CPU at one thread only; elsewhere the wall clock is used and the context says so.
enum class TimingClock { Wall, ThreadCpu };
std::string_view timingClockName(TimingClock c);                        ///< "wall", "thread-cpu"
std::optional<TimingClock> timingClockFromName(std::string_view name);  ///< also "cpu"

/// Which statistic of the timed passes stands for a network's latency.
enum class TimingStatistic { Median, P10, Min };
std::string_view timingStatisticName(TimingStatistic s);  ///< "median", "p10", "min"
std::optional<TimingStatistic> timingStatisticFromName(std::string_view name);

/// How to measure, google/benchmark style: warm-up runs, then timed repetitions. `measure`,
/// `calibrate` and a search's measured latency all time networks through measureNetwork() with
/// these settings, so a profile calibrated here predicts what `measure` prints with the same
/// settings (docs/calibration.md, "One timing routine").
struct MeasureOptions {
    int warmup = 5;
    int reps = 30;
    int threads = 0;  ///< intra-op threads; 0 = every logical CPU
    TimingClock clock = TimingClock::Wall;
    TimingStatistic statistic = TimingStatistic::Median;
    /// Tell glibc's malloc to keep freed memory (no mmap below 32 MiB, no trimming), as the
    /// jemalloc/tcmalloc that PyTorch's CPU tuning guide recommends do. Otherwise eager LibTorch
    /// faults in fresh pages for some large tensors on every pass, depending on the heap's
    /// history: the same depthwise conv then takes 7 or 29 ms (docs/calibration.md).
    /// Process-wide and sticky: once set it stays for the process.
    bool steadyAllocator = true;
    bool cudaGraph = true;  ///< on CUDA, also time a captured CUDA graph replay
    bool perLayer = false;  ///< also time each stage (stem, blockN, head) on its own
};

/// "wall clock, median of 30 passes after 5 warm-up, steady allocator": how a figure was timed.
std::string describeTiming(TimingClock clock, TimingStatistic statistic, int reps, int warmup,
                           bool steadyAllocator);

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
double pickStatistic(const LatencyStats& s, TimingStatistic which);

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
    int reps = 0;
    TimingClock clock = TimingClock::Wall;  ///< the clock actually used
    TimingStatistic statistic = TimingStatistic::Median;
    bool steadyAllocator = false;  ///< whether the allocator took the steady settings
    std::string timestamp;         ///< UTC, ISO 8601
};
/// describeTiming() of a context.
std::string describeTiming(const MeasureContext& c);

struct Measurement {
    std::string model;
    int64_t params = 0;
    MeasureContext context;
    double latencyMs = 0.0;             ///< the headline: context.statistic of `eager`
    LatencyStats eager;                 ///< on context.clock
    LatencyStats eagerWall;             ///< the same passes on the wall clock
    std::optional<LatencyStats> graph;  ///< CUDA graph replay, when captured
    std::string graphNote;              ///< why there is no graph figure, if there is none
    std::vector<LayerLatency> layers;   ///< per stage, when MeasureOptions::perLayer
};

/// Builds `net` for real and times inference under c10::InferenceMode. Throws ArchError (never
/// crashes) for a missing CUDA device, an unsupported dtype, a network too large for memory
/// (refused from the IR estimate before allocating) or a LibTorch failure.
Measurement measureNetwork(const Network& net, const TorchOptions& opts,
                           const MeasureOptions& measure);

/// Keeps freed memory in the process (see MeasureOptions::steadyAllocator). Returns whether the
/// allocator took the settings (glibc only).
bool makeAllocatorSteady();

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
