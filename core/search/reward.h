#pragma once

#include <string>

namespace archscope {

/// MnasNet's latency-aware reward ACC x (LAT / T)^w (Tan et al., "MnasNet: Platform-Aware Neural
/// Architecture Search for Mobile", CVPR 2019, Eq. 2): w = alpha if LAT <= T else beta.
struct RewardConfig {
    double targetMs = 1.0;
    double alpha = -0.07;  ///< soft constraint: alpha = beta = -0.07 (MnasNet §3)
    double beta = -0.07;   ///< hard constraint: alpha = 0, beta = -1 (MnasNet §3)

    static RewardConfig soft(double targetMs) { return {targetMs, -0.07, -0.07}; }
    static RewardConfig hard(double targetMs) { return {targetMs, 0.0, -1.0}; }
};

double mnasReward(double accuracy, double latencyMs, const RewardConfig& config);

}  // namespace archscope
