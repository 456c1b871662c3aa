// Adapters from the LibTorch estimators and measurement to the core's plain registry. No torch
// headers here: everything goes through core/torch's plain headers.
#include "evaluator_registry.h"

#include <memory>
#include <mutex>

#include "arch/error.h"
#include "measure.h"
#include "proxy_train.h"
#include "search/evaluators.h"
#include "supernet.h"
#include "zero_cost.h"

namespace archscope {
namespace {

using nlohmann::json;

// Defaults for search use. The zero-cost default scores a 16-image minibatch at 32x32: a
// search needs thousands of candidates per minute, and at 224x224 one B0-size forward pass of
// 32 images alone takes seconds on two cores (docs/estimators.md). Override with settings.
ZeroCostSettings zeroCostFrom(const json& s) {
    ZeroCostSettings z;
    z.dataFolder = s.value("data", std::string(kDefaultDatasetFolder));
    z.gaussianInput = s.value("gaussian_input", false);
    z.batch = s.value("batch", 16);
    z.resolution = s.value("resolution", 32);
    z.seed = s.value("seed", uint64_t(0));
    z.threads = s.value("threads", 1);
    if (z.batch < 2 || z.batch > 256) throw ArchError("zero-cost settings: batch must be 2..256");
    if (z.resolution < 0 || z.resolution > 1024)
        throw ArchError("zero-cost settings: resolution must be 0 (the network's) .. 1024");
    return z;
}

ProxySettings proxyFrom(const json& s) {
    ProxySettings p;
    p.dataFolder = s.value("data", std::string(kDefaultDatasetFolder));
    p.resolution = s.value("resolution", p.resolution);
    p.widthMultiplier = s.value("width", p.widthMultiplier);
    p.stemStride = s.value("stem_stride", p.stemStride);
    p.epochs = s.value("epochs", p.epochs);
    p.trainSubset = s.value("train_subset", p.trainSubset);
    p.testSubset = s.value("test_subset", p.testSubset);
    p.batchSize = s.value("batch_size", p.batchSize);
    p.learningRate = s.value("lr", p.learningRate);
    p.seed = s.value("seed", p.seed);
    p.threads = s.value("threads", p.threads);
    if (p.epochs < 1 || p.epochs > 100) throw ArchError("proxy settings: epochs must be 1..100");
    if (p.trainSubset < 0 || p.testSubset < 0)
        throw ArchError("proxy settings: subsets must be >= 0");
    return p;
}

json zeroCostJson(const ZeroCostSettings& z) {
    return {{"data", z.dataFolder.string()},
            {"gaussian_input", z.gaussianInput},
            {"batch", z.batch},
            {"resolution", z.resolution},
            {"seed", z.seed},
            {"threads", z.threads}};
}

json proxyJson(const ProxySettings& p) {
    return {{"data", p.dataFolder.string()},
            {"resolution", p.resolution},
            {"width", p.widthMultiplier},
            {"stem_stride", p.stemStride},
            {"epochs", p.epochs},
            {"train_subset", p.trainSubset},
            {"test_subset", p.testSubset},
            {"batch_size", p.batchSize},
            {"lr", p.learningRate},
            {"seed", p.seed},
            {"threads", p.threads}};
}

AccuracyResult toResult(const AccuracyEstimate& e) {
    json settings = e.settings;
    return {e.value,      e.estimator, e.metric + (e.unit.empty() ? "" : " (" + e.unit + ")"),
            e.dataset,    settings,    e.seconds,
            std::nullopt, false};
}

EstimateFn makeZeroCost(const json& s) {
    const ZeroCostSettings z = zeroCostFrom(s);
    // The minibatch comes from the dataset: read it once, not once per candidate.
    std::shared_ptr<const Dataset> data;
    if (!z.gaussianInput)
        data = std::make_shared<const Dataset>(loadDataset(z.dataFolder, 10000, 1));
    return [z, data](const NetworkSpec& spec, std::stop_token stop) {
        return toResult(estimateZeroCost(spec, data.get(), z, stop));
    };
}

EstimateFn makeProxy(const json& s) {
    const ProxySettings p = proxyFrom(s);
    auto data =
        std::make_shared<const Dataset>(loadDataset(p.dataFolder, p.trainSubset, p.testSubset));
    return [p, data](const NetworkSpec& spec, std::stop_token stop) {
        return toResult(estimateProxyAccuracy(spec, *data, p, stop));
    };
}

SupernetEvalSettings supernetFrom(const json& s) {
    SupernetEvalSettings e;
    e.bnImages = s.value("bn_images", e.bnImages);
    e.testImages = s.value("test_images", e.testImages);
    e.threads = s.value("threads", e.threads);
    if (s.contains("data")) e.dataFolder = s.at("data").get<std::string>();
    return e;
}

std::string supernetFile(const json& s) {
    const std::string file = s.value("file", std::string());
    if (file.empty())
        throw ArchError(
            "--accuracy supernet needs the supernet file (--supernet FILE, or "
            "{\"file\": ...} in the settings); train one with `archscope-cli supernet "
            "--space S --out FILE`");
    return file;
}

json supernetJson(const json& s) {
    const SupernetEvalSettings e = supernetFrom(s);
    json j = {{"file", supernetFile(s)},
              {"bn_images", e.bnImages},
              {"test_images", e.testImages},
              {"threads", e.threads}};
    if (!e.dataFolder.empty()) j["data"] = e.dataFolder.string();
    return j;
}

EstimateFn makeSupernet(const json& s) {
    auto evaluator = std::make_shared<const SupernetEvaluator>(supernetFile(s), supernetFrom(s));
    return [evaluator](const NetworkSpec& spec, std::stop_token stop) {
        // The trust check (rank agreement with proxy training) travels in the settings.
        return toResult(evaluator->estimate(spec, stop));
    };
}

MeasureFn makeMeasurer(TorchDevice device, const json& s) {
    TorchOptions options;
    options.device = device;
    options.batch = s.value("batch", 1);
    const std::string dtype = s.value("dtype", std::string("fp32"));
    options.dtype = toTorchDtype(parseDtype(dtype, "dtype for measurement"));
    MeasureOptions m;
    m.warmup = s.value("warmup", 3);
    m.reps = s.value("reps", 10);
    m.threads = s.value("threads", 0);
    return [options, m](const NetworkSpec& spec, std::stop_token) {
        const Measurement r = measureNetwork(buildNetwork(spec), options, m);
        const LatencyStats& stats = r.graph ? *r.graph : r.eager;
        MeasuredResult out;
        out.medianMs = stats.medianMs;
        out.p10Ms = stats.p10Ms;
        out.p90Ms = stats.p90Ms;
        out.reps = stats.reps;
        out.context = {{"device", r.context.device},
                       {"device_kind", r.context.deviceKind},
                       {"libtorch", r.context.libtorchVersion},
                       {"threads", r.context.threads},
                       {"dtype", r.context.dtype},
                       {"batch", r.context.batch},
                       {"warmup", r.context.warmup},
                       {"timing", describeTiming(r.context)},
                       {"cuda_graph", r.graph.has_value()},
                       {"timestamp", r.context.timestamp}};
        return out;
    };
}

}  // namespace

void registerTorchEvaluators() {
    static std::once_flag once;
    std::call_once(once, [] {
        registerAccuracyEstimator(
            {"zero-cost",
             "NASWOT score (Mellor et al., ICML 2021) of the untrained network on one minibatch",
             makeZeroCost, [](const json& s) { return zeroCostJson(zeroCostFrom(s)); }});
        registerAccuracyEstimator(
            {"proxy", "top-1 after short real training at proxy scale on Fashion-MNIST", makeProxy,
             [](const json& s) { return proxyJson(proxyFrom(s)); }});
        registerAccuracyEstimator(
            {"supernet",
             "top-1 on the proxy dataset with weights inherited from a trained weight-sharing "
             "supernet of the search space (archscope-cli supernet)",
             makeSupernet, supernetJson});
        registerLatencyMeasurer(
            {"cpu", [](const json& s) { return makeMeasurer(TorchDevice::Cpu, s); }});
        registerLatencyMeasurer(
            {"cuda", [](const json& s) { return makeMeasurer(TorchDevice::Cuda, s); }});
    });
}

}  // namespace archscope
