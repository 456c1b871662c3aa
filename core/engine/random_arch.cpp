#include "engine/random_arch.h"

#include <algorithm>
#include <array>
#include <string>

#include "util/splitmix64.h"
#include "zoo/zoo.h"

namespace archscope::engine {
NetworkSpec randomEfficientNetVariant(uint64_t seed, int64_t index) {
    SplitMix64 rng(seed * 0x100000001b3ull ^ uint64_t(index) * 0x9e3779b97f4a7c15ull);
    rng.next();
    NetworkSpec spec = *zooSpec("efficientnet-b0");
    constexpr std::array kExpand = {1, 4, 6};
    for (auto& b : spec.blocks) {
        b.repeats = std::max(1, b.repeats + int(rng.below(3)) - 1);
        b.kernel = rng.below(2) ? 5 : 3;
        b.expand = kExpand[size_t(rng.below(3))];
        if (rng.below(2))
            b.seRatio = 0.25;
        else
            b.seRatio.reset();
    }
    spec.scaling.width = double(10 + int(rng.below(31))) / 20.0;  // 0.50..2.00, exact decimals
    spec.scaling.resolution = 128 + 16 * int(rng.below(13));
    spec.name = "random-" + std::to_string(seed) + "-" + std::to_string(index);
    return spec;
}

}  // namespace archscope::engine
