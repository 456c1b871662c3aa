// The `proxy` accuracy estimator: the candidate at proxy scale, trained from scratch with LibTorch
// and scored on the held-out test split. Also the image helpers the zero-cost score shares.
#include "proxy_train.h"

#include <chrono>
#include <cmath>
#include <numbers>

#include "internal/estimator_common.h"
#include "internal/modules.h"
#include "measure.h"
#include "torchnetwork.h"

namespace archscope {
namespace torchnet {

std::vector<int64_t> seededPermutation(int64_t n, uint64_t seed) {
    std::vector<int64_t> order(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) order[size_t(i)] = i;
    SplitMix64 rng(seed);
    for (int64_t i = n - 1; i > 0; --i) {
        std::swap(order[size_t(i)], order[size_t(rng.below(uint64_t(i) + 1))]);
    }
    return order;
}

torch::Tensor imagesToTensor(const ImageSet& set, int channels, int side, FitMode fit,
                             int64_t count) {
    if (count < 0 || count > set.count) count = set.count;
    if (set.channels != channels && !(set.channels == 1 && channels == 3)) {
        throw ArchError("the dataset has " + std::to_string(set.channels) +
                        "-channel images but the network takes " + std::to_string(channels));
    }
    // from_blob does not own the bytes: clone through the dtype conversion.
    torch::Tensor x = torch::from_blob(const_cast<uint8_t*>(set.pixels.data()),
                                       {count, set.channels, set.height, set.width}, torch::kUInt8)
                          .to(torch::kFloat32)
                          .div_(255.0);
    if (set.height != side || set.width != side) {
        namespace F = torch::nn::functional;
        if (fit == FitMode::PadOrResize && set.height <= side && set.width <= side) {
            const int64_t top = (side - set.height) / 2, left = (side - set.width) / 2;
            x = F::pad(x, F::PadFuncOptions(
                              {left, side - set.width - left, top, side - set.height - top}));
        } else {
            x = F::interpolate(x, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{side, side})
                                      .mode(torch::kBilinear)
                                      .align_corners(false));
        }
    }
    if (set.channels != channels) x = x.expand({-1, channels, -1, -1});
    return x.contiguous();
}

torch::Tensor standardize(const torch::Tensor& x, const torch::Tensor& reference) {
    const torch::Tensor mean = reference.mean({0, 2, 3}, /*keepdim=*/true);
    const torch::Tensor std = reference.std({0, 2, 3}, /*unbiased=*/false, /*keepdim=*/true);
    return (x - mean) / std.clamp_min(1e-6);
}

int applyThreads(int threads) {
    // measure.cpp's runtime setup: the thread count, and denormals flushed (untrained weights
    // produce them, and x86 computes them far slower).
    return configureTorchRuntime(threads, TorchDevice::Cpu, TorchDtype::Float32);
}

void setCosineLearningRate(torch::optim::Adam& optimizer, double base, int64_t step,
                           int64_t steps) {
    const double lr =
        0.5 * base * (1.0 + std::cos(std::numbers::pi * double(step) / double(steps)));
    for (auto& group : optimizer.param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
}

}  // namespace torchnet

using namespace torchnet;

namespace {

/// BatchNorm statistics recomputed as an exact average over `inputs` (precise BN). The TF
/// momentum the builder uses (0.99) would leave the running statistics near their initial values
/// after a short proxy training; evaluation needs statistics of the trained weights.
void recalibrateBatchNorm(ArchNet& net, const torch::Tensor& inputs, int batch,
                          const std::stop_token& stop) {
    std::vector<std::shared_ptr<torch::nn::BatchNorm2dImpl>> bns;
    for (const auto& m : net->modules(/*include_self=*/false)) {
        if (auto bn = std::dynamic_pointer_cast<torch::nn::BatchNorm2dImpl>(m)) bns.push_back(bn);
    }
    std::vector<c10::optional<double>> momenta;
    for (auto& bn : bns) {
        momenta.push_back(bn->options.momentum());
        bn->reset_running_stats();
        bn->options.momentum(c10::nullopt);  // cumulative average over the batches
    }
    torch::NoGradGuard noGrad;
    net->train();
    for (int64_t at = 0; at < inputs.size(0); at += batch) {
        if (stop.stop_requested()) throw EstimateCancelled();
        net->forward(inputs.slice(0, at, std::min<int64_t>(at + batch, inputs.size(0))));
    }
    for (size_t i = 0; i < bns.size(); ++i) bns[i]->options.momentum(momenta[i]);
    net->eval();
}

double testAccuracyPercent(ArchNet& net, const torch::Tensor& inputs, const torch::Tensor& labels,
                           const std::stop_token& stop) {
    c10::InferenceMode guard;
    net->eval();
    int64_t correct = 0;
    constexpr int64_t kEvalBatch = 500;
    for (int64_t at = 0; at < inputs.size(0); at += kEvalBatch) {
        if (stop.stop_requested()) throw EstimateCancelled();
        const int64_t end = std::min<int64_t>(at + kEvalBatch, inputs.size(0));
        const torch::Tensor predicted = net->forward(inputs.slice(0, at, end)).argmax(1);
        correct += predicted.eq(labels.slice(0, at, end)).sum().item<int64_t>();
    }
    return 100.0 * double(correct) / double(inputs.size(0));
}

torch::Tensor labelsTensor(const ImageSet& set) {
    return torch::tensor(std::vector<int64_t>(set.labels.begin(), set.labels.end()), torch::kInt64);
}

void validate(const ProxySettings& s) {
    auto require = [](bool ok, const std::string& what) {
        if (!ok) throw ArchError("proxy setting " + what);
    };
    require(s.resolution >= 8 && s.resolution <= 512, "resolution must be in 8..512");
    require(s.widthMultiplier > 0.0 && s.widthMultiplier <= 4.0,
            "width multiplier must be in (0, 4]");
    require(s.stemStride >= 1 && s.stemStride <= 4, "stem stride must be in 1..4");
    require(s.epochs >= 1, "epochs must be >= 1");
    require(s.batchSize >= 2, "batch size must be >= 2 (BatchNorm needs two images)");
    require(s.trainSubset >= 0 && s.testSubset >= 0, "subsets must be >= 0 (0 = all)");
    require(s.learningRate > 0.0, "learning rate must be > 0");
    require(s.bnCalibrationImages >= 0, "BatchNorm calibration images must be >= 0");
}

/// The proxy's training: Adam with a cosine schedule over `s.epochs` seeded shuffles.
void trainProxy(ArchNet& model, const torch::Tensor& trainX, const torch::Tensor& trainY,
                const ProxySettings& s, std::stop_token stop,
                const ProxyProgressCallback& progress) {
    const int64_t trainCount = trainX.size(0);
    torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(s.learningRate));
    const int64_t stepsPerEpoch = (trainCount + s.batchSize - 1) / s.batchSize;
    const int64_t steps = stepsPerEpoch * s.epochs;
    int64_t step = 0;
    for (int epoch = 0; epoch < s.epochs; ++epoch) {
        const std::vector<int64_t> order =
            seededPermutation(trainCount, s.seed * 1000003ULL + uint64_t(epoch));
        const torch::Tensor orderT = torch::tensor(order, torch::kInt64);
        for (int64_t at = 0; at < trainCount; at += s.batchSize) {
            if (stop.stop_requested()) throw EstimateCancelled();
            // A lone last image would break BatchNorm's batch statistics: skip it.
            if (trainCount - at < 2) break;
            const torch::Tensor idx =
                orderT.slice(0, at, std::min<int64_t>(at + s.batchSize, trainCount));
            setCosineLearningRate(optimizer, s.learningRate, step, steps);
            optimizer.zero_grad();
            const torch::Tensor loss = torch::nn::functional::cross_entropy(
                model->forward(trainX.index_select(0, idx)), trainY.index_select(0, idx));
            loss.backward();
            optimizer.step();
            ++step;
            if (progress) {
                progress({epoch, s.epochs, int(step), int(steps), loss.item<double>()});
            }
        }
    }
}

}  // namespace

