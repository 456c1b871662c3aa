#include "engine/random_arch.h"

#include <algorithm>
#include <array>
#include <string>

#include "zoo/zoo.h"

namespace archscope::engine {
namespace {

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose output is the same on every
/// platform, unlike the std:: distributions.
struct SplitMix64 {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    int below(int n) { return int(next() % uint64_t(n)); }
};

}  // namespace

NetworkSpec randomEfficientNetVariant(uint64_t seed, int64_t index) {
    SplitMix64 rng{seed * 0x100000001b3ull ^ uint64_t(index) * 0x9e3779b97f4a7c15ull};
    rng.next();
    NetworkSpec spec = *zooSpec("efficientnet-b0");
    constexpr std::array kExpand = {1, 4, 6};
    for (auto& b : spec.blocks) {
        b.repeats = std::max(1, b.repeats + rng.below(3) - 1);
        b.kernel = rng.below(2) ? 5 : 3;
        b.expand = kExpand[size_t(rng.below(3))];
        if (rng.below(2))
            b.seRatio = 0.25;
        else
            b.seRatio.reset();
    }
    spec.scaling.width = double(10 + rng.below(31)) / 20.0;  // 0.50..2.00, exact decimals
    spec.scaling.resolution = 128 + 16 * rng.below(13);
    spec.name = "random-" + std::to_string(seed) + "-" + std::to_string(index);
    return spec;
}

}  // namespace archscope::engine
