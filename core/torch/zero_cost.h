#pragma once

#include <cstdint>
#include <filesystem>
#include <stop_token>
#include <vector>

#include "accuracy_estimate.h"
#include "arch/network.h"
#include "dataset.h"

namespace archscope {

/// Settings of the `zero-cost` estimator: NASWOT (Mellor, Turner, Storkey, Crowley, "Neural
/// Architecture Search without Training", ICML 2021), computed on the real network, untrained.
struct ZeroCostSettings {
    std::filesystem::path dataFolder = kDefaultDatasetFolder;
    bool gaussianInput = false;  ///< N(0,1) noise instead of dataset images (no dataset needed)
    int batch = 32;              ///< minibatch size N: the kernel is N x N
    int resolution = 0;          ///< input side; 0 = the network's own resolution
    uint64_t seed = 0;           ///< weights, and which images form the minibatch
    int threads = 1;             ///< intra-op threads (0 = all logical CPUs)

    nlohmann::json toJson() const;
};

/// NASWOT's score of binary activation codes, one row per input: log|K| with
/// K_ij = N_A - Hamming(c_i, c_j), N_A the code length (the paper's eq. 2; the reference code
/// sums c c^T + (1-c)(1-c)^T over the hooked layers, which is the same matrix).
/// Rows must have equal lengths. Returns -inf for a singular K.
double naswotLogDet(const std::vector<std::vector<uint8_t>>& codes);

/// The NASWOT score of `network` (built at its own, or settings', resolution and classes) over
/// one minibatch: every activation's output (ReLU, swish, ReLU6, including SE's and the
/// bottleneck's post-addition ReLU) is coded as output > 0, which for all three is the sign of
/// the pre-activation. Deterministic for a seed and a thread count. `data` may be null when
/// settings.gaussianInput. Checks `stop` between layers and throws EstimateCancelled.
AccuracyEstimate estimateZeroCost(const NetworkSpec& network, const Dataset* data,
                                  const ZeroCostSettings& settings, std::stop_token stop = {});
/// As above, loading settings.dataFolder (first 10,000 training images) unless gaussianInput.
AccuracyEstimate estimateZeroCost(const NetworkSpec& network, const ZeroCostSettings& settings,
                                  std::stop_token stop = {});

}  // namespace archscope
