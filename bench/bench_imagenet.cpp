// Throughput of the imagenet accuracy predictor per candidate (features from the IR + ridge
// prediction), and of the estimator a search calls. A search needs >= 10,000 candidates/min.
#include <benchmark/benchmark.h>

#include "search/evaluators.h"
#include "search/imagenet_predictor.h"
#include "zoo/zoo.h"

using namespace archscope;

static void BM_ImagenetEstimate(benchmark::State& state, const char* model) {
    registerCoreEvaluators();
    const auto& kind = findAccuracyEstimator("imagenet");
    const EstimateFn fn = kind.make(kind.resolveSettings({}));
    const NetworkSpec spec = *zooSpec(model);
    for (auto _ : state) benchmark::DoNotOptimize(fn(spec, {}).value);
    state.SetItemsProcessed(state.iterations());
}

static void BM_ImagenetFit(benchmark::State& state) {
    const auto rows = imagenetRows(loadPublishedImagenet(publishedImagenetPath()));
    for (auto _ : state) benchmark::DoNotOptimize(ImagenetPredictor(rows).looRms());
}

BENCHMARK_CAPTURE(BM_ImagenetEstimate, efficientnet_b0, "efficientnet-b0");
BENCHMARK_CAPTURE(BM_ImagenetEstimate, efficientnet_b7, "efficientnet-b7");
BENCHMARK(BM_ImagenetFit);
BENCHMARK_MAIN();
