#include "measured_samples.h"

#include <algorithm>
#include <map>

#include "arch/error.h"
#include "arch/expand.h"

namespace archscope::store {

std::vector<CalibrationSample> calibrationSamplesFromRuns(StoreReader& reader,
                                                          const std::vector<int64_t>& runIds,
                                                          std::vector<std::string>* platforms) {
    std::vector<CalibrationSample> samples;
    for (int64_t runId : runIds) {
        reader.requireRun(runId);
        for (const Evaluation& e : reader.evaluations(runId)) {
            if (!e.measured || !(e.measured->medianMs > 0.0)) continue;
            const NetworkSpec spec = reader.architectureSpec(e.architectureId);
            CalibrationSample s;
            s.name = spec.name + " (run " + std::to_string(runId) + ")";
            s.layers = expandLayers(buildNetwork(spec), int(e.batch));
            s.measuredMs = e.measured->medianMs;
            std::map<std::string, double> stageMs;
            std::vector<std::string> order;
            for (const LayerCost& l : reader.layerCosts(e.id)) {
                if (!l.measuredMs) continue;
                const std::string stage = l.name.substr(0, l.name.find('/'));
                if (stageBlockIndex(stage) == -3) continue;
                if (!stageMs.contains(stage)) order.push_back(stage);
                stageMs[stage] += *l.measuredMs;
            }
            for (const auto& stage : order) s.stages.push_back({stage, stageMs[stage]});
            if (platforms && e.platform &&
                std::find(platforms->begin(), platforms->end(), *e.platform) == platforms->end()) {
                platforms->push_back(*e.platform);
            }
            samples.push_back(std::move(s));
        }
    }
    if (samples.empty()) {
        throw ArchError(
            "the selected runs hold no measured latency to calibrate from; import "
            "`measure --json` output or a profiler trace first (archscope-cli import)");
    }
    return samples;
}

}  // namespace archscope::store
