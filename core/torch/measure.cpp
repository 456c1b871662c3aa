// Latency measurement of real LibTorch networks: warm-up, repetitions, median and spread, the
// machine context with every figure; CUDA graphs where this LibTorch has them.
#include "measure.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <ctime>
#include <fstream>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <numeric>
#include <thread>

#include "analysis/statistics.h"
#include "arch/error.h"
#include "internal/modules.h"
#include "torchnetwork.h"
#include "util/timestamp.h"

// CUDA graphs need a CUDA LibTorch (sources.cmake defines ARCHSCOPE_TORCH_CUDA when
// TORCH_CUDA_LIBRARIES is set) and the CUDA headers. Debian's libtorch-dev is CPU-only: it ships
// ATen/cuda/CUDAGraph.h but neither cuda_runtime_api.h nor libtorch_cuda, so there the graph
// path compiles out and Measurement::graphNote says why.
#if defined(ARCHSCOPE_TORCH_CUDA) && __has_include(<ATen/cuda/CUDAGraph.h>) && \
    __has_include(<cuda_runtime_api.h>)
#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#define ARCHSCOPE_CUDA_GRAPHS 1
#endif

namespace archscope {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
}

/// Waits for queued GPU work so that wall-clock time covers it.
void sync(const TorchOptions& opts) {
    if (opts.device == TorchDevice::Cuda) torch::cuda::synchronize(opts.cudaIndex);
}

/// Both clocks over the same timed passes.
struct TimedRuns {
    LatencyStats wall;
    LatencyStats threadCpu;
};

/// The one timing loop: `run` (which must leave the device idle when `sync` is applied) after
/// warm-up, each pass on the wall clock and on the calling thread's CPU clock.
template <typename Run>
TimedRuns timeRuns(const TorchOptions& opts, const MeasureOptions& m, Run&& run) {
    for (int i = 0; i < m.warmup; ++i) run();
    sync(opts);
    std::vector<double> wall, cpu;
    wall.reserve(m.reps);
    cpu.reserve(m.reps);
    for (int i = 0; i < m.reps; ++i) {
        const auto start = Clock::now();
        const double cpu0 = threadCpuMs();
        run();
        sync(opts);
        cpu.push_back(threadCpuMs() - cpu0);
        wall.push_back(msSince(start));
    }
    return {summarizeLatencies(std::move(wall)), summarizeLatencies(std::move(cpu))};
}

/// The clock a measurement can really use: thread CPU time stands for latency only when all the
/// work runs on the calling thread (CPU, one intra-op thread).
TimingClock effectiveClock(const TorchOptions& opts, const MeasureOptions& m, int threads) {
    return m.clock == TimingClock::ThreadCpu && opts.device == TorchDevice::Cpu && threads == 1
               ? TimingClock::ThreadCpu
               : TimingClock::Wall;
}

#ifdef ARCHSCOPE_CUDA_GRAPHS
/// Captures one forward pass into a CUDA graph and times its replays; the input stays in place
/// (a graph replays fixed addresses).
std::optional<LatencyStats> timeCudaGraph(torchnet::ArchNet& module, const torch::Tensor& input,
                                          const TorchOptions& opts, const MeasureOptions& m,
                                          std::string& note) {
    try {
        c10::cuda::CUDAGuard deviceGuard(static_cast<c10::DeviceIndex>(opts.cudaIndex));
        auto stream = c10::cuda::getStreamFromPool();
        at::cuda::CUDAGraph graph;
        torch::Tensor output;
        {
            c10::cuda::CUDAStreamGuard streamGuard(stream);
            // Warm up on the capture stream first (cuDNN picks its algorithms outside capture).
            for (int i = 0; i < 3; ++i) output = module->forward(input);
            stream.synchronize();
            graph.capture_begin();
            output = module->forward(input);
            graph.capture_end();
        }
        sync(opts);
        return timeRuns(opts, m, [&] { graph.replay(); }).wall;
    } catch (const c10::Error& e) {
        std::string msg = e.what_without_backtrace();
        note = "CUDA graph capture failed: " + msg.substr(0, msg.find('\n'));
        return std::nullopt;
    }
}
#endif

