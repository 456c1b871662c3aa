#include "store/run_state.h"

#include <algorithm>
#include <cmath>

namespace archscope::store {
namespace {

bool isTerminal(const std::string& s) {
    return s == kStatusFinished || s == kStatusCancelled || s == kStatusFailed;
}

}  // namespace

RunState describeRunState(const RunRecord& run, const std::vector<RunStatusEvent>& history) {
    RunState state;
    state.current = run.status;
    std::vector<std::string> words;
    std::string previous;
    for (const RunStatusEvent& e : history) {
        if (e.status == kStatusPaused) {  // continuing after a pause is not a resume
            previous = e.status;
            continue;
        }
        if (e.status == kStatusRunning) {
            if (isTerminal(previous)) {
                words.push_back("resumed");
                ++state.resumes;
            } else if (previous == kStatusRunning) {
                words.push_back("interrupted");
                words.push_back("resumed");
                ++state.resumes;
            }
        } else if (isTerminal(e.status)) {
            words.push_back(e.status);
        }
        previous = e.status;
    }
    if (run.status == kStatusRunning || run.status == kStatusPaused ||
        run.status == kStatusInterrupted)
        words.push_back(run.status);
    if (words.empty() || (isTerminal(run.status) && words.back() != run.status))
        words.push_back(run.status);
    for (size_t i = 0; i < words.size(); ++i) state.text += (i ? " → " : "") + words[i];
    return state;
}

std::optional<RunBest> bestOfRun(const std::vector<PlotRow>& rows) {
    const bool hasFront =
        std::any_of(rows.begin(), rows.end(), [](const auto& r) { return r.onFront; });
    std::optional<RunBest> best;
    for (const PlotRow& r : rows) {
        if (hasFront && !r.onFront) continue;
        const RunBest candidate{r.evaluationId, r.accuracy, r.latency().value()};
        if (!best) {
            best = candidate;
            continue;
        }
        const auto lat = [](const RunBest& b) { return b.latencyMs.value_or(INFINITY); };
        const bool better = candidate.accuracy != best->accuracy
                                ? candidate.accuracy.has_value() &&
                                      (!best->accuracy || *candidate.accuracy > *best->accuracy)
                                : lat(candidate) < lat(*best);
        if (better) best = candidate;
    }
    return best;
}

}  // namespace archscope::store
