#pragma once

#include <cstddef>
#include <cstdint>

namespace archscope {

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose draws are the same on every
/// platform and standard library, unlike the std:: distributions (whose algorithms are left to
/// the implementation). Everything seeded in the project draws through it, so a seed names the
/// same run everywhere.
class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed) : m_state(seed) {}

    uint64_t next() {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, n) for n >= 1. The modulo's bias is below n / 2^64: nothing for the
    /// handful of choices a search or a sweep draws from.
    uint64_t below(uint64_t n) { return next() % n; }
    /// Uniform in [lo, hi], inclusive.
    int between(int lo, int hi) { return lo + int(below(uint64_t(hi - lo) + 1)); }
    /// Uniform in [0, 1) with 53 random bits.
    double unit() { return double(next() >> 11) * 0x1.0p-53; }

private:
    uint64_t m_state;
};

/// An index drawn with probability proportional to `weights` (all >= 0, sum > 0); the last index
/// with positive weight absorbs round-off.
template <class Weights>
size_t drawWeighted(SplitMix64& rng, const Weights& weights) {
    double total = 0.0;
    for (double w : weights) total += w;
    double u = rng.unit() * total;
    size_t last = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
        if (!(weights[i] > 0.0)) continue;
        last = i;
        if (u < weights[i]) return i;
        u -= weights[i];
    }
    return last;
}

}  // namespace archscope
