#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stop_token>
#include <string>

#include "accuracy_estimate.h"
#include "arch/network.h"
#include "dataset.h"

namespace archscope {

/// The `proxy` estimator's settings: the candidate is shrunk to a proxy scale, trained from
/// scratch with LibTorch, then scored on the held-out test split. docs/estimators.md gives the
/// reasons for each default.
struct ProxySettings {
    std::filesystem::path dataFolder = kDefaultDatasetFolder;
    int resolution = 32;            ///< input side; 28x28 images are zero-padded to it (centred)
    double widthMultiplier = 0.25;  ///< multiplies the candidate's width coefficient
    int stemStride = 1;             ///< replaces the stem's stride 2: 32 px ends at 2x2, not 1x1
    int epochs = 1;
    int trainSubset = 5000;  ///< the first N training images (0 = all)
    int testSubset = 2000;   ///< the first N test images (0 = all)
    int batchSize = 64;
    double learningRate = 5e-3;      ///< Adam, cosine-decayed to 0 over the run
    int bnCalibrationImages = 1024;  ///< BatchNorm statistics recomputed on these after training
    uint64_t seed = 0;
    int threads = 1;  ///< intra-op threads (0 = all logical CPUs); results depend on it

    nlohmann::json toJson() const;
};

/// Progress of one proxy training, reported after every training step.
struct ProxyProgress {
    int epoch = 0;  ///< 0-based
    int epochs = 0;
    int step = 0;  ///< 1-based over the whole run
    int steps = 0;
    double loss = 0.0;  ///< of this step's batch
};
using ProxyProgressCallback = std::function<void(const ProxyProgress&)>;

/// The candidate at proxy scale: width x widthMultiplier, resolution, stem stride, the dataset's
/// input channels and classes. Depth, kernels, expansion and SE stay the candidate's own.
NetworkSpec proxySpec(const NetworkSpec& candidate, const ProxySettings& settings,
                      int inputChannels, int numClasses);

/// Trains `candidate` at proxy scale on `data` (loaded with loadDataset(settings.dataFolder,
/// trainSubset, testSubset)) and returns its top-1 test accuracy in percent. Deterministic for a
/// seed and a thread count. Checks `stop` between batches and throws EstimateCancelled; throws
/// ArchError when the network cannot be built or trained. Sets LibTorch's thread count.
AccuracyEstimate estimateProxyAccuracy(const NetworkSpec& candidate, const Dataset& data,
                                       const ProxySettings& settings, std::stop_token stop = {},
                                       const ProxyProgressCallback& progress = {});
/// As above, loading settings.dataFolder first (a missing dataset names the package to install).
AccuracyEstimate estimateProxyAccuracy(const NetworkSpec& candidate, const ProxySettings& settings,
                                       std::stop_token stop = {},
                                       const ProxyProgressCallback& progress = {});

/// "fashion-mnist (mnist-idx, /usr/share/datasets/fashion-mnist)"
std::string describeDataset(const Dataset& data);

}  // namespace archscope
