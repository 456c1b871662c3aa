#include "reward.h"

#include <cmath>

namespace archscope {

double mnasReward(double accuracy, double latencyMs, const RewardConfig& c) {
    if (!(latencyMs > 0.0) || !(c.targetMs > 0.0)) return 0.0;
    const double ratio = latencyMs / c.targetMs;
    return accuracy * std::pow(ratio, latencyMs <= c.targetMs ? c.alpha : c.beta);
}

}  // namespace archscope
