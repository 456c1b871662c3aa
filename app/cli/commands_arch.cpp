// `zoo` and `show`: the architecture IR as tables or JSON.
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "analysis/breakdown.h"
#include "arch/error.h"
#include "arch/expand.h"
#include "arch/json.h"
#include "arch/network.h"
#include "batch_option.h"
#include "hw/explain.h"
#include "hw/profile_io.h"
#include "hw/runtime_io.h"
#include "registry.h"
#include "table.h"
#include "zoo/zoo.h"

namespace archscope::cli {
namespace {

std::string shapeText(const Shape& s) {
    return std::to_string(s.h) + "x" + std::to_string(s.w) + "x" + std::to_string(s.c);
}

void runZoo(bool asJson) {
    nlohmann::json models = nlohmann::json::array();
    Table table({"model", "resolution", "params (M)", "GMACs", "published top-1 (%)"},
                {false, true, true, true, true});
    for (const auto& name : zooModelNames()) {
        const Network net = buildNetwork(*zooSpec(name));
        const NetworkCost cost = totalCost(expandLayers(net, 1));
        const auto top1 = publishedTop1(name);
        nlohmann::json m = {{"name", name},
                            {"resolution", net.resolution},
                            {"params", cost.params},
                            {"macs", cost.macs}};
        if (top1) m["published_top1"] = {{"value", top1->top1}, {"source", top1->source}};
        models.push_back(m);
        table.addRow({name, std::to_string(net.resolution), formatFixed(cost.params / 1e6, 2),
                      formatFixed(cost.macs / 1e9, 3), top1 ? formatFixed(top1->top1, 1) : "-"});
    }
    if (asJson) {
        std::cout << nlohmann::json{{"models", models}}.dump(2) << "\n";
    } else {
        table.print(std::cout);
        std::cout << "\nMACs are multiply-adds at batch 1 (conv + FC + SE). Top-1 accuracies are "
                     "published ImageNet figures, not estimates.\n";
    }
}

/// Options of `show --hw`: the per-layer table gains the platform model's columns.
struct HwOptions {
    std::string profile;  ///< empty: no platform columns
    std::string runtime;  ///< empty: the profile's default runtime
    std::string dtype;    ///< empty: the profile's default
    int explainLayer = -1;
    std::string by;  ///< "op", "block", "stage": the breakdown table instead of the layers
};

struct HwView {
    Profile profile;
    Dtype dtype = Dtype::Bf16;
    std::vector<GroupCost> groups;
};

std::optional<HwView> hwView(const HwOptions& o, const std::vector<Layer>& layers) {
    if (o.profile.empty()) return std::nullopt;
    HwView v{loadPlatform(o.profile, o.runtime), Dtype::Bf16, {}};
    v.dtype = v.profile.defaultDtype;
    if (!o.dtype.empty()) {
        v.dtype = parseDtype(o.dtype, "--dtype");
    }
    v.groups = predictGroups(v.profile, layers, v.dtype);
    return v;
}

nlohmann::json groupToJson(const GroupCost& g) {
    return {{"time_s", g.seconds},
            {"matrix_s", g.matrixSeconds},
            {"vector_s", g.vectorSeconds},
            {"memory_s", g.memorySeconds},
            {"overhead_s", g.overheadSeconds},
            {"matrix_utilization", g.matrixUtilization},
            {"vector_utilization", g.vectorUtilization},
            {"memory_utilization", g.memoryUtilization},
            {"operational_intensity", g.operationalIntensity},
            {"achieved_flops", g.achievedFlopsPerSecond},
            {"bytes", g.bytes},
            {"on_chip_bytes", g.onChipBytes},
            {"bound", std::string(boundName(g.bound))},
            {"first_layer", g.firstLayer},
            {"last_layer", g.lastLayer}};
}

/// `show --by`: the predicted time by fused op, block or stage, split by the unit bounding each
/// fused op (the Breakdown view's table).
void printBreakdown(const NetworkSpec& spec, const std::vector<Layer>& layers, const HwView& hw,
                    int batch, const std::string& by, bool asJson) {
    const analysis::Granularity granularity = *analysis::parseGranularity(by);
    const auto rows = analysis::breakdownRows(layers, hw.groups, hw.profile, granularity);
    const NetworkPrediction np = summarize(hw.groups, batch, hw.profile.runtime.perStepSeconds);
    if (asJson) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& r : rows) {
            nlohmann::json critical = nlohmann::json::object();
            for (int b = 0; b < kBoundCount; ++b)
                critical[std::string(boundName(Bound(b)))] = r.criticalSeconds[size_t(b)];
            list.push_back({{"name", r.name},
                            {"ops", r.ops},
                            {"fused_ops", r.fusedOps()},
                            {"seconds", r.seconds},
                            {"critical_s", critical},
                            {"bound", std::string(boundName(r.bound))},
                            {"matrix_utilization", r.matrixUtilization},
                            {"vector_utilization", r.vectorUtilization},
                            {"memory_utilization", r.memoryUtilization},
                            {"macs", r.usefulMacs},
                            {"bytes", r.bytes}});
        }
        std::cout << nlohmann::json{{"name", spec.name},
                                    {"profile", hw.profile.name},
                                    {"runtime", hw.profile.runtime.name},
                                    {"dtype", std::string(dtypeName(hw.dtype))},
                                    {"batch", batch},
                                    {"method", predictionMethod(hw.profile)},
                                    {"latency_ms", np.latencySeconds * 1e3},
                                    {"by", by},
                                    {"rows", list}}
                         .dump(2)
                  << "\n";
        return;
    }
    std::cout << spec.name << " on " << hw.profile.displayName << ", " << dtypeName(hw.dtype)
              << ", batch " << batch << ": " << formatFixed(np.latencySeconds * 1e3, 3) << " ms ("
              << predictionMethod(hw.profile) << ")\n\n";
    std::vector<std::string> headers = {by, "ops", "time (us)", "share"};
    for (int b = 0; b < kBoundCount; ++b)
        headers.push_back(std::string(boundName(Bound(b))) + " (us)");
    headers.insert(headers.end(), {"MXU %", "bound"});
    std::vector<bool> right(headers.size(), true);
    right[0] = right[1] = right.back() = false;
    Table table(headers, right);
    for (const auto& r : rows) {
        std::vector<std::string> cells = {
            r.name, by == "op" ? r.firstOp : std::to_string(r.fusedOps()),
            formatFixed(r.seconds * 1e6, 1),
            formatFixed(100.0 * r.seconds / np.latencySeconds, 1) + "%"};
        for (double c : r.criticalSeconds) cells.push_back(c > 0 ? formatFixed(c * 1e6, 1) : "");
        cells.push_back(formatFixed(100 * r.matrixUtilization, 1));
        cells.push_back(std::string(boundName(r.bound)));
        table.addRow(std::move(cells));
    }
    table.print(std::cout);
    std::cout << "\nEach fused op's time goes to the unit that bounds it (matrix, vector, memory) "
                 "plus its fixed overhead; the columns add up to the time.\n";
}

