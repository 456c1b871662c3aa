#pragma once
// Helpers shared by the proxy and zero-cost estimators. Private to core/torch/*.cpp (torch types).

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "../dataset.h"
#include "util/splitmix64.h"

namespace archscope::torchnet {

using archscope::SplitMix64;  // the project's portable generator (util/splitmix64.h)

/// 0..n-1 in an order fixed by `seed` (Fisher-Yates with SplitMix64).
std::vector<int64_t> seededPermutation(int64_t n, uint64_t seed);

enum class FitMode {
    PadOrResize,  ///< zero-pad (centred) when smaller, bilinear resize when larger
    Resize,       ///< bilinear resize to the side
};

/// The set's first `count` images (all if count < 0 or too many) as float
/// N x channels x side x side in [0, 1]. A 1-channel set feeding a 3-channel network is repeated
/// over the channels; other mismatches throw ArchError.
torch::Tensor imagesToTensor(const ImageSet& set, int channels, int side, FitMode fit,
                             int64_t count = -1);

/// Per-channel standardisation with the mean and standard deviation of `reference`.
torch::Tensor standardize(const torch::Tensor& x, const torch::Tensor& reference);

/// Sets LibTorch's intra-op threads (0 = all logical CPUs) and returns the count in effect.
int applyThreads(int threads);

/// The cosine schedule both trainings use: `base` * (1 + cos(pi * step / steps)) / 2, set on every
/// parameter group of `optimizer`.
void setCosineLearningRate(torch::optim::Adam& optimizer, double base, int64_t step, int64_t steps);

}  // namespace archscope::torchnet
