// `measure`: real LibTorch latency of zoo models or architecture files on this machine.
#ifdef ARCHSCOPE_HAS_TORCH

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "arch/network.h"
#include "batch_option.h"
#include "registry.h"
#include "table.h"
#include "timing_options.h"
#include "torch/measure.h"
#include "zoo/zoo.h"

namespace archscope::cli {
namespace {

struct MeasureArgs {
    std::vector<std::string> models;
    std::string device = "cpu";
    std::string dtype = "fp32";
    int batch = kDefaultBatch;
    TimingArgs timing;
    int resolution = 0;
    int cudaIndex = 0;
    bool channelsLast = false;
    bool perLayer = false;
    bool noGraph = false;
    bool json = false;
};

nlohmann::json statsJson(const LatencyStats& s) {
    return {{"median_ms", s.medianMs}, {"p10_ms", s.p10Ms},   {"p90_ms", s.p90Ms},
            {"min_ms", s.minMs},       {"mean_ms", s.meanMs}, {"reps", s.reps}};
}

nlohmann::json measurementJson(const Measurement& r) {
    nlohmann::json m = statsJson(r.eager);
    m["latency_ms"] = r.latencyMs;
    m["statistic"] = timingStatisticName(r.context.statistic);
    m["clock"] = timingClockName(r.context.clock);
    m["name"] = r.model;
    m["params"] = r.params;
    m["resolution"] = r.context.resolution;
    m["timestamp"] = r.context.timestamp;
    m["graph"] = r.graph ? statsJson(*r.graph) : nlohmann::json(nullptr);
    if (!r.graphNote.empty()) m["graph_note"] = r.graphNote;
    if (!r.layers.empty()) {
        nlohmann::json layers = nlohmann::json::array();
        for (const auto& l : r.layers)
            layers.push_back({{"name", l.name}, {"median_ms", l.medianMs}});
        m["layers"] = std::move(layers);
    }
    return m;
}

void runMeasure(const MeasureArgs& a) {
    TorchOptions opts;
    const auto device = torchDeviceFromName(a.device);
    if (!device) throw ArchError("unknown --device \"" + a.device + "\"; use cpu or cuda");
    opts.device = *device;
    opts.dtype = toTorchDtype(parseDtype(a.dtype, "--dtype"));
    opts.batch = a.batch;
    opts.resolution = a.resolution;
    opts.channelsLast = a.channelsLast;
    opts.cudaIndex = a.cudaIndex;
    MeasureOptions m = toMeasureOptions(a.timing);
    m.perLayer = a.perLayer;
    m.cudaGraph = !a.noGraph;

    // Resolve every name first, so a typo fails before minutes of measuring.
    std::vector<Network> nets;
    for (const auto& name : a.models) nets.push_back(buildNetwork(resolveModel(name)));

    std::vector<Measurement> results;
    for (const auto& net : nets) {
        if (!a.json) std::cerr << "measuring " << net.name() << "...\n";
        results.push_back(measureNetwork(net, opts, m));
    }
    const MeasureContext& c = results.front().context;
    if (a.json) {
        nlohmann::json models = nlohmann::json::array();
        for (const auto& r : results) models.push_back(measurementJson(r));
        std::cout << nlohmann::json{{"device", c.device},
                                    {"context", measureContextJson(c)},
                                    {"models", models}}
                         .dump(2)
                  << "\n";
        return;
    }
    std::cout << c.device << ", LibTorch " << c.libtorchVersion << ", " << c.threads << " threads, "
              << c.dtype << ", batch " << c.batch << (c.channelsLast ? ", channels-last" : "")
              << "\ntiming: " << describeTiming(c) << ", " << c.timestamp << "\n\n";
    const bool cuda = opts.device == TorchDevice::Cuda;
    const std::string headline =
        "latency (ms, " + std::string(timingStatisticName(c.statistic)) + ")";
    std::vector<std::string> headers = {"model",       "resolution", "params (M)", headline,
                                        "median (ms)", "p10 (ms)",   "p90 (ms)"};
    if (cuda) headers.insert(headers.end(), {"graph median (ms)", "graph p10", "graph p90"});
    Table table(headers, std::vector<bool>(headers.size(), true));
    for (const auto& r : results) {
        std::vector<std::string> row = {r.model,
                                        std::to_string(r.context.resolution),
                                        formatFixed(r.params / 1e6, 2),
                                        formatFixed(r.latencyMs, 2),
                                        formatFixed(r.eager.medianMs, 2),
                                        formatFixed(r.eager.p10Ms, 2),
                                        formatFixed(r.eager.p90Ms, 2)};
        if (cuda) {
            for (double v : {r.graph ? r.graph->medianMs : -1.0, r.graph ? r.graph->p10Ms : -1.0,
                             r.graph ? r.graph->p90Ms : -1.0}) {
                row.push_back(v < 0 ? "-" : formatFixed(v, 3));
            }
        }
        table.addRow(std::move(row));
    }
    table.print(std::cout);
    for (const auto& r : results) {
        if (cuda && !r.graph)
            std::cout << r.model << ": no CUDA graph figure: " << r.graphNote << "\n";
        if (r.layers.empty()) continue;
        std::cout << "\n" << r.model << " per stage (each timed on its own):\n";
        Table stages({"stage", "median (ms)"}, {false, true});
        for (const auto& l : r.layers) stages.addRow({l.name, formatFixed(l.medianMs, 3)});
        stages.print(std::cout);
    }
}

}  // namespace

void addTorchCommands(CLI::App& app) {
    auto a = std::make_shared<MeasureArgs>();
    auto* cmd = app.add_subcommand(
        "measure", "Measure real inference latency with LibTorch (median, p10/p90, per stage)");
    cmd->add_option("models", a->models, "Zoo names or architecture .json files")->required();
    cmd->add_option("--device", a->device, "cpu or cuda")->capture_default_str();
    cmd->add_option("--cuda-index", a->cudaIndex, "Which CUDA device")->capture_default_str();
    addBatchOption(cmd, a->batch, "measurement");
    cmd->add_option("--dtype", a->dtype, "fp32 on the CPU; " + dtypeNameList() + " on CUDA")
        ->capture_default_str();
    addTimingOptions(cmd, a->timing);
    cmd->add_option("--resolution", a->resolution, "Input size in pixels (0 = the model's own)")
        ->check(CLI::Range(0, 4096));
    cmd->add_flag("--channels-last", a->channelsLast, "NHWC memory format");
    cmd->add_flag("--per-layer", a->perLayer, "Also time each stage: stem, blockN, head");
    cmd->add_flag("--no-graph", a->noGraph, "On CUDA, skip the CUDA graph figure");
    cmd->add_flag("--json", a->json, "One JSON document on stdout");
    cmd->callback([a] { runMeasure(*a); });
}

}  // namespace archscope::cli

#endif  // ARCHSCOPE_HAS_TORCH
