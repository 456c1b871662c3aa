#include "validation.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "agreement.h"
#include "analysis/statistics.h"
#include "arch/error.h"
#include "arch/expand.h"
#include "model.h"
#include "runtime_io.h"
#include "util/json_input.h"
#include "util/resources.h"
#include "zoo/zoo.h"

namespace archscope {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::set<std::string> kRuntimes = {"pytorch-eager", "tensorrt", "xla"};
const std::set<std::string> kRoles = {"fit", "holdout"};

/// Reads fields of one table file, naming the file and the dotted field in every error.
class FieldReader {
public:
    explicit FieldReader(std::string where) : m_where(std::move(where)) {}

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw ArchError("validation table " + m_where + ": field \"" + path + "\": " + what);
    }

    const json& field(const json& obj, const std::string& key, const std::string& path) const {
        if (!obj.is_object()) fail(path, "expected an object");
        auto it = obj.find(key);
        if (it == obj.end()) fail(path, "missing");
        return *it;
    }
    std::string text(const json& obj, const std::string& key, const std::string& path) const {
        const json& v = field(obj, key, path);
        if (!v.is_string() || v.get<std::string>().empty()) {
            fail(path, "must be a non-empty string, got " + v.dump());
        }
        return v.get<std::string>();
    }
    std::string choice(const json& obj, const std::string& key, const std::string& path,
                       const std::set<std::string>& allowed) const {
        const std::string v = text(obj, key, path);
        if (!allowed.count(v)) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            fail(path, "must be one of " + list + ", got \"" + v + "\"");
        }
        return v;
    }
    /// A dtype by any accepted name, returned as its canonical name.
    std::string dtype(const json& obj, const std::string& key, const std::string& path) const {
        const std::string v = text(obj, key, path);
        const auto d = dtypeFromName(v);
        if (!d) fail(path, unknownDtypeMessage(v, "dtype"));
        return std::string(dtypeName(*d));
    }
    int whole(const json& obj, const std::string& key, const std::string& path, int min,
              int max) const {
        const json& v = field(obj, key, path);
        if (!v.is_number_integer() || v.get<int64_t>() < min || v.get<int64_t>() > max) {
            fail(path, "must be a whole number in [" + std::to_string(min) + ", " +
                           std::to_string(max) + "], got " + v.dump());
        }
        return int(v.get<int64_t>());
    }
    double positive(const json& obj, const std::string& key, const std::string& path) const {
        const json& v = field(obj, key, path);
        if (!v.is_number() || !std::isfinite(v.get<double>()) || !(v.get<double>() > 0.0)) {
            fail(path, "must be a number > 0, got " + v.dump());
        }
        return v.get<double>();
    }
    const json& array(const json& obj, const std::string& key, const std::string& path) const {
        const json& v = field(obj, key, path);
        if (!v.is_array()) fail(path, "must be an array");
        return v;
    }

private:
    std::string m_where;
};

}  // namespace

ValidationTable validationTableFromJson(const json& j, const std::string& where) {
    const FieldReader r(where);
    if (!j.is_object()) r.fail("(root)", "expected a JSON object");
    if (r.text(j, "format", "format") != "archscope-validation") {
        r.fail("format", "must be \"archscope-validation\"");
    }
    const int version = r.whole(j, "format_version", "format_version", 1, 1 << 20);
    if (version != kValidationFormatVersion) {
        r.fail("format_version", "this build reads version " +
                                     std::to_string(kValidationFormatVersion) + ", got " +
                                     std::to_string(version));
    }
    ValidationTable t;
    t.file = where;
    t.name = r.text(j, "name", "name");
    t.title = r.text(j, "title", "title");
    const json& source = r.field(j, "source", "source");
    t.sharedFile = r.text(source, "shared_file", "source.shared_file");
    t.citation = r.text(source, "citation", "source.citation");
    t.platform = r.text(j, "platform", "platform");
    t.runtime = r.choice(j, "runtime", "runtime", kRuntimes);
    t.software = r.text(j, "software", "software");
    t.dtype = r.dtype(j, "dtype", "dtype");
    t.role = r.choice(j, "role", "role", kRoles);
    t.conversion = r.text(j, "conversion", "conversion");
    if (j.contains("notes")) {
        const json& notes = r.array(j, "notes", "notes");
        for (size_t i = 0; i < notes.size(); ++i) {
            const std::string path = "notes[" + std::to_string(i) + "]";
            if (!notes[i].is_string()) r.fail(path, "must be a string");
            t.notes.push_back(notes[i].get<std::string>());
        }
    }
    const json& rows = r.array(j, "rows", "rows");
    if (rows.empty()) r.fail("rows", "must hold at least one row");
    for (size_t i = 0; i < rows.size(); ++i) {
        const std::string p = "rows[" + std::to_string(i) + "]";
        ValidationRow row;
        row.model = r.text(rows[i], "model", p + ".model");
        if (!zooSpec(row.model)) {
            r.fail(p + ".model",
                   "\"" + row.model + "\" is not a zoo name (see `archscope-cli zoo`)");
        }
        row.batch = r.whole(rows[i], "batch", p + ".batch", 1, 1 << 16);
        row.resolution = r.whole(rows[i], "resolution", p + ".resolution", 8, 4096);
        row.latencyMs = r.positive(rows[i], "latency_ms", p + ".latency_ms");
        row.sourceRow = r.text(rows[i], "source_row", p + ".source_row");
        t.rows.push_back(std::move(row));
    }
    if (j.contains("dropped")) {
        const json& dropped = r.array(j, "dropped", "dropped");
        for (size_t i = 0; i < dropped.size(); ++i) {
            const std::string p = "dropped[" + std::to_string(i) + "]";
            t.dropped.push_back({r.text(dropped[i], "source_row", p + ".source_row"),
                                 r.text(dropped[i], "reason", p + ".reason")});
        }
    }
    return t;
}

