// LibTorch inference throughput of real networks on the CPU (batch 1, fp32), and how long
// building one takes. Threads: ARCHSCOPE_BENCH_THREADS, default every logical CPU.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "torch/measure.h"
#include "torch/torchnetwork.h"
#include "zoo/zoo.h"

namespace {

int benchThreads() {
    const char* env = std::getenv("ARCHSCOPE_BENCH_THREADS");
    return env ? std::atoi(env) : 0;
}

void BM_Forward(benchmark::State& state, const char* model, bool channelsLast) {
    state.counters["threads"] = archscope::configureTorchRuntime(
        benchThreads(), archscope::TorchDevice::Cpu, archscope::TorchDtype::Float32);
    archscope::TorchOptions opts;
    opts.channelsLast = channelsLast;
    archscope::TorchNetwork net(archscope::buildNetwork(*archscope::zooSpec(model)), opts);
    net.infer();  // warm-up: allocations and oneDNN primitive caches
    for (auto _ : state) net.infer();
    state.counters["images/s"] =
        benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_Build(benchmark::State& state, const char* model) {
    const archscope::Network net = archscope::buildNetwork(*archscope::zooSpec(model));
    for (auto _ : state) {
        archscope::TorchNetwork built(net, {});
        benchmark::DoNotOptimize(built.parameterCount());
    }
}

}  // namespace

BENCHMARK_CAPTURE(BM_Forward, efficientnet_b0, "efficientnet-b0", false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Forward, efficientnet_b0_channels_last, "efficientnet-b0", true)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Forward, mobilenet_v2, "mobilenet-v2", false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Forward, efficientnet_x_tpu_b0, "efficientnet-x-tpu-b0", false)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Build, efficientnet_b0, "efficientnet-b0")->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