/// `show --json`: the network, its layers and, with --hw, each fused op's figures.
void printShowJson(const NetworkSpec& spec, const Network& net, const std::vector<Layer>& layers,
                   int batch, const std::optional<HwView>& hw) {
    const NetworkCost cost = totalCost(layers);
    nlohmann::json j = {{"name", spec.name},
                        {"resolution", net.resolution},
                        {"batch", batch},
                        {"params", cost.params},
                        {"macs", cost.macs},
                        {"hash", networkHash(spec)},
                        {"network", networkSpecToJson(spec)}};
    nlohmann::json ls = nlohmann::json::array();
    for (const auto& l : layers) ls.push_back(layerToJson(l));
    if (hw) {
        const NetworkPrediction np =
            summarize(hw->groups, batch, hw->profile.runtime.perStepSeconds);
        j["hw"] = {{"profile", hw->profile.name},
                   {"runtime", hw->profile.runtime.name},
                   {"dtype", std::string(dtypeName(hw->dtype))},
                   {"method", predictionMethod(hw->profile)},
                   {"latency_ms", np.latencySeconds * 1e3},
                   {"throughput_ips", np.throughput}};
        for (size_t g = 0; g < hw->groups.size(); ++g) {
            const GroupCost& gc = hw->groups[g];
            for (int i = gc.firstLayer; i <= gc.lastLayer; ++i) {
                ls[i]["hw"] = i == gc.anchorLayer ? groupToJson(gc)
                                                  : nlohmann::json{{"fused_into", gc.anchorLayer}};
            }
        }
    }
    j["layers"] = std::move(ls);
    std::cout << j.dump(2) << "\n";
}

/// `show --explain N`: the numbers behind layer N's fused op.
void printExplanation(const std::vector<Layer>& layers, const HwView& hw, int layer, bool asJson) {
    const int g = groupOfLayer(hw.groups, layer);
    if (g < 0) {
        throw ArchError("--explain " + std::to_string(layer) + ": no such layer (0.." +
                        std::to_string(layers.size() - 1) + ")");
    }
    const auto lines = explainGroup(hw.profile, layers, hw.groups[g], hw.dtype);
    if (asJson) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& l : lines)
            j.push_back({{"label", l.label}, {"value", l.value}, {"how", l.how}});
        std::cout << nlohmann::json{{"layer", layer}, {"explain", j}}.dump(2) << "\n";
    } else {
        std::cout << explainText(lines);
    }
}

