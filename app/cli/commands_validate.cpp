// `validate`: the analytical model against the shipped public measurements (docs/validation.md).
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "hw/validation.h"
#include "registry.h"
#include "table.h"

namespace archscope::cli {
namespace {

/// The precision the model is asked for: it has no TF32 rate yet, so TF32 tables are predicted
/// at fp32 (the profiles' fp32 peak is the CUDA-core one).
Dtype modelDtype(const ValidationTable& t) {
    if (t.dtype == "tf32") return Dtype::Fp32;
    const auto d = dtypeFromName(t.dtype);
    if (!d) throw ArchError("table " + t.name + ": dtype \"" + t.dtype + "\" has no model rate");
    return *d;
}

/// The prediction `validate` checks: the table's platform profile through predictModel at the
/// row's batch and resolution. Runtimes (t.runtime) will select a model variant here.
LatencyPredictor predictorFor(const Profile& profile) {
    return [&profile](const NetworkSpec& spec, int batch, const ValidationTable& t) {
        return predictModel(profile, spec, batch, modelDtype(t)).latencySeconds * 1e3;
    };
}

struct Outcome {
    const ValidationTable* table;
    ValidationResult result;
    std::string skipped;  ///< why no prediction was possible; empty when validated
};

Outcome validateOne(const ValidationTable& t, std::map<std::string, Profile>& profiles) {
    try {
        auto it = profiles.find(t.platform);
        if (it == profiles.end()) it = profiles.emplace(t.platform, loadProfile(t.platform)).first;
        requireDtype(it->second, modelDtype(t));
        return {&t, validateTable(t, predictorFor(it->second)), {}};
    } catch (const ArchError& e) {
        return {&t, {}, e.what()};
    }
}

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

void runValidate(const std::vector<std::string>& names, bool asJson) {
    std::vector<ValidationTable> tables;
    if (names.empty()) {
        tables = loadValidationTables();
    } else {
        for (const auto& n : names) tables.push_back(loadValidationTable(n));
    }
    std::map<std::string, Profile> profiles;
    std::vector<Outcome> outcomes;
    for (const auto& t : tables) outcomes.push_back(validateOne(t, profiles));

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
                            {"runtime", t.runtime},
                            {"dtype", t.dtype},
                            {"role", t.role},
                            {"n", r.count},
                            {"tau_model", r.tauModel},
                            {"tau_macs", r.tauMacs},
                            {"tau_activations", r.tauActivations},
                            {"median_abs_error", r.medianAbsErrorPercent},
                            {"points", pointsJson(r)}});
        }
        std::cout << nlohmann::json{{"tables", list}, {"skipped", skipped}}.dump(2) << "\n";
        return;
    }
    Table table({"table", "platform", "runtime", "dtype", "role", "n", "tau model", "tau MACs",
                 "tau activations", "median |err|"},
                {false, false, false, false, false, true, true, true, true, true});
    std::vector<std::string> skippedLines;
    for (const auto& o : outcomes) {
        const ValidationTable& t = *o.table;
        if (!o.skipped.empty()) {
            table.addRow({t.name, t.platform, t.runtime, t.dtype, t.role,
                          std::to_string(t.rows.size()), "-", "-", "-", "skipped"});
            skippedLines.push_back(t.name + ": " + o.skipped);
            continue;
        }
        const ValidationResult& r = o.result;
        table.addRow({t.name, t.platform, t.runtime, t.dtype, t.role, std::to_string(r.count),
                      formatFixed(r.tauModel, 2), formatFixed(r.tauMacs, 2),
                      formatFixed(r.tauActivations, 2),
                      formatFixed(r.medianAbsErrorPercent, 1) + "%"});
    }
    table.print(std::cout);
    std::cout << "\ntau: Kendall tau-b against the measured latency (1 = same order). Predicted by "
                 "the platform profile's analytical model at the table's dtype (tf32 as fp32); "
                 "sources and method: docs/validation.md.\n";
    for (const auto& line : skippedLines) std::cout << "skipped " << line << "\n";
}

void addValidateCommands(CLI::App& app) {
    auto* validate = app.add_subcommand(
        "validate",
        "Compare the model with the shipped public latency tables (Kendall tau, error)");
    auto names = std::make_shared<std::vector<std::string>>();
    auto json = std::make_shared<bool>(false);
    validate->add_option("--table", *names,
                         "A table name (resources/validation) or .json file; repeatable; "
                         "default: all shipped tables");
    validate->add_flag("--json", *json, "One JSON document on stdout");
    validate->callback([=] { runValidate(*names, *json); });
}

const CommandRegistrar registrar(35, addValidateCommands);

}  // namespace
}  // namespace archscope::cli
