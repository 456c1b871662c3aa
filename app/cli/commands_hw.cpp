// `profiles`, `predict` and `compare`: the analytical platform model from the command line.
#include <algorithm>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "analysis/comparison.h"
#include "arch/error.h"
#include "arch/expand.h"
#include "arch/network.h"
#include "batch_option.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "hw/runtime_io.h"
#include "registry.h"
#include "table.h"
#include "zoo/zoo.h"

namespace archscope::cli {
namespace {

Dtype dtypeFor(const Profile& p, const std::string& name) {
    if (name.empty()) return p.defaultDtype;
    const Dtype d = parseDtype(name, "--dtype");
    requireDtype(p, d);
    return d;
}

/// Every parameter with its value, unit and source (or assumption), by dotted path.
nlohmann::json parametersJson(const std::vector<ProfileParameter>& parameters) {
    nlohmann::json sources = nlohmann::json::object();
    for (const auto& param : parameters) {
        sources[param.path] = {{"value", param.value},
                               {"unit", param.unit},
                               {param.assumption ? "assumption" : "source", param.source}};
    }
    return sources;
}

void runProfiles(bool asJson) {
    nlohmann::json list = nlohmann::json::array();
    Table table({"profile", "platform", "kind", "matrix peak (TFLOP/s)", "vector (Gop/s)",
                 "memory (GB/s)", "default dtype", "default runtime", "version"},
                {false, false, false, true, true, true, false, false, true});
    for (const auto& name : listProfiles()) {
        const Profile p = loadProfile(name);
        nlohmann::json peaks = nlohmann::json::object();
        std::string peakText;
        for (int d = 0; d < kDtypeCount; ++d) {
            const double macs = p.matrix.peakMacsPerSecond[d];
            if (macs <= 0.0) continue;
            const std::string dn(dtypeName(Dtype(d)));
            peaks[dn] = 2.0 * macs / 1e12;
            peakText += (peakText.empty() ? "" : " ") + dn + ":" +
                        formatFixed(2.0 * macs / 1e12, macs < 5e11 ? 3 : 1);
        }
        const nlohmann::json sources = parametersJson(p.parameters);
        list.push_back({{"name", p.name},
                        {"display_name", p.displayName},
                        {"kind", p.kind},
                        {"version", p.version},
                        {"file", p.file},
                        {"default_dtype", std::string(dtypeName(p.defaultDtype))},
                        {"default_runtime", p.defaultRuntime},
                        {"matrix_peak_tflops", peaks},
                        {"vector_peak_gops", p.vector.peakOpsPerSecond / 1e9},
                        {"memory_bandwidth_gbps", p.memory.bandwidthBytesPerSecond / 1e9},
                        {"parameters", sources}});
        table.addRow({p.name, p.displayName, p.kind, peakText,
                      formatFixed(p.vector.peakOpsPerSecond / 1e9, 0),
                      formatFixed(p.memory.bandwidthBytesPerSecond / 1e9, 0),
                      std::string(dtypeName(p.defaultDtype)), p.defaultRuntime,
                      std::to_string(p.version)});
    }
    if (asJson) {
        std::cout << nlohmann::json{{"profiles", list}}.dump(2) << "\n";
        return;
    }
    table.print(std::cout);
    std::cout
        << "\nEvery figure carries its source or assumption: see the JSON files (--json lists "
           "them) and docs/hw-model.md.\n";
}

void runRuntimes(bool asJson) {
    nlohmann::json list = nlohmann::json::array();
    Table table({"runtime", "kind", "fuses (bn act se-sigmoid se-mul add)", "per op (us)",
                 "launch (us)", "per step (us)", "efficiency dense/1x1/dw/elem/pool+SE"},
                {false, false, false, true, true, true, false});
    auto ruleName = [](FusionRule r) {
        return r == FusionRule::Producer ? "P" : r == FusionRule::Consumer ? "C" : "-";
    };
    for (const auto& name : listRuntimes()) {
        for (const auto& kind : runtimeKinds(name)) {
            const Runtime r = loadRuntime(name, kind);
            std::string fuses, effs;
            for (OpKind k : {OpKind::BatchNorm, OpKind::Act, OpKind::SeSigmoid, OpKind::SeMultiply,
                             OpKind::ResidualAdd})
                fuses += std::string(fuses.empty() ? "" : " ") + ruleName(r.fusionOf(k));
            nlohmann::json eff = nlohmann::json::object();
            for (int c = 0; c < kOpClassCount; ++c) {
                effs += (c ? "/" : "") + formatFixed(r.efficiency[size_t(c)], 2);
                eff[std::string(opClassName(OpClass(c)))] = r.efficiency[size_t(c)];
            }
            const nlohmann::json sources = parametersJson(r.parameters);
            list.push_back({{"name", r.name},
                            {"display_name", r.displayName},
                            {"kind", kind},
                            {"version", r.version},
                            {"file", r.file},
                            {"per_fused_op_us", r.perGroupSeconds * 1e6},
                            {"per_kernel_launch_us", r.perKernelLaunchSeconds * 1e6},
                            {"per_step_us", r.perStepSeconds * 1e6},
                            {"efficiency", eff},
                            {"parameters", sources}});
            table.addRow({r.name, kind, fuses, formatFixed(r.perGroupSeconds * 1e6, 2),
                          formatFixed(r.perKernelLaunchSeconds * 1e6, 2),
                          formatFixed(r.perStepSeconds * 1e6, 1), effs});
        }
    }
    if (asJson) {
        std::cout << nlohmann::json{{"runtimes", list}}.dump(2) << "\n";
        return;
    }
    table.print(std::cout);
    std::cout << "\nP: fused into its producer, C: into its consumer, -: its own kernel. A "
                 "runtime's efficiency is the fraction of the roofline its kernels of that class "
                 "reach (docs/hw-model.md, \"Runtimes\").\n";
}

struct Predicted {
    std::string name;
    NetworkPrediction prediction;
    NetworkCost cost;
};

Predicted predictOne(const Profile& p, const std::string& model, int batch, Dtype dtype) {
    const NetworkSpec spec = resolveModel(model);
    const auto layers = expandLayers(buildNetwork(spec), batch);
    Predicted r{spec.name, predictNetwork(p, layers, dtype),
                totalCost(expandLayers(buildNetwork(spec), 1))};
    return r;
}

void runPredict(const std::vector<std::string>& models, const std::string& hw,
                const std::string& runtime, int batch, const std::string& dtypeName_, bool asJson) {
    const Profile p = loadPlatform(hw, runtime);
    const Dtype dtype = dtypeFor(p, dtypeName_);
    nlohmann::json list = nlohmann::json::array();
    Table table({"model", "latency (ms)", "throughput (img/s)", "GMACs", "params (M)",
                 "matrix-bound", "vector-bound", "memory-bound", "overhead-bound"},
                {false, true, true, true, true, true, true, true, true});
    for (const auto& m : models) {
        const Predicted r = predictOne(p, m, batch, dtype);
        const auto& np = r.prediction;
        list.push_back({{"name", r.name},
                        {"latency_ms", np.latencySeconds * 1e3},
                        {"throughput_ips", np.throughput},
                        {"macs", r.cost.macs},
                        {"params", r.cost.params},
                        {"fused_ops", np.groups},
                        {"seconds_by_bound",
                         {{"matrix", np.secondsByBound[0]},
                          {"vector", np.secondsByBound[1]},
                          {"memory", np.secondsByBound[2]},
                          {"overhead", np.secondsByBound[3]}}}});
        auto share = [&](int i) {
            return formatFixed(100.0 * np.secondsByBound[i] / np.latencySeconds, 0) + "%";
        };
        table.addRow({r.name, formatFixed(np.latencySeconds * 1e3, 3),
                      formatFixed(np.throughput, 0), formatFixed(r.cost.macs / 1e9, 3),
                      formatFixed(r.cost.params / 1e6, 2), share(0), share(1), share(2), share(3)});
    }
    if (asJson) {
        std::cout << nlohmann::json{{"profile", p.name},
                                    {"profile_version", p.version},
                                    {"runtime", p.runtime.name},
                                    {"runtime_version", p.runtime.version},
                                    {"batch", batch},
                                    {"dtype", std::string(dtypeName(dtype))},
                                    {"method", predictionMethod(p)},
                                    {"models", list}}
                         .dump(2)
                  << "\n";
        return;
    }
    std::cout << p.displayName << ", " << dtypeName(dtype) << ", batch " << batch << " ("
              << predictionMethod(p) << ")\n\n";
    table.print(std::cout);
    std::cout << "\nMACs and params at batch 1. The bound columns share the latency among fused "
                 "ops by what limits each.\n";
}

/// `compare A B --hw P`: two networks side by side, why one is faster, and the per-stage split.
void runComparePair(const std::vector<std::string>& models, const std::string& hw,
                    const std::string& runtime, int batch, const std::string& dtypeName_,
                    bool asJson) {
    const Profile p = loadPlatform(hw, runtime);
    const Dtype dtype = dtypeFor(p, dtypeName_);
    const auto a = analysis::summarizeNetwork(resolveModel(models[0]), p, batch, dtype);
    const auto b = analysis::summarizeNetwork(resolveModel(models[1]), p, batch, dtype);
    const analysis::Explanation why = analysis::explainDifference(a, b);
    auto summaryJson = [](const analysis::NetworkSummary& s) {
        nlohmann::json bounds = nlohmann::json::object();
        for (int i = 0; i < kBoundCount; ++i)
            bounds[std::string(boundName(Bound(i)))] = s.prediction.secondsByBound[size_t(i)];
        return nlohmann::json{{"name", s.name},
                              {"params", s.params},
                              {"macs_per_image", s.macsPerImage},
                              {"latency_ms", s.prediction.latencySeconds * 1e3},
                              {"throughput_ips", s.prediction.throughput},
                              {"fused_ops", s.prediction.groups},
                              {"matrix_utilization", s.matrixUtilization},
                              {"seconds_by_bound", bounds},
                              {"published_top1", s.publishedTop1 ? nlohmann::json(*s.publishedTop1)
                                                                 : nlohmann::json()}};
    };
    if (asJson) {
        std::cout << nlohmann::json{{"profile", p.name},
                                    {"runtime", p.runtime.name},
                                    {"dtype", std::string(dtypeName(dtype))},
                                    {"batch", batch},
                                    {"method", predictionMethod(p)},
                                    {"a", summaryJson(a)},
                                    {"b", summaryJson(b)},
                                    {"explanation", analysis::explanationToJson(why)},
                                    {"stages",
                                     {{"a", analysis::stageSplitToJson(a.stages)},
                                      {"b", analysis::stageSplitToJson(b.stages)}}}}
                         .dump(2)
                  << "\n";
        return;
    }
    std::cout << "A = " << a.name << ", B = " << b.name << " on " << p.displayName << ", "
              << dtypeName(dtype) << ", batch " << batch << " (" << predictionMethod(p) << ")\n\n";
    Table figures({"", "A", "B", "B/A"}, {false, true, true, true});
    auto add = [&](const std::string& label, double va, double vb, int decimals) {
        figures.addRow({label, formatFixed(va, decimals), formatFixed(vb, decimals),
                        va > 0 ? formatFixed(vb / va, 2) : "-"});
    };
    add("params (M)", a.params / 1e6, b.params / 1e6, 2);
    add("GMACs per image", a.macsPerImage / 1e9, b.macsPerImage / 1e9, 3);
    add("latency (ms)", a.prediction.latencySeconds * 1e3, b.prediction.latencySeconds * 1e3, 3);
    add("throughput (img/s)", a.prediction.throughput, b.prediction.throughput, 0);
    add("matrix utilization (%)", 100 * a.matrixUtilization, 100 * b.matrixUtilization, 1);
    for (int i = 0; i < kBoundCount; ++i) {
        add(std::string(boundName(Bound(i))) + "-bound (ms)",
            a.prediction.secondsByBound[size_t(i)] * 1e3,
            b.prediction.secondsByBound[size_t(i)] * 1e3, 3);
    }
    figures.print(std::cout);
    std::cout << "\nWhy:\n";
    for (const auto& sentence : analysis::explanationSentences(why))
        std::cout << "- " << sentence << "\n";
    std::cout << "\nPer stage (predicted time, the unit bounding most of it):\n";
    Table stages({"stage", "A (us)", "A bound", "B (us)", "B bound"},
                 {false, true, false, true, false});
    for (const auto& ra : a.stages) {
        std::vector<std::string> cells = {ra.name, formatFixed(ra.seconds * 1e6, 1),
                                          std::string(boundName(ra.bound)), "-", ""};
        for (const auto& rb : b.stages) {
            if (rb.stage != ra.stage) continue;
            cells[3] = formatFixed(rb.seconds * 1e6, 1);
            cells[4] = std::string(boundName(rb.bound));
        }
        stages.addRow(std::move(cells));
    }
    stages.print(std::cout);
}

void requireKnownFamilies(const std::vector<std::string>& families) {
    const auto known = zooFamilies();
    for (const auto& f : families) {
        if (std::find(known.begin(), known.end(), f) == known.end()) {
            std::string list;
            for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
            throw ArchError("unknown family \"" + f + "\"; known: " + list);
        }
    }
}

/// The narrow layout names families A/B and platforms 1/2 in a legend so two platforms fit a
/// 100-column terminal; --wide spells them out in every header.
std::vector<std::string> compareHeaders(const std::string& a, const std::string& b,
                                        const std::vector<Profile>& profiles, bool wide) {
    std::vector<std::string> headers = {"level", wide ? "MACs " + b + "/" + a : "MACs B/A"};
    for (size_t i = 0; i < profiles.size(); ++i) {
        const std::string& pn = profiles[i].name;
        const std::string at = "@" + std::to_string(i + 1);
        headers.push_back(wide ? pn + " " + a + " (ms)" : "A ms" + at);
        headers.push_back(wide ? pn + " " + b + " (ms)" : "B ms" + at);
        headers.push_back(wide ? pn + " latency " + b + "/" + a : "B/A" + at);
    }
    if (profiles.size() == 2) {
        const std::string move = profiles[0].name + "->" + profiles[1].name;
        headers.push_back(wide ? "speed-up " + a + " " + move : "A 1->2");
        headers.push_back(wide ? "speed-up " + b + " " + move : "B 1->2");
    }
    return headers;
}

/// One level of the two families on every platform: its JSON row and its table cells.
std::pair<nlohmann::json, std::vector<std::string>> compareLevel(
    const std::string& a, const std::string& b, int level, const std::vector<Profile>& profiles,
    const std::vector<Dtype>& dtypes, int batch) {
    const std::string na = familyMemberName(a, level), nb = familyMemberName(b, level);
    const auto la = expandLayers(buildNetwork(*zooSpec(na)), batch);
    const auto lb = expandLayers(buildNetwork(*zooSpec(nb)), batch);
    const double macsA = double(totalCost(la).macs), macsB = double(totalCost(lb).macs);
    nlohmann::json row = {{"level", level},
                          {a, {{"name", na}, {"macs", macsA / batch}}},
                          {b, {{"name", nb}, {"macs", macsB / batch}}},
                          {"macs_ratio", macsB / macsA}};
    std::vector<std::string> cells = {"b" + std::to_string(level), formatFixed(macsB / macsA, 2)};
    std::vector<double> latA, latB;
    nlohmann::json per = nlohmann::json::array();
    for (size_t i = 0; i < profiles.size(); ++i) {
        latA.push_back(predictNetwork(profiles[i], la, dtypes[i]).latencySeconds * 1e3);
        latB.push_back(predictNetwork(profiles[i], lb, dtypes[i]).latencySeconds * 1e3);
        per.push_back({{"profile", profiles[i].name},
                       {"runtime", profiles[i].runtime.name},
                       {"dtype", std::string(dtypeName(dtypes[i]))},
                       {"latency_ms", {{a, latA[i]}, {b, latB[i]}}},
                       {"latency_ratio", latB[i] / latA[i]}});
        cells.push_back(formatFixed(latA[i], 3));
        cells.push_back(formatFixed(latB[i], 3));
        cells.push_back(formatFixed(latB[i] / latA[i], 2));
    }
    row["platforms"] = per;
    if (profiles.size() == 2) {
        row["speedup"] = {{a, latA[0] / latA[1]}, {b, latB[0] / latB[1]}};
        cells.push_back(formatFixed(latA[0] / latA[1], 2) + "x");
        cells.push_back(formatFixed(latB[0] / latB[1], 2) + "x");
    }
    return {row, cells};
}

void runCompare(const std::vector<std::string>& families, const std::vector<std::string>& hws,
                const std::string& runtime, int batch, const std::string& dtypeName_, bool asJson,
                bool wide) {
    if (families.size() != 2)
        throw ArchError("compare needs two models or exactly two --family options");
    if (hws.empty() || hws.size() > 2) throw ArchError("compare needs one or two --hw options");
    requireKnownFamilies(families);
    std::vector<Profile> profiles;
    std::vector<Dtype> dtypes;
    for (const auto& h : hws) {
        profiles.push_back(loadPlatform(h, runtime));
        dtypes.push_back(dtypeFor(profiles.back(), dtypeName_));
    }
    const std::string& a = families[0];
    const std::string& b = families[1];
    // Only the levels both families define (the -h- families have B5..B7 only).
    const std::vector<int> levelsA = familyLevels(a), levelsB = familyLevels(b);
    std::vector<int> common;
    std::set_intersection(levelsA.begin(), levelsA.end(), levelsB.begin(), levelsB.end(),
                          std::back_inserter(common));
    if (common.empty()) {
        throw ArchError("families \"" + a + "\" and \"" + b + "\" share no level (B0..B7)");
    }
    nlohmann::json levels = nlohmann::json::array();
    const std::vector<std::string> headers = compareHeaders(a, b, profiles, wide);
    Table table(headers, std::vector<bool>(headers.size(), true));
    for (int level : common) {
        auto [row, cells] = compareLevel(a, b, level, profiles, dtypes, batch);
        levels.push_back(std::move(row));
        table.addRow(std::move(cells));
    }
    if (asJson) {
        nlohmann::json methods = nlohmann::json::array();
        for (const auto& p : profiles) methods.push_back(predictionMethod(p));
        std::cout << nlohmann::json{{"families", families}, {"compared_levels", common},
                                    {"profiles", hws},      {"batch", batch},
                                    {"methods", methods},   {"levels", levels}}
                         .dump(2)
                  << "\n";
        return;
    }
    auto levelRange = [](const std::vector<int>& l) {
        return "B" + std::to_string(l.front()) + ".." + "B" + std::to_string(l.back());
    };
    std::cout << "A = " << a << ", B = " << b << "; batch " << batch
              << "; ratios are B / A (latency ratio < 1: B is faster)\n";
    for (size_t i = 0; i < profiles.size(); ++i)
        std::cout << (wide ? "" : std::to_string(i + 1) + " = ") << profiles[i].name << ": "
                  << predictionMethod(profiles[i]) << "\n";
    if (common.size() < std::max(levelsA.size(), levelsB.size())) {
        std::cout << "levels compared: " << levelRange(common) << ", the ones both define (" << a
                  << ": " << levelRange(levelsA) << ", " << b << ": " << levelRange(levelsB)
                  << ")\n";
    }
    std::cout << "\n";
    table.print(std::cout);
}

}  // namespace

void addHwCommands(CLI::App& app) {
    auto* profiles =
        app.add_subcommand("profiles", "List the platform profiles with peaks and sources");
    auto profilesJson = std::make_shared<bool>(false);
    profiles->add_flag("--json", *profilesJson, "One JSON document on stdout");
    profiles->callback([profilesJson] { runProfiles(*profilesJson); });

    auto* runtimes = app.add_subcommand(
        "runtimes", "List the runtimes (XLA, TensorRT, PyTorch eager) with their figures");
    auto runtimesJson = std::make_shared<bool>(false);
    runtimes->add_flag("--json", *runtimesJson, "One JSON document on stdout");
    runtimes->callback([runtimesJson] { runRuntimes(*runtimesJson); });

    auto* predict =
        app.add_subcommand("predict", "Predict latency and throughput of models on a platform");
    auto models = std::make_shared<std::vector<std::string>>();
    auto hw = std::make_shared<std::string>();
    auto batch = std::make_shared<int>(kDefaultBatch);
    auto dtype = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    predict->add_option("model", *models, "Zoo names or architecture .json files")->required();
    predict->add_option("--hw", *hw, "Profile name (see `profiles`) or profile .json file")
        ->required();
    addBatchOption(predict, *batch);
    auto runtime = std::make_shared<std::string>();
    predict->add_option("--runtime", *runtime, runtimeOptionHelp());
    predict->add_option("--dtype", *dtype, dtypeNameList() + " (default: the profile's)");
    predict->add_flag("--json", *json, "One JSON document on stdout");
    predict->callback([=] { runPredict(*models, *hw, *runtime, *batch, *dtype, *json); });

    auto* compare = app.add_subcommand(
        "compare",
        "Two models on one platform (figures, why one is faster, per-stage split), or two model "
        "families level by level (the levels both define, B0..B7) on one or two platforms");
    auto pair = std::make_shared<std::vector<std::string>>();
    auto wide = std::make_shared<bool>(false);
    compare->add_option("model", *pair, "Two zoo names or architecture .json files")->expected(2);
    auto families = std::make_shared<std::vector<std::string>>();
    auto hws = std::make_shared<std::vector<std::string>>();
    auto cbatch = std::make_shared<int>(kDefaultBatch);
    auto cdtype = std::make_shared<std::string>();
    auto cjson = std::make_shared<bool>(false);
    compare->add_option("--family", *families, "A zoo family (give two; instead of two models)");
    compare->add_option("--hw", *hws, "A profile (one; with --family, one or two)")->required();
    addBatchOption(compare, *cbatch);
    auto cruntime = std::make_shared<std::string>();
    compare->add_option("--runtime", *cruntime, runtimeOptionHelp() + "; applies to every --hw");
    compare->add_option("--dtype", *cdtype, dtypeNameList() + " (default: each profile's)");
    compare->add_flag("--json", *cjson, "One JSON document on stdout");
    compare->add_flag("--wide", *wide,
                      "With --family: full family and platform names in every column header");
    compare->callback([=] {
        if (!pair->empty() && !families->empty())
            throw ArchError("compare takes either two models or two --family options, not both");
        if (pair->empty()) {
            runCompare(*families, *hws, *cruntime, *cbatch, *cdtype, *cjson, *wide);
            return;
        }
        if (hws->size() != 1)
            throw ArchError(
                "compare of two models needs exactly one --hw (give two --family "
                "options to compare families across platforms)");
        runComparePair(*pair, hws->front(), *cruntime, *cbatch, *cdtype, *cjson);
    });
}

}  // namespace archscope::cli
