#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arch/network.h"
#include "engine/runkinds.h"

namespace archscope::engine {

inline constexpr const char* kSweepKind = "sweep";
/// The method label of a sweep evaluation: costs counted exactly from the expanded IR.
inline constexpr const char* kIrCostMethod = "IR cost (exact)";

/// A sweep evaluates a fixed list of networks (named models, or `randomCount` random variants of
/// `seed`): MACs, params and per-layer MACs/params/bytes from the IR, at `batch`.
struct SweepParams {
    std::vector<std::string> models;    ///< display names, in order
    std::vector<NetworkSpec> networks;  ///< the resolved models (stored, so resume is exact)
    int64_t randomCount = 0;
    uint64_t seed = 0;
    int batch = kDefaultBatch;

    int64_t total() const { return randomCount > 0 ? randomCount : int64_t(networks.size()); }
    /// Candidate `seq` of the sweep.
    NetworkSpec candidate(int64_t seq) const;

    nlohmann::json toJson() const;
    /// Throws ArchError for params that are not a valid sweep.
    static SweepParams fromJson(const nlohmann::json& j);
    /// Resolves zoo names / architecture files into `networks`.
    static SweepParams forModels(const std::vector<std::string>& models, int batch);
    static SweepParams forRandom(int64_t count, uint64_t seed, int batch);
};

RunKind sweepRunKind();

}  // namespace archscope::engine
