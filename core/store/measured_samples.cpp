#include "measured_samples.h"

#include <algorithm>
#include <map>
#include <set>

#include "arch/error.h"
#include "arch/expand.h"
#include "hw/profile_io.h"

namespace archscope::store {

std::string measuredDeviceKind(const MeasuredLatency& m, const nlohmann::json& runMachine,
                               const std::optional<std::string>& platform, std::string* from) {
    auto said = [&](std::string kind, std::string fact) {
        if (from) *from = std::move(fact);
        return kind;
    };
    const nlohmann::json& c = m.context;
    if (c.is_object() && c.contains("device_kind") && c["device_kind"].is_string()) {
        const std::string k = c["device_kind"].get<std::string>();
        const std::string fact = "measurement context device_kind \"" + k + "\"";
        if (k == "cpu") return said("cpu", fact);
        if (k == "cuda" || k == "gpu") return said("gpu", fact);
        if (k == "tpu" || k == "xla") return said("tpu", fact);
    }
    const std::string format = c.is_object() && c.contains("format") && c["format"].is_string()
                                   ? c["format"].get<std::string>()
                                   : "";
    if (format == "xprof-trace-viewer") return said("tpu", "imported XProf trace");
    if (format == "pytorch-chrome-trace") {
        // PyTorch writes deviceProperties into a trace when CUDA was in use.
        const bool cuda = runMachine.is_object() && runMachine.contains("device_properties");
        return cuda ? said("gpu", "imported PyTorch trace with CUDA deviceProperties")
                    : said("cpu", "imported PyTorch trace without CUDA deviceProperties");
    }
    if (platform) {
        try {
            const Profile p = loadProfile(*platform);
            return said(p.kind, "the evaluation's platform \"" + *platform + "\" (a " + p.kind +
                                    " profile)");
        } catch (const ArchError&) {
        }
    }
    return said("", "nothing stored says which device took it");
}

std::vector<CalibrationSample> calibrationSamplesFromRuns(
    StoreReader& reader, const std::vector<int64_t>& runIds,
    std::vector<MeasuredSampleOrigin>* origins) {
    std::vector<CalibrationSample> samples;
    for (int64_t runId : runIds) {
        const RunRecord run = reader.requireRun(runId);
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
            if (origins) {
                MeasuredSampleOrigin o;
                o.network = spec.name;
                o.archHash = e.archHash;
                o.runId = runId;
                o.platform = e.platform;
                const auto& c = e.measured->context;
                if (c.is_object() && c.contains("device") && c["device"].is_string())
                    o.device = c["device"].get<std::string>();
                o.deviceKind =
                    measuredDeviceKind(*e.measured, run.machine, e.platform, &o.deviceKindFrom);
                origins->push_back(std::move(o));
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

void requireMatchingDevice(const std::vector<MeasuredSampleOrigin>& origins, const Profile& base) {
    std::map<std::string, const MeasuredSampleOrigin*> byKind;
    std::set<std::string> devices;
    for (const auto& o : origins) {
        if (!o.deviceKind.empty()) byKind.emplace(o.deviceKind, &o);
        if (!o.device.empty()) devices.insert(o.device);
    }
    auto cite = [](const MeasuredSampleOrigin& o) {
        return o.network + " in run " + std::to_string(o.runId) + ": " + o.deviceKindFrom;
    };
    if (byKind.size() > 1) {
        std::string list;
        for (const auto& [kind, o] : byKind) {
            list += (list.empty() ? "" : "; ") + kind + " (" + cite(*o) + ")";
        }
        throw ArchError("the selected runs mix measurements from different kinds of device (" +
                        list + "); calibrate each device's runs separately");
    }
    if (devices.size() > 1) {
        std::string list;
        for (const auto& d : devices) list += (list.empty() ? "" : ", ") + d;
        throw ArchError("the selected runs mix measurements from different devices (" + list +
                        "); calibrate each device's runs separately");
    }
    if (byKind.size() == 1 && byKind.begin()->first != base.kind) {
        const auto& [kind, o] = *byKind.begin();
        throw ArchError("the measurements were taken on a " + kind + " device (" + cite(*o) +
                        ") but the base profile " + base.name + " is a " + base.kind +
                        " profile: fitting it to them would turn " + kind + " timings into " +
                        base.name + " efficiencies. Pass --base with a " + kind +
                        " profile (see `archscope-cli profiles`), or import measurements taken "
                        "on the device " +
                        base.name + " describes");
    }
}

std::vector<std::string> distinctNetworks(const std::vector<MeasuredSampleOrigin>& origins) {
    std::vector<std::string> names, hashes;
    for (const auto& o : origins) {
        if (std::find(hashes.begin(), hashes.end(), o.archHash) != hashes.end()) continue;
        hashes.push_back(o.archHash);
        names.push_back(o.network);
    }
    return names;
}

std::vector<bool> holdoutMask(const std::vector<CalibrationSample>& samples,
                              const std::vector<MeasuredSampleOrigin>& origins, int count) {
    struct Net {
        std::string hash, name;
        double ms;
    };
    std::vector<Net> nets;
    for (size_t i = 0; i < origins.size(); ++i) {
        const auto it = std::find_if(nets.begin(), nets.end(),
                                     [&](const Net& n) { return n.hash == origins[i].archHash; });
        if (it == nets.end())
            nets.push_back({origins[i].archHash, origins[i].network, samples[i].measuredMs});
    }
    if (count < 0 || count >= int(nets.size())) {
        throw ArchError("cannot hold out " + std::to_string(count) + " of " +
                        std::to_string(nets.size()) +
                        " distinct networks: at least one must remain to fit");
    }
    std::sort(nets.begin(), nets.end(), [](const Net& a, const Net& b) {
        return a.ms != b.ms ? a.ms < b.ms : a.name != b.name ? a.name < b.name : a.hash < b.hash;
    });
    std::set<std::string> held;
    for (int k = 0; k < count; ++k) {
        held.insert(nets[size_t((k + 0.5) * double(nets.size()) / count)].hash);
    }
    std::vector<bool> mask;
    for (const auto& o : origins) mask.push_back(held.contains(o.archHash));
    return mask;
}

}  // namespace archscope::store