std::vector<LayerLatency> timeStages(torchnet::ArchNet& module, const torch::Tensor& input,
                                     const TorchOptions& opts, const MeasureOptions& m) {
    const auto& stages = module->stages();
    std::vector<std::vector<double>> samples(stages.size());
    for (int rep = -m.warmup; rep < m.reps; ++rep) {
        torch::Tensor x = input;
        for (size_t i = 0; i < stages.size(); ++i) {
            const auto start = Clock::now();
            x = stages[i].second->forward(x);
            sync(opts);
            if (rep >= 0) samples[i].push_back(msSince(start));
        }
    }
    std::vector<LayerLatency> out;
    for (size_t i = 0; i < stages.size(); ++i) {
        out.push_back({stages[i].first, summarizeLatencies(std::move(samples[i])).medianMs});
    }
    return out;
}

}  // namespace

std::string_view timingClockName(TimingClock c) {
    return c == TimingClock::ThreadCpu ? "thread-cpu" : "wall";
}

std::optional<TimingClock> timingClockFromName(std::string_view name) {
    if (name == "wall") return TimingClock::Wall;
    if (name == "thread-cpu" || name == "cpu") return TimingClock::ThreadCpu;
    return std::nullopt;
}

std::string_view timingStatisticName(TimingStatistic s) {
    switch (s) {
        case TimingStatistic::Median:
            return "median";
        case TimingStatistic::P10:
            return "p10";
        case TimingStatistic::Min:
            return "min";
    }
    return "?";
}

std::optional<TimingStatistic> timingStatisticFromName(std::string_view name) {
    for (auto s : {TimingStatistic::Median, TimingStatistic::P10, TimingStatistic::Min}) {
        if (timingStatisticName(s) == name) return s;
    }
    return std::nullopt;
}

double pickStatistic(const LatencyStats& s, TimingStatistic which) {
    switch (which) {
        case TimingStatistic::Median:
            return s.medianMs;
        case TimingStatistic::P10:
            return s.p10Ms;
        case TimingStatistic::Min:
            return s.minMs;
    }
    return s.medianMs;
}

std::string describeTiming(TimingClock clock, TimingStatistic statistic, int reps, int warmup,
                           bool steadyAllocator) {
    return std::string(clock == TimingClock::ThreadCpu ? "thread CPU time" : "wall clock") + ", " +
           std::string(timingStatisticName(statistic)) + " of " + std::to_string(reps) +
           " passes after " + std::to_string(warmup) + " warm-up, " +
           (steadyAllocator ? "steady allocator" : "default allocator");
}

std::string describeTiming(const MeasureContext& c) {
    return describeTiming(c.clock, c.statistic, c.reps, c.warmup, c.steadyAllocator);
}

bool makeAllocatorSteady() {
#if defined(__GLIBC__)
    // 32 MiB is the largest mmap threshold glibc accepts (HEAP_MAX_SIZE / 2 on 64-bit).
    const bool mmap = mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1;
    const bool trim = mallopt(M_TRIM_THRESHOLD, INT_MAX) == 1;
    return mmap && trim;
#else
    return false;
#endif
}

LatencyStats summarizeLatencies(std::vector<double> samples) {
    LatencyStats s;
    s.reps = static_cast<int>(samples.size());
    if (samples.empty()) return s;
    s.medianMs = analysis::median(samples);
    s.p10Ms = analysis::quantile(samples, 0.1);
    s.p90Ms = analysis::quantile(samples, 0.9);
    s.minMs = *std::min_element(samples.begin(), samples.end());
    s.meanMs = std::accumulate(samples.begin(), samples.end(), 0.0) / double(samples.size());
    return s;
}

std::string libtorchVersion() {
    return TORCH_VERSION;
}

bool cudaGraphsCompiledIn() {
#ifdef ARCHSCOPE_CUDA_GRAPHS
    return true;
#else
    return false;
#endif
}

bool cudaAvailable() {
    try {
        return torch::cuda::is_available();
    } catch (const c10::Error&) {
        return false;
    }
}

