// `zoo` and `show`: the architecture IR as tables or JSON.
#include <iostream>
#include <nlohmann/json.hpp>

#include "arch/expand.h"
#include "arch/json.h"
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

void runShow(const std::string& model, int batch, bool asJson) {
    const NetworkSpec spec = resolveModel(model);
    const Network net = buildNetwork(spec);
    const auto layers = expandLayers(net, batch);
    const NetworkCost cost = totalCost(layers);
    if (asJson) {
        nlohmann::json j = {{"name", spec.name},
                            {"resolution", net.resolution},
                            {"batch", batch},
                            {"params", cost.params},
                            {"macs", cost.macs},
                            {"hash", networkHash(spec)},
                            {"network", networkSpecToJson(spec)}};
        nlohmann::json ls = nlohmann::json::array();
        for (const auto& l : layers) ls.push_back(layerToJson(l));
        j["layers"] = std::move(ls);
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << spec.name << ": " << net.resolution << "x" << net.resolution << " input, batch "
              << batch << ", " << formatFixed(cost.params / 1e6, 3) << " M params, "
              << formatFixed(cost.macs / 1e9, 4) << " GMACs, " << cost.layers << " layers\n\n";
    Table table({"#", "layer", "op", "input HxWxC", "output HxWxC", "kernel", "stride", "groups",
                 "MACs", "params"},
                {true, false, false, true, true, true, true, true, true, true});
    int i = 0;
    for (const auto& l : layers) {
        bool hasKernel = l.kernelH > 1 || isConvolution(l.kind) || l.kind == OpKind::DepthwiseConv;
        table.addRow({std::to_string(i++), l.name, std::string(opKindName(l.kind)),
                      shapeText(l.in), shapeText(l.out),
                      hasKernel ? std::to_string(l.kernelH) + "x" + std::to_string(l.kernelW) : "",
                      hasKernel ? std::to_string(l.strideH) : "",
                      l.groups > 1 ? std::to_string(l.groups) : "",
                      l.macs ? formatThousands(l.macs) : "",
                      l.params ? formatThousands(l.params) : ""});
    }
    table.print(std::cout);
}

void addArchCommands(CLI::App& app) {
    auto* zoo = app.add_subcommand("zoo", "List the zoo models with resolution, params and MACs");
    auto zooJson = std::make_shared<bool>(false);
    zoo->add_flag("--json", *zooJson, "One JSON document on stdout");
    zoo->callback([zooJson] { runZoo(*zooJson); });

    auto* show = app.add_subcommand("show", "Per-layer table of a model: shapes, MACs, params");
    auto model = std::make_shared<std::string>();
    auto batch = std::make_shared<int>(1);
    show->add_option("model", *model, "Zoo name or architecture .json file")->required();
    show->add_option("--batch", *batch, "Batch size")->check(CLI::Range(1, 1 << 16));
    auto showJson = std::make_shared<bool>(false);
    show->add_flag("--json", *showJson, "One JSON document on stdout");
    show->callback([=] { runShow(*model, *batch, *showJson); });
}

const CommandRegistrar registrar(10, addArchCommands);

}  // namespace

}  // namespace archscope::cli
