// Latency measurement of real LibTorch networks: warm-up, repetitions, median and spread, the
// machine context with every figure; CUDA graphs where this LibTorch has them.
#include "measure.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <numeric>
#include <thread>

#include "arch/error.h"
#include "internal/modules.h"
#include "torchnetwork.h"

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

std::string utcTimestamp() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

/// Waits for queued GPU work so that wall-clock time covers it.
void sync(const TorchOptions& opts) {
    if (opts.device == TorchDevice::Cuda) torch::cuda::synchronize(opts.cudaIndex);
}

/// Times `run` (which must leave the device idle when `sync` is applied) after warm-up.
template <typename Run>
LatencyStats timeRuns(const TorchOptions& opts, const MeasureOptions& m, Run&& run) {
    for (int i = 0; i < m.warmup; ++i) run();
    sync(opts);
    std::vector<double> samples;
    samples.reserve(m.reps);
    for (int i = 0; i < m.reps; ++i) {
        const auto start = Clock::now();
        run();
        sync(opts);
        samples.push_back(msSince(start));
    }
    return summarizeLatencies(std::move(samples));
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
        return timeRuns(opts, m, [&] { graph.replay(); });
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

LatencyStats summarizeLatencies(std::vector<double> samples) {
    LatencyStats s;
    s.reps = static_cast<int>(samples.size());
    if (samples.empty()) return s;
    std::sort(samples.begin(), samples.end());
    auto quantile = [&](double q) {
        const double pos = q * double(samples.size() - 1);
        const size_t lo = static_cast<size_t>(pos);
        const size_t hi = std::min(lo + 1, samples.size() - 1);
        return samples[lo] + (pos - double(lo)) * (samples[hi] - samples[lo]);
    };
    s.medianMs = quantile(0.5);
    s.p10Ms = quantile(0.1);
    s.p90Ms = quantile(0.9);
    s.minMs = samples.front();
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
    c.timestamp = utcTimestamp();

    auto& module = built.impl().module;
    try {
        c10::InferenceMode inference;
        const torch::Tensor input = built.impl().makeInput();
        result.eager = timeRuns(opts, m, [&] { module->forward(input); });
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