ValidationTable loadValidationTable(const std::string& nameOrPath) {
    const fs::path path = findJsonResource(nameOrPath, "validation", "validation table");
    return validationTableFromJson(jsonin::parseFile(path, "validation table"), path.string());
}

std::vector<std::string> listValidationTables() {
    return listJsonResources("validation");
}

std::vector<ValidationTable> loadValidationTables() {
    std::vector<ValidationTable> tables;
    for (const auto& name : listValidationTables()) tables.push_back(loadValidationTable(name));
    return tables;
}

ValidationResult summarizeValidation(std::vector<ValidationPoint> points) {
    ValidationResult r;
    r.count = int(points.size());
    std::vector<double> measured, predicted, macs, activations, absError;
    for (const auto& p : points) {
        measured.push_back(p.measuredMs);
        predicted.push_back(p.predictedMs);
        macs.push_back(double(p.macs));
        activations.push_back(double(p.activationElements));
        absError.push_back(100.0 * std::abs(p.predictedMs / p.measuredMs - 1.0));
    }
    r.tauModel = analysis::kendallTau(predicted, measured);
    r.tauMacs = analysis::kendallTau(macs, measured);
    r.tauActivations = analysis::kendallTau(activations, measured);
    r.medianAbsErrorPercent = absError.empty() ? 0.0 : analysis::median(absError);
    r.points = std::move(points);
    return r;
}

ValidationResult validateTable(const ValidationTable& table, const LatencyPredictor& predict) {
    std::vector<ValidationPoint> points;
    for (const auto& row : table.rows) {
        NetworkSpec spec = resolveModel(row.model);
        spec.scaling.resolution = row.resolution;
        ValidationPoint p{row.model, row.batch, row.resolution, row.latencyMs, 0.0, 0, 0};
        for (const auto& layer : expandLayers(buildNetwork(spec), row.batch)) {
            p.macs += layer.macs;
            p.activationElements += layer.inputElements + layer.outputElements;
        }
        p.predictedMs = predict(spec, row.batch, table);
        points.push_back(std::move(p));
    }
    return summarizeValidation(std::move(points));
}

Profile tablePlatform(const ValidationTable& table, const std::string& runtime) {
    return loadPlatform(table.platform, runtime.empty() ? table.runtime : runtime);
}

Dtype tableDtype(const ValidationTable& table) {
    return parseDtype(table.dtype, "dtype of table " + table.name);
}

ValidationResult validateWithModel(const ValidationTable& table, const Profile& platform) {
    const Dtype dtype = tableDtype(table);
    requireDtype(platform, dtype);
    return validateTable(table, [&](const NetworkSpec& spec, int batch, const ValidationTable&) {
        return predictModel(platform, spec, batch, dtype).latencySeconds * 1e3;
    });
}

TableValidation validateOnPlatform(const ValidationTable& table, const std::string& runtime,
                                   const Runtime* fitted) {
    TableValidation v;
    v.runtime = runtime.empty() ? table.runtime : runtime;
    try {
        Profile platform = tablePlatform(table, runtime);
        if (fitted && platform.runtime.name == fitted->name && platform.kind == fitted->kind)
            platform.runtime = *fitted;
        v.runtime = platform.runtime.name;
        v.method = predictionMethod(platform);
        v.result = validateWithModel(table, platform);
    } catch (const ArchError& e) {
        v.method.clear();
        v.skipped = e.what();
    }
    return v;
}

bool modelRanksBelowProxy(const ValidationResult& r) {
    return r.tauModel < r.tauMacs || r.tauModel < r.tauActivations;
}

RuntimeFitResult fitRuntimeOnTables(const std::vector<ValidationTable>& tables,
                                    const std::string& runtime, const std::string& kind,
                                    const std::vector<std::string>& parameters) {
    std::vector<PlatformSample> samples;
    std::string used;
    for (const auto& t : tables) {
        if (t.role != "fit" || t.runtime != runtime) continue;
        const Profile platform = tablePlatform(t);
        if (platform.kind != kind) continue;
        used += (used.empty() ? "" : ", ") + t.name;
        for (const auto& row : t.rows) {
            NetworkSpec spec = resolveModel(row.model);
            spec.scaling.resolution = row.resolution;
            PlatformSample ps{platform, tableDtype(t), {}};
            ps.sample.name = t.name + ":" + row.model + "@" + std::to_string(row.batch);
            ps.sample.layers = expandLayers(buildNetwork(spec), row.batch);
            ps.sample.measuredMs = row.latencyMs;
            samples.push_back(std::move(ps));
        }
    }
    if (samples.empty()) {
        throw ArchError("no validation table with role \"fit\" under the runtime " + runtime +
                        " on " + kind + " platforms; mark one \"role\": \"fit\"");
    }
    FitOptions opts;
    opts.parameters = parameters;
    opts.stageWeight = 0.0;  // tables give network totals only
    RuntimeFitResult r = fitRuntime(samples, opts);
    const std::string source = "fitted by `archscope-cli validate --fit-runtime " + runtime +
                               "` on " + std::to_string(samples.size()) + " rows of " + used +
                               ", mean |error| " +
                               std::to_string(int(std::lround(r.meanAbsErrorPercent))) + "%";
    for (auto& p : r.runtime.parameters) {
        if (std::find(parameters.begin(), parameters.end(), p.path) != parameters.end()) {
            p.source = source;
            p.assumption = false;
        }
    }
    return r;
}

}  // namespace archscope
