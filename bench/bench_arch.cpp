// How many networks per second the IR builds, expands into layers and costs (B0-size).
#include <benchmark/benchmark.h>

#include "arch/expand.h"
#include "zoo/zoo.h"

namespace {

void BM_BuildExpandCost(benchmark::State& state, const char* model) {
    const archscope::NetworkSpec spec = *archscope::zooSpec(model);
    for (auto _ : state) {
        archscope::Network net = archscope::buildNetwork(spec);
        auto layers = archscope::expandLayers(net, 1);
        auto cost = archscope::totalCost(layers);
        benchmark::DoNotOptimize(cost);
    }
    state.counters["networks/s"] =
        benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_ParseBlockString(benchmark::State& state) {
    for (auto _ : state) {
        auto args = archscope::parseBlockString("r2_k3_s22_e6_i16_o24_se0.25_f1_d2_a1");
        benchmark::DoNotOptimize(args);
    }
}

}  // namespace

BENCHMARK_CAPTURE(BM_BuildExpandCost, efficientnet_b0, "efficientnet-b0");
BENCHMARK_CAPTURE(BM_BuildExpandCost, efficientnet_x_tpu_b0, "efficientnet-x-tpu-b0");
BENCHMARK_CAPTURE(BM_BuildExpandCost, efficientnet_b7, "efficientnet-b7");
BENCHMARK(BM_ParseBlockString);
BENCHMARK_MAIN();
