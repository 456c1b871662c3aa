// Calibration driver: measures networks with LibTorch (measure.h) and fits the profile
// (hw/calibrate.h). Plain C++: no torch header here, so it compiles in seconds.
#include "calibration_runner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "arch/error.h"
#include "arch/expand.h"
#include "arch/json.h"
#include "hw/model.h"
#include "search/sampler.h"
#include "search/space.h"
#include "torchnetwork.h"
#include "util/splitmix64.h"
#include "zoo/zoo.h"

namespace archscope {
namespace {

struct Planned {
    Network net;
    std::string origin;
    bool heldOut = false;
};

std::string blockKind(const Block& b) {
    if (b.spaceToDepth == 1) return "s2d+" + std::string(blockTypeName(b.type));
    return std::string(blockTypeName(b.type));
}

std::string stageKind(const Network& net, const std::string& stage) {
    const int block = stageBlockIndex(stage);
    if (block == -1) return "stem";
    if (block == -2) return "head";
    if (block >= 0 && block < int(net.blocks.size())) return blockKind(net.blocks[size_t(block)]);
    return "other";
}

std::vector<Planned> plan(const CalibrationOptions& o) {
    std::vector<Planned> out;
    std::set<std::string> names;
    auto add = [&](NetworkSpec spec, const std::string& origin, bool heldOut) {
        // The IR and the built module must agree on the input size the figures are taken at.
        if (o.torch.resolution > 0) spec.scaling.resolution = o.torch.resolution;
        if (!names.insert(spec.name).second) {
            throw ArchError("calibration: network \"" + spec.name +
                            "\" is listed twice (a network is either fitted or held out)");
        }
        out.push_back({buildNetwork(spec), origin, heldOut});
    };
    for (const auto& m : o.fitModels) add(resolveModel(m), "zoo", false);
    for (const auto& m : o.holdoutModels) add(resolveModel(m), "zoo", true);
    if (o.randomFit + o.randomHoldout > 0) {
        const SearchSpace space = loadSearchSpace(o.space);
        SplitMix64 rng(o.seed);  // portable: a seed names the same networks everywhere
        for (int i = 0; i < o.randomFit + o.randomHoldout; ++i) {
            const bool heldOut = i >= o.randomFit;
            const std::string name = o.space + "-s" + std::to_string(o.seed) + "-" +
                                     (heldOut ? "h" : "f") + std::to_string(i);
            add(decodeCandidate(space, randomCandidate(space, rng), name), "random", heldOut);
        }
    }
    return out;
}

}  // namespace

namespace {

/// Refit reads figures by name; the name must still mean the architecture that was measured.
void requireSameArchitecture(const NetworkFigures& f, const Planned& p) {
    const std::string planned = networkHash(p.net.spec);
    if (f.archHash.empty() && p.origin == "random") {
        throw ArchError("the figures of \"" + f.name +
                        "\" carry no architecture hash (a report from before it was recorded), "
                        "so they cannot be matched to this version's random draw; measure again "
                        "(calibrate without --refit)");
    }
    if (!f.archHash.empty() && f.archHash != planned) {
        throw ArchError("the figures of \"" + f.name + "\" were measured on architecture " +
                        f.archHash + ", but \"" + f.name + "\" is now " + planned +
                        " (an edited file or another version's random draw); measure again "
                        "(calibrate without --refit)");
    }
}

std::string percent(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", x);
    return buf;
}

}  // namespace

CalibrationMeasurements measureForCalibration(
    const CalibrationOptions& opts, const std::function<void(const std::string&)>& progress) {
    const std::vector<Planned> planned = plan(opts);  // resolves every name before measuring
    MeasureOptions measure = opts.measure;
    measure.perLayer = true;
    measure.cudaGraph = false;  // eager figures: the runtime models one launch per kernel
    CalibrationMeasurements out;
    for (const auto& p : planned) {
        if (progress) {
            progress("measuring " + std::to_string(out.networks.size() + 1) + "/" +
                     std::to_string(planned.size()) + " " + p.net.name() +
                     (p.heldOut ? " (held out)" : " (fit)"));
        }
        const Measurement m = measureNetwork(p.net, opts.torch, measure);
        if (out.networks.empty()) out.context = m.context;
        NetworkFigures f;
        f.name = p.net.name();
        f.archHash = networkHash(p.net.spec);
        f.total = m.eager;
        f.wallMs = m.eagerWall.medianMs;
        // The stage pass gives the split of the time; the total gives its level.
        for (const auto& l : m.layers) f.stages.push_back({l.name, l.medianMs});
        out.networks.push_back(std::move(f));
    }
    return out;
}

CalibrationReport runCalibration(const Profile& base, const CalibrationOptions& opts,
                                 const std::function<void(const std::string&)>& progress) {
    const auto start = std::chrono::steady_clock::now();
    // Fail on a bad name or an empty fit set before minutes of measuring.
    const std::vector<Planned> planned = plan(opts);
    if (std::none_of(planned.begin(), planned.end(), [](const Planned& p) { return !p.heldOut; }))
        throw ArchError("calibration needs at least one network to fit");
    CalibrationReport r = fitCalibration(base, opts, measureForCalibration(opts, progress));
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

CalibrationReport fitCalibration(const Profile& base, const CalibrationOptions& opts,
                                 const CalibrationMeasurements& figures) {
    const std::vector<Planned> planned = plan(opts);
    const Dtype dtype = opts.fit.dtype;
    CalibrationReport r;
    r.context = figures.context;
    r.statistic = opts.measure.statistic;
    std::vector<CalibrationSample> fitSamples, allSamples;
    for (const Planned& p : planned) {
        const auto it =
            std::find_if(figures.networks.begin(), figures.networks.end(),
                         [&](const NetworkFigures& f) { return f.name == p.net.name(); });
        if (it == figures.networks.end()) {
            throw ArchError("no measurement of \"" + p.net.name() +
                            "\" to fit; refit with the same models, --random, --holdout and "
                            "--seed as the measuring run");
        }
        const NetworkFigures& f = *it;
        requireSameArchitecture(f, p);
        CalibrationSample s;
        s.name = p.net.name();
        s.layers = expandLayers(p.net, opts.torch.batch);
        s.measuredMs = pickStatistic(f.total, opts.measure.statistic);
        // The stage pass gives the split of the time; the total gives its level.
        double stageSum = 0.0;
        for (const auto& st : f.stages) stageSum += st.measuredMs;
        for (const auto& st : f.stages) {
            s.stages.push_back({st.name, stageSum > 0.0 ? st.measuredMs * s.measuredMs / stageSum
                                                        : st.measuredMs});
        }
        CalibratedNetwork n;
        n.name = s.name;
        n.archHash = networkHash(p.net.spec);
        n.origin = p.origin;
        n.heldOut = p.heldOut;
        n.measuredMs = s.measuredMs;
        n.total = f.total;
        n.wallMs = f.wallMs;
        n.stages = s.stages;
        for (const auto& st : s.stages) n.stageKinds.push_back(stageKind(p.net, st.name));
        n.predictedBeforeMs = predictNetwork(base, s.layers, dtype).latencySeconds * 1e3;
        r.networks.push_back(std::move(n));
        if (!p.heldOut) fitSamples.push_back(s);
        allSamples.push_back(std::move(s));
    }
    if (fitSamples.empty()) throw ArchError("calibration needs at least one network to fit");

    r.fit = fitProfile(base, fitSamples, opts.fit);
    r.profile = r.fit.profile;
    std::vector<double> pb[2], pa[2], me[2];  // [heldOut]
    for (size_t i = 0; i < r.networks.size(); ++i) {
        auto& n = r.networks[i];
        n.predictedAfterMs =
            predictNetwork(r.profile, allSamples[i].layers, dtype).latencySeconds * 1e3;
        n.stagesPredictedMs = predictStagesMs(r.profile, allSamples[i], dtype);
        pb[n.heldOut].push_back(n.predictedBeforeMs);
        pa[n.heldOut].push_back(n.predictedAfterMs);
        me[n.heldOut].push_back(n.measuredMs);
    }
    r.fitBefore = compareLatencies(pb[0], me[0]);
    r.fitAfter = compareLatencies(pa[0], me[0]);
    r.holdoutBefore = compareLatencies(pb[1], me[1]);
    r.holdoutAfter = compareLatencies(pa[1], me[1]);
    return r;
}

std::string calibrationSource(const CalibrationReport& r) {
    return "calibrated on " + r.context.device + " (" + r.context.deviceKind + ", LibTorch " +
           r.context.libtorchVersion + ", " + std::to_string(r.context.threads) + " threads, " +
           describeTiming(r.context.clock, r.statistic, r.context.reps, r.context.warmup,
                          r.context.steadyAllocator) +
           ", " + r.context.dtype + ", batch " + std::to_string(r.context.batch) + ") at " +
           r.context.timestamp + ", fit error " + percent(r.fit.meanAbsErrorPercent) + " on " +
           std::to_string(r.fitAfter.count) + " networks, hold-out error " +
           percent(r.holdoutAfter.meanAbsErrorPercent) + " on " +
           std::to_string(r.holdoutAfter.count);
}

Profile annotatedProfile(const CalibrationReport& r, const std::string& name, int version) {
    Profile p = r.profile;
    const std::string source = calibrationSource(r);
    for (const auto& fp : r.fit.parameters) setFittableParameter(p, fp.name, fp.fitted, source);
    p.name = name;
    p.displayName = r.profile.displayName + ", calibrated on " + r.context.device;
    p.version = version;
    return p;
}

}  // namespace archscope
