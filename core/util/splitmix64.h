#pragma once

#include <cstdint>

namespace archscope {

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose sequence is the same on every
/// standard library and platform, unlike the std:: distributions, so seeded results are portable.
class SplitMix64 {
public:
    explicit SplitMix64(uint64_t seed) : m_state(seed) {}
    uint64_t next() {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// Uniform in 0..n-1 (modulo bias < n / 2^64: negligible for the small n used here).
    uint64_t below(uint64_t n) { return next() % n; }
    uint64_t state() const { return m_state; }

private:
    uint64_t m_state;
};

}  // namespace archscope
