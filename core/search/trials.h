#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "arch/blockstring.h"
#include "search/importance.h"
#include "store/figures.h"

namespace archscope {

namespace store {
class StoreReader;
}

/// One stored candidate of a run as the trials table shows it.
struct Trial {
    int64_t evaluationId = 0;
    std::optional<int64_t> seq;  ///< < 0: a reference network; empty: not a search candidate
    std::string name;
    std::string archHash;
    std::vector<BlockArgs> stages;  ///< the network's block args: the choices it made
    std::optional<int64_t> macs;
    std::optional<double> latencyMs;  ///< store::Evaluation::latency(): measured, else predicted
    store::LatencySource latencySource = store::LatencySource::None;
    std::optional<double> accuracy;
    std::string metric;  ///< what `accuracy` is ("top-1 %", "NASWOT score"...)
    std::string createdAt;
    std::optional<double> costSeconds;  ///< wall time the evaluation took

    bool isReference() const { return seq && *seq < 0; }
    /// "reference", "complete", "no latency", "no accuracy".
    std::string status() const;
};

/// The trials of `runId` stored after evaluation `afterId` (0: all), in evaluation order. Latency
/// is store::Evaluation::latency() (the one "measured else predicted" rule), for the trials and
/// the importance alike. Reference networks of a search carry their reference names. Throws
/// ArchError for a missing run.
std::vector<Trial> readTrials(store::StoreReader& reader, int64_t runId, int64_t afterId = 0);

/// The choices of a trial as importance parameters: per stage its block kind, kernel, expansion,
/// SE ratio, activation, repeats, output filters and space-to-depth mode.
std::vector<std::pair<std::string, std::string>> choiceLevels(const Trial& trial);

enum class Objective { Latency, Accuracy };
/// The candidates (references excluded) as importance data for one objective. Trials whose
/// stage count differs from the first candidate's are left out (another space).
ImportanceData importanceData(const std::vector<Trial>& trials, Objective objective);

}  // namespace archscope