/// `show`'s layer table; with --hw also each fused op's time and utilisation.
void printLayerTable(const NetworkSpec& spec, const Network& net, const std::vector<Layer>& layers,
                     int batch, const std::optional<HwView>& hw) {
    const NetworkCost cost = totalCost(layers);
    std::cout << spec.name << ": " << net.resolution << "x" << net.resolution << " input, batch "
              << batch << ", " << formatFixed(cost.params / 1e6, 3) << " M params, "
              << formatFixed(cost.macs / 1e9, 4) << " GMACs, " << cost.layers << " layers\n";
    std::vector<std::string> headers = {"#",      "layer",  "op",     "input HxWxC", "output HxWxC",
                                        "kernel", "stride", "groups", "MACs",        "params"};
    std::vector<bool> right = {true, false, false, true, true, true, true, true, true, true};
    if (hw) {
        const NetworkPrediction np =
            summarize(hw->groups, batch, hw->profile.runtime.perStepSeconds);
        std::cout << hw->profile.displayName << ", " << dtypeName(hw->dtype) << ": "
                  << formatFixed(np.latencySeconds * 1e3, 3) << " ms per batch, "
                  << formatFixed(np.throughput, 0) << " images/s (" << predictionMethod(hw->profile)
                  << ")\n";
        for (const char* h : {"time (us)", "MXU %", "VPU %", "mem %", "flop/B", "bound"}) {
            headers.push_back(h);
            right.push_back(std::string(h) != "bound");
        }
    }
    std::cout << "\n";
    Table table(headers, right);
    int i = 0;
    size_t group = 0;
    for (const auto& l : layers) {
        bool hasKernel = l.kernelH > 1 || isConvolution(l.kind) || l.kind == OpKind::DepthwiseConv;
        std::vector<std::string> row = {
            std::to_string(i),
            l.name,
            std::string(opKindName(l.kind)),
            shapeText(l.in),
            shapeText(l.out),
            hasKernel ? std::to_string(l.kernelH) + "x" + std::to_string(l.kernelW) : "",
            hasKernel ? std::to_string(l.strideH) : "",
            l.groups > 1 ? std::to_string(l.groups) : "",
            l.macs ? formatThousands(l.macs) : "",
            l.params ? formatThousands(l.params) : ""};
        if (hw) {
            while (group + 1 < hw->groups.size() && hw->groups[group].lastLayer < i) ++group;
            const GroupCost& g = hw->groups[group];
            if (i == g.anchorLayer) {
                row.push_back(formatFixed(g.seconds * 1e6, 2));
                row.push_back(formatFixed(100 * g.matrixUtilization, 1));
                row.push_back(formatFixed(100 * g.vectorUtilization, 1));
                row.push_back(formatFixed(100 * g.memoryUtilization, 1));
                row.push_back(formatFixed(g.operationalIntensity, 1));
                row.push_back(std::string(boundName(g.bound)));
            } else {
                row.insert(row.end(),
                           {"", "", "", "", "", "fused #" + std::to_string(g.anchorLayer)});
            }
        }
        table.addRow(std::move(row));
        ++i;
    }
    table.print(std::cout);
    if (hw) {
        std::cout
            << "\nTimes are per fused op (on its producer's row); % are of the datasheet peak. "
               "`--explain N` shows the numbers behind layer N.\n";
    }
}

void runShow(const std::string& model, int batch, bool asJson, const HwOptions& hwOptions) {
    const NetworkSpec spec = resolveModel(model);
    const Network net = buildNetwork(spec);
    const auto layers = expandLayers(net, batch);
    const auto hw = hwView(hwOptions, layers);
    if (hw && !hwOptions.by.empty()) {
        printBreakdown(spec, layers, *hw, batch, hwOptions.by, asJson);
        return;
    }
    if (hw && hwOptions.explainLayer >= 0) {
        printExplanation(layers, *hw, hwOptions.explainLayer, asJson);
        return;
    }
    if (asJson) {
        printShowJson(spec, net, layers, batch, hw);
        return;
    }
    printLayerTable(spec, net, layers, batch, hw);
}

}  // namespace

void addArchCommands(CLI::App& app) {
    auto* zoo = app.add_subcommand("zoo", "List the zoo models with resolution, params and MACs");
    auto zooJson = std::make_shared<bool>(false);
    zoo->add_flag("--json", *zooJson, "One JSON document on stdout");
    zoo->callback([zooJson] { runZoo(*zooJson); });

    auto* show = app.add_subcommand("show", "Per-layer table of a model: shapes, MACs, params");
    auto model = std::make_shared<std::string>();
    auto batch = std::make_shared<int>(kDefaultBatch);
    show->add_option("model", *model, "Zoo name or architecture .json file")->required();
    addBatchOption(show, *batch);
    auto showJson = std::make_shared<bool>(false);
    show->add_flag("--json", *showJson, "One JSON document on stdout");
    auto hwOptions = std::make_shared<HwOptions>();
    auto* hwOpt = show->add_option("--hw", hwOptions->profile,
                                   "Add the platform model's columns: profile name or .json file");
    show->add_option("--runtime", hwOptions->runtime, "With --hw: " + runtimeOptionHelp())
        ->needs(hwOpt);
    show->add_option("--dtype", hwOptions->dtype, "With --hw: " + dtypeNameList())->needs(hwOpt);
    auto* explain = show->add_option("--explain", hwOptions->explainLayer,
                                     "With --hw: the numbers behind layer N's time")
                        ->needs(hwOpt);
    show->add_option("--by", hwOptions->by,
                     "With --hw: the time by fused op, block or stage, split by bounding unit")
        ->check(CLI::IsMember({"op", "block", "stage"}))
        ->needs(hwOpt)
        ->excludes(explain);
    show->callback([=] { runShow(*model, *batch, *showJson, *hwOptions); });
}

}  // namespace archscope::cli
