// `validate`: the analytical model against the shipped public measurements (docs/validation.md).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "arch/error.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "hw/runtime_io.h"
#include "hw/validation.h"
#include "registry.h"
#include "table.h"
#include "util/output_path.h"

namespace archscope::cli {
namespace {

struct Outcome : TableValidation {
    const ValidationTable* table = nullptr;
};

nlohmann::json pointsJson(const ValidationResult& r) {
    nlohmann::json points = nlohmann::json::array();
    for (const auto& p : r.points) {
        points.push_back({{"model", p.model},
                          {"batch", p.batch},
                          {"resolution", p.resolution},
                          {"measured_ms", p.measuredMs},
                          {"predicted_ms", p.predictedMs},
                          {"macs", p.macs},
                          {"activation_elements", p.activationElements}});
    }
    return points;
}

struct ValidateOptions {
    std::vector<std::string> tables;
    std::string runtime;     ///< predict every table under this runtime instead of its own
    std::string fitRuntime;  ///< fit this runtime on the "fit" tables first
    std::string kind = "gpu";
    std::vector<std::string> parameters = {
        "overhead.per_kernel_launch", "overhead.per_step",         "efficiency.dense_conv",
        "efficiency.pointwise_conv",  "efficiency.depthwise_conv", "efficiency.elementwise",
        "efficiency.pool_se"};
    std::string out;  ///< where to write the fitted runtime
    bool json = false;
};

nlohmann::json fitJson(const RuntimeFitResult& r) {
    nlohmann::json params = nlohmann::json::array();
    for (const auto& p : r.parameters)
        params.push_back({{"name", p.name}, {"initial", p.initial}, {"fitted", p.fitted}});
    return {{"runtime", r.runtime.name},
            {"kind", r.runtime.kind},
            {"parameters", params},
            {"mean_abs_error_pct", r.meanAbsErrorPercent},
            {"evaluations", r.evaluations}};
}

// Long (~100 lines): the optional runtime fit, then the table, the JSON and the notes, each a
// short block over the same results.
void runValidate(const ValidateOptions& opt) {
    const bool asJson = opt.json;
    std::vector<ValidationTable> tables;
    if (opt.tables.empty()) {
        tables = loadValidationTables();
    } else {
        for (const auto& n : opt.tables) tables.push_back(loadValidationTable(n));
    }
    std::optional<RuntimeFitResult> fit;
    if (!opt.fitRuntime.empty()) {
        // Check the output folder before the fit.
        if (!opt.out.empty()) requireOutputPath(opt.out, "runtime");
        fit = fitRuntimeOnTables(tables, opt.fitRuntime, opt.kind, opt.parameters);
        if (!opt.out.empty()) {
            std::ofstream out(opt.out);
            out << runtimeToJson(fit->runtime).dump(2) << "\n";
            if (!out) throw ArchError("cannot write " + opt.out);
        }
    }
    std::vector<Outcome> outcomes;
    for (const auto& t : tables) {
        Outcome o{validateOnPlatform(t, opt.runtime, fit ? &fit->runtime : nullptr)};
        o.table = &t;
        outcomes.push_back(std::move(o));
    }

    if (asJson) {
        nlohmann::json list = nlohmann::json::array(), skipped = nlohmann::json::array();
        for (const auto& o : outcomes) {
            const ValidationTable& t = *o.table;
            if (!o.skipped.empty()) {
                skipped.push_back({{"name", t.name},
                                   {"platform", t.platform},
                                   {"runtime", t.runtime},
                                   {"dtype", t.dtype},
                                   {"role", t.role},
                                   {"n", t.rows.size()},
                                   {"reason", o.skipped}});
                continue;
            }
            const ValidationResult& r = o.result;
            list.push_back({{"name", t.name},
                            {"platform", t.platform},
                            {"runtime", o.runtime},
                            {"table_runtime", t.runtime},
                            {"software", t.software},
                            {"dtype", t.dtype},
                            {"role", t.role},
                            {"n", r.count},
                            {"tau_model", r.tauModel},
                            {"tau_macs", r.tauMacs},
                            {"tau_activations", r.tauActivations},
                            {"median_abs_error", r.medianAbsErrorPercent},
                            {"points", pointsJson(r)}});
        }
        nlohmann::json doc = {{"tables", list}, {"skipped", skipped}};
        if (fit) doc["fit"] = fitJson(*fit);
        std::cout << doc.dump(2) << "\n";
        return;
    }
    Table table({"table", "platform", "runtime", "dtype", "role", "n", "tau model", "tau MACs",
                 "tau activations", "median |err|"},
                {false, false, false, false, false, true, true, true, true, true});
    std::vector<std::string> skippedLines;
    for (const auto& o : outcomes) {
        const ValidationTable& t = *o.table;
        if (!o.skipped.empty()) {
            table.addRow({t.name, t.platform, o.runtime, t.dtype, t.role,
                          std::to_string(t.rows.size()), "-", "-", "-", "skipped"});
            skippedLines.push_back(t.name + ": " + o.skipped);
            continue;
        }
        const ValidationResult& r = o.result;
        table.addRow({t.name, t.platform, o.runtime, t.dtype, t.role, std::to_string(r.count),
                      formatFixed(r.tauModel, 2), formatFixed(r.tauMacs, 2),
                      formatFixed(r.tauActivations, 2),
                      formatFixed(r.medianAbsErrorPercent, 1) + "%"});
    }
    if (fit) {
        std::cout << "Fitted " << fit->runtime.name << " on " << fit->runtime.kind
                  << " platforms (tables with role \"fit\"; every other table is held out): "
                  << fit->evaluations << " evaluations, mean |error| on the fit rows "
                  << formatFixed(fit->meanAbsErrorPercent, 1) << "%\n";
        Table params({"parameter", "before", "after"}, {false, true, true});
        for (const auto& p : fit->parameters)
            params.addRow({p.name, formatFixed(p.initial, 4), formatFixed(p.fitted, 4)});
        params.print(std::cout);
        if (!opt.out.empty()) std::cout << "wrote " << opt.out << "\n";
        std::cout << "\n";
    }
    table.print(std::cout);
    std::cout << "\ntau: Kendall tau-b against the measured latency (1 = same order); the model "
                 "ranks at least as well as a proxy when its tau is not lower. Predicted by each "
                 "table's platform profile under the runtime shown, at the table's dtype; "
                 "sources and method: docs/validation.md.\n";
    for (const auto& line : skippedLines) std::cout << "skipped " << line << "\n";
}

}  // namespace

void addValidateCommands(CLI::App& app) {
    auto* validate = app.add_subcommand(
        "validate",
        "Compare the model with the shipped public latency tables (Kendall tau, error)");
    auto o = std::make_shared<ValidateOptions>();
    validate->add_option("--table", o->tables,
                         "A table name (resources/validation) or .json file; repeatable; "
                         "default: all shipped tables");
    validate->add_option("--runtime", o->runtime,
                         "Predict every table under this runtime instead of its own");
    validate->add_option("--fit-runtime", o->fitRuntime,
                         "First fit this runtime's parameters on the tables whose role is "
                         "\"fit\", then validate every table with it");
    validate->add_option("--kind", o->kind, "With --fit-runtime: the platform kind")
        ->capture_default_str();
    validate->add_option("--params", o->parameters, "With --fit-runtime: parameters to fit")
        ->delimiter(',');
    validate->add_option("--out", o->out, "With --fit-runtime: write the fitted runtime here");
    validate->add_flag("--json", o->json, "One JSON document on stdout");
    validate->callback([o] { runValidate(*o); });
}

}  // namespace archscope::cli