nlohmann::json ProxySettings::toJson() const {
    return {{"resolution", resolution},
            {"width_multiplier", widthMultiplier},
            {"stem_stride", stemStride},
            {"epochs", epochs},
            {"train_subset", trainSubset},
            {"test_subset", testSubset},
            {"batch_size", batchSize},
            {"optimizer", "adam"},
            {"learning_rate", learningRate},
            {"lr_schedule", "cosine to 0"},
            {"bn_calibration_images", bnCalibrationImages},
            {"seed", seed},
            {"threads", threads}};
}

std::string describeDataset(const Dataset& data) {
    return data.name + " (" + datasetFormatName(data.format) + ", " + data.folder.string() + ")";
}

NetworkSpec proxySpec(const NetworkSpec& candidate, const ProxySettings& s, int inputChannels,
                      int numClasses) {
    NetworkSpec spec = candidate;
    spec.name = candidate.name + "@proxy";
    spec.scaling.width = candidate.scaling.width * s.widthMultiplier;
    spec.scaling.resolution = s.resolution;
    spec.stem.stride = s.stemStride;
    spec.inputChannels = inputChannels;
    spec.numClasses = numClasses;
    return spec;
}

AccuracyEstimate estimateProxyAccuracy(const NetworkSpec& candidate, const Dataset& data,
                                       const ProxySettings& s, std::stop_token stop,
                                       const ProxyProgressCallback& progress) {
    validate(s);
    const auto start = std::chrono::steady_clock::now();
    const int threads = applyThreads(s.threads);
    const Network net = buildNetwork(proxySpec(candidate, s, data.train.channels, data.numClasses));
    const int64_t trainCount =
        s.trainSubset > 0 ? std::min(s.trainSubset, data.train.count) : data.train.count;
    const int64_t testCount =
        s.testSubset > 0 ? std::min(s.testSubset, data.test.count) : data.test.count;
    double accuracy = 0.0;
    try {
        const int channels = data.train.channels;
        torch::Tensor trainX =
            imagesToTensor(data.train, channels, s.resolution, FitMode::PadOrResize, trainCount);
        torch::Tensor testX =
            imagesToTensor(data.test, channels, s.resolution, FitMode::PadOrResize, testCount);
        testX = standardize(testX, trainX);
        trainX = standardize(trainX, trainX);
        const torch::Tensor trainY = labelsTensor(data.train).slice(0, 0, trainCount);
        const torch::Tensor testY = labelsTensor(data.test).slice(0, 0, testCount);

        torch::manual_seed(s.seed);  // weights and dropout
        TorchOptions opts;
        opts.batch = s.batchSize;
        TorchNetwork built(net, opts);
        ArchNet& model = built.impl().module;
        model->train();
        trainProxy(model, trainX, trainY, s, stop, progress);
        if (s.bnCalibrationImages > 0) {
            recalibrateBatchNorm(
                model, trainX.slice(0, 0, std::min<int64_t>(s.bnCalibrationImages, trainCount)),
                std::max(s.batchSize, 2), stop);
        }
        accuracy = testAccuracyPercent(model, testX, testY, stop);
    } catch (const EstimateCancelled&) {
        throw;
    } catch (...) {
        rethrowAsArchError("proxy training of \"" + candidate.name + "\"");
    }
    AccuracyEstimate e;
    e.value = accuracy;
    e.estimator = "proxy";
    // Named so that it cannot be mistaken for an ImageNet figure (tables, exports, plot axes).
    e.metric = "proxy top-1 on " + data.name;  // the unit (%) is appended with it
    e.unit = "%";
    e.dataset = describeDataset(data);
    e.settings = s.toJson();
    e.settings["threads"] = threads;
    e.settings["train_subset"] = trainCount;
    e.settings["test_subset"] = testCount;
    e.settings["proxy_network"] = {{"width", net.spec.scaling.width},
                                   {"resolution", net.resolution},
                                   {"stem_channels", net.stemChannels},
                                   {"head_channels", net.headChannels}};
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return e;
}

AccuracyEstimate estimateProxyAccuracy(const NetworkSpec& candidate, const ProxySettings& s,
                                       std::stop_token stop,
                                       const ProxyProgressCallback& progress) {
    validate(s);
    const Dataset data = loadDataset(s.dataFolder, s.trainSubset, s.testSubset);
    AccuracyEstimate e = estimateProxyAccuracy(candidate, data, s, std::move(stop), progress);
    return e;
}

}  // namespace archscope
