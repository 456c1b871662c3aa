// Networks predicted per second by the analytical platform model (B0-size, one core). The search
// loop needs >= 20,000/s including the layer expansion.
#include <benchmark/benchmark.h>

#include "arch/expand.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "zoo/zoo.h"

namespace {

/// Build + expand + predict: what the search loop pays per candidate.
void BM_BuildExpandPredict(benchmark::State& state, const char* model, const char* profile) {
    const archscope::NetworkSpec spec = *archscope::zooSpec(model);
    const archscope::Profile p = archscope::loadProfile(profile);
    for (auto _ : state) {
        const auto layers = archscope::expandLayers(archscope::buildNetwork(spec), 1);
        auto r = archscope::predictNetwork(p, layers, p.defaultDtype);
        benchmark::DoNotOptimize(r);
    }
    state.counters["networks/s"] =
        benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

/// The prediction alone, on layers expanded once.
void BM_PredictOnly(benchmark::State& state, const char* model, const char* profile) {
    const auto layers =
        archscope::expandLayers(archscope::buildNetwork(*archscope::zooSpec(model)), 1);
    const archscope::Profile p = archscope::loadProfile(profile);
    for (auto _ : state) {
        auto r = archscope::predictNetwork(p, layers, p.defaultDtype);
        benchmark::DoNotOptimize(r);
    }
    state.counters["networks/s"] =
        benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["layers"] = double(layers.size());
}

/// Per-group detail (what `show --hw` and the GUI use).
void BM_PredictGroups(benchmark::State& state, const char* model, const char* profile) {
    const auto layers =
        archscope::expandLayers(archscope::buildNetwork(*archscope::zooSpec(model)), 1);
    const archscope::Profile p = archscope::loadProfile(profile);
    for (auto _ : state) {
        auto g = archscope::predictGroups(p, layers, p.defaultDtype);
        benchmark::DoNotOptimize(g);
    }
    state.counters["networks/s"] =
        benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK_CAPTURE(BM_BuildExpandPredict, efficientnet_b0_tpuv3, "efficientnet-b0", "tpuv3");
BENCHMARK_CAPTURE(BM_BuildExpandPredict, efficientnet_x_tpu_b0_tpuv3, "efficientnet-x-tpu-b0",
                  "tpuv3");
BENCHMARK_CAPTURE(BM_BuildExpandPredict, efficientnet_b0_v100, "efficientnet-b0", "v100");
BENCHMARK_CAPTURE(BM_PredictOnly, efficientnet_b0_tpuv3, "efficientnet-b0", "tpuv3");
BENCHMARK_CAPTURE(BM_PredictOnly, efficientnet_b0_v100, "efficientnet-b0", "v100");
BENCHMARK_CAPTURE(BM_PredictOnly, efficientnet_b0_cpu, "efficientnet-b0", "cpu");
BENCHMARK_CAPTURE(BM_PredictGroups, efficientnet_b0_tpuv3, "efficientnet-b0", "tpuv3");
BENCHMARK_MAIN();
