// Seconds per candidate of the accuracy estimators on this machine: the NASWOT zero-cost score
// (real network, own resolution) and proxy training with the default ProxySettings. One
// iteration each: a proxy candidate takes tens of seconds. Zero-cost uses Gaussian input when
// dataset-fashion-mnist is missing; proxy then reports an error.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <optional>

#include "torch/proxy_train.h"
#include "torch/zero_cost.h"
#include "zoo/zoo.h"

namespace {

using namespace archscope;

bool haveDataset() {
    return std::filesystem::is_directory(kDefaultDatasetFolder);
}

void BM_ZeroCostNaswot(benchmark::State& state, const char* model) {
    const NetworkSpec spec = *zooSpec(model);
    ZeroCostSettings s;
    s.gaussianInput = !haveDataset();
    s.batch = int(state.range(0));
    std::optional<Dataset> data;
    if (!s.gaussianInput) data = loadDataset(s.dataFolder, 10000, 1);
    double score = 0.0;
    for (auto _ : state) {
        score = estimateZeroCost(spec, data ? &*data : nullptr, s).value;
    }
    state.counters["naswot"] = score;  // the Time column is seconds per candidate
}

void BM_ProxyTraining(benchmark::State& state, const char* model) {
    if (!haveDataset()) {
        state.SkipWithError("dataset-fashion-mnist is not installed");
        return;
    }
    const NetworkSpec spec = *zooSpec(model);
    const ProxySettings s;
    const Dataset data = loadDataset(s.dataFolder, s.trainSubset, s.testSubset);
    double accuracy = 0.0;
    for (auto _ : state) accuracy = estimateProxyAccuracy(spec, data, s).value;
    state.counters["top1_%"] = accuracy;
    state.counters["minutes/candidate"] =
        benchmark::Counter(double(state.iterations()) * 60.0,
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace

BENCHMARK_CAPTURE(BM_ZeroCostNaswot, efficientnet_b0, "efficientnet-b0")
    ->Arg(32)
    ->Iterations(3)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_ZeroCostNaswot, efficientnet_x_tpu_b0, "efficientnet-x-tpu-b0")
    ->Arg(32)
    ->Iterations(3)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_ProxyTraining, efficientnet_b0, "efficientnet-b0")
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_ProxyTraining, efficientnet_x_tpu_b0, "efficientnet-x-tpu-b0")
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

BENCHMARK_MAIN();