std::string torchDeviceDescription(TorchDevice device, int cudaIndex) {
    if (device == TorchDevice::Cuda) {
#ifdef ARCHSCOPE_CUDA_GRAPHS
        if (cudaAvailable()) return at::cuda::getDeviceProperties(cudaIndex)->name;
#endif
        return "CUDA device " + std::to_string(cudaIndex);
    }
    std::ifstream in("/proc/cpuinfo");
    std::string line, model = "unknown CPU";
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos)
                model = line.substr(line.find_first_not_of(" \t", colon + 1));
            break;
        }
    }
    return model + " (" + std::to_string(std::thread::hardware_concurrency()) + " logical CPUs)";
}

int configureTorchRuntime(int threads, TorchDevice device, TorchDtype dtype) {
    torch::set_num_threads(threads > 0 ? threads
                                       : std::max(1, int(std::thread::hardware_concurrency())));
    // Untrained weights can shrink activations layer after layer into denormals, which x86
    // computes far slower; trained weights do not, so flush them (Python:
    // torch.set_flush_denormal).
    at::globalContext().setFlushDenormal(true);
    // Let cuDNN pick the fastest algorithm per shape, as torch.backends.cudnn.benchmark does.
    if (device == TorchDevice::Cuda) at::globalContext().setBenchmarkCuDNN(true);
    // TF32 only when asked for: --dtype fp32 then means fp32 math, as the profiles' fp32 peak does
    // (PyTorch's own default lets cuDNN use TF32; measure that with --dtype tf32).
    at::globalContext().setAllowTF32CuDNN(dtype == TorchDtype::Tf32);
    at::globalContext().setAllowTF32CuBLAS(dtype == TorchDtype::Tf32);
    return torch::get_num_threads();
}

Measurement measureNetwork(const Network& net, const TorchOptions& opts, const MeasureOptions& m) {
    if (m.reps < 1) throw ArchError("--reps must be >= 1");
    if (m.warmup < 0) throw ArchError("--warmup must be >= 0");
    validateTorchOptions(opts);
    configureTorchRuntime(m.threads, opts.device, opts.dtype);
    // Before the network allocates anything, so that its tensors come from the steady heap.
    // Sticky for the process, so the context reports the heap's real state.
    static std::atomic<bool> steadyHeap{false};
    if (m.steadyAllocator && !steadyHeap.load()) steadyHeap = makeAllocatorSteady();

    TorchNetwork built(net, opts);  // refuses a network too large for memory before allocating
    Measurement result;
    result.model = net.name();
    result.params = built.parameterCount();
    MeasureContext& c = result.context;
    c.device = torchDeviceDescription(opts.device, opts.cudaIndex);
    c.deviceKind = std::string(torchDeviceName(opts.device));
    c.libtorchVersion = libtorchVersion();
    c.threads = torch::get_num_threads();
    c.dtype = std::string(torchDtypeName(opts.dtype));
    c.batch = opts.batch;
    c.resolution = built.network().resolution;
    c.channelsLast = opts.channelsLast;
    c.warmup = m.warmup;
    c.reps = m.reps;
    c.clock = effectiveClock(opts, m, c.threads);
    c.statistic = m.statistic;
    c.steadyAllocator = steadyHeap.load();
    c.timestamp = utcTimestamp();

    auto& module = built.impl().module;
    try {
        c10::InferenceMode inference;
        const torch::Tensor input = built.impl().makeInput();
        const TimedRuns runs = timeRuns(opts, m, [&] { module->forward(input); });
        result.eagerWall = runs.wall;
        result.eager = c.clock == TimingClock::ThreadCpu ? runs.threadCpu : runs.wall;
        result.latencyMs = pickStatistic(result.eager, c.statistic);
        if (opts.device != TorchDevice::Cuda) {
            result.graphNote = "CUDA graphs apply to --device cuda only";
        } else if (!m.cudaGraph) {
            result.graphNote = "CUDA graph not requested";
        } else {
#ifdef ARCHSCOPE_CUDA_GRAPHS
            result.graph = timeCudaGraph(module, input, opts, m, result.graphNote);
#else
            result.graphNote = "this LibTorch build has no CUDA graph support compiled in";
#endif
        }
        if (m.perLayer) result.layers = timeStages(module, input, opts, m);
    } catch (...) {
        torchnet::rethrowAsArchError("measuring \"" + net.name() + "\"");
    }
    return result;
}

}  // namespace archscope
