#include "import.h"

#include <algorithm>
#include <fstream>

#include "arch/error.h"
#include "arch/expand.h"
#include "arch/json.h"
#include "hw/dtype.h"
#include "store/store.h"
#include "util/json_input.h"
#include "zoo/zoo.h"

namespace archscope::store {
namespace {

using nlohmann::json;

/// The most models one measurement file may carry.
constexpr size_t kMaxImportModels = 10000;
/// The longest believable time in milliseconds (almost three hours a forward pass).
constexpr double kMaxMs = 1e7;

constexpr const char* kFormatsHint =
    "; import reads archscope-cli measure --json output, PyTorch profiler Chrome traces and XProf "
    "trace-viewer JSON";

/// Parses the file with its trace events folded as they stream past (a trace of hundreds of MB
/// never sits in memory as a JSON tree). Errors read as jsonin::parseFile's.
StreamedTrace readJson(const std::filesystem::path& file) {
    const std::string where = "import file \"" + file.string() + "\"";
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
        throw ArchError(where + ": is a directory; give a JSON file" + kFormatsHint);
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ArchError(where + ": cannot open the file; check the path" + kFormatsHint);
    try {
        return parseTraceStream(in, file.string());
    } catch (const json::exception& e) {  // parse_error, and out_of_range.406 for 1e309
        throw ArchError(where + ": not valid JSON: " + jsonin::plainMessage(e) + kFormatsHint);
    }
}

/// The network a file names. Files name networks by zoo name; anything else needs --model.
NetworkSpec networkNamed(const std::string& name, const ImportOptions& o,
                         const std::string& where) {
    if (o.model) return resolveModel(*o.model);
    if (auto spec = zooSpec(name)) return *spec;
    throw ArchError(where + ": names network \"" + name +
                    "\", which is not in the zoo; pass --model with its architecture .json file "
                    "(archscope-cli export-arch NAME --format json on the machine that has it)");
}

double quantile(std::vector<double> v, double q) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const double pos = q * double(v.size() - 1);
    const size_t lo = static_cast<size_t>(pos);
    const size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - double(lo));
}

/// Stage-level rows ("stem", "block3", "head") with the IR's MACs and params of the stage.
std::vector<LayerCost> stageRows(const std::vector<std::pair<std::string, double>>& stages,
                                 const std::vector<Layer>& layers) {
    std::vector<LayerCost> rows;
    for (const auto& [name, ms] : stages) {
        LayerCost c;
        c.index = static_cast<int64_t>(rows.size());
        c.name = name;
        c.op = "stage";
        int64_t macs = 0, params = 0;
        for (const auto& l : layers) {
            const std::string scope = l.block >= 0 ? "block" + std::to_string(l.block)
                                                   : (l.block == -1 ? "stem" : "head");
            if (scope == name) {
                macs += l.macs;
                params += l.params;
            }
        }
        c.macs = macs;
        c.params = params;
        c.measuredMs = ms;
        rows.push_back(std::move(c));
    }
    return rows;
}

Evaluation baseEvaluation(const std::vector<Layer>& layers, const ImportOptions& o, int batch) {
    const NetworkCost cost = totalCost(layers);
    Evaluation e;
    e.platform = o.platform;
    e.batch = batch;
    e.macs = cost.macs;
    e.params = cost.params;
    return e;
}

// Long (~85 lines): the file's fields in file order, each checked where it is read.
ImportPlan readMeasure(const json& doc, const std::string& where, const ImportOptions& o) {
    ImportPlan plan;
    plan.format = "archscope-measure";
    const jsonin::Fields top(doc, where);
    const json& context = top.raw("context");
    const jsonin::Fields ctx = top.object("context");
    plan.machine = context;
    const json& models = top.raw("models");
    if (!models.is_array() || models.empty()) {
        top.fail("models", "expected a non-empty list of measured models");
    }
    if (models.size() > kMaxImportModels) {
        top.fail("models", std::to_string(models.size()) + " models; the cap is " +
                               std::to_string(kMaxImportModels) + " per file");
    }
    if (o.model && models.size() != 1) {
        throw ArchError(where + ": --model applies to a file with one model; this one has " +
                        std::to_string(models.size()));
    }
    const int batch = int(ctx.integer("batch", 1, kMaxBatch, 1));
    const std::string dtypeText = ctx.text("dtype", 64, "fp32");
    const auto parsedDtype = dtypeFromName(dtypeText);
    if (!parsedDtype) ctx.fail("dtype", unknownDtypeMessage(dtypeText, "dtype"));
    const std::string dtype(dtypeName(*parsedDtype));  // stored under its canonical name
    const std::string device = ctx.text("device", 1024, "unknown device");
    for (size_t i = 0; i < models.size(); ++i) {
        const jsonin::Fields m(models[i], where, "models[" + std::to_string(i) + "].");
        const std::string at = where + ": models[" + std::to_string(i) + "]";
        ImportedModel im;
        im.spec = networkNamed(m.text("name", 256), o, at);
        const auto layers = expandLayers(buildNetwork(im.spec), batch);
        im.evaluation = baseEvaluation(layers, o, batch);
        if (m.has("params")) {
            const int64_t params = m.integer("params", 0, kMaxCost);
            if (params != *im.evaluation.params) {
                throw ArchError(at + ": the measured network has " + std::to_string(params) +
                                " parameters but " + im.spec.name + " has " +
                                std::to_string(*im.evaluation.params) +
                                " here: not the same network; pass --model with its .json file");
            }
        }
        im.evaluation.dtype = dtype;
        // Every time finite and positive: a negative or 1e308 latency would reach the Pareto
        // front and calibrate-from.
        MeasuredLatency lat;
        lat.medianMs = m.number("median_ms", 0.0, kMaxMs, true);
        lat.p10Ms = m.number("p10_ms", 0.0, kMaxMs, true, lat.medianMs);
        lat.p90Ms = m.number("p90_ms", 0.0, kMaxMs, true, lat.medianMs);
        if (lat.p10Ms > lat.medianMs || lat.medianMs > lat.p90Ms) {
            m.fail("median_ms", "expected p10_ms <= median_ms <= p90_ms, got " +
                                    jsonin::quote(lat.p10Ms) + ", " + jsonin::quote(lat.medianMs) +
                                    ", " + jsonin::quote(lat.p90Ms));
        }
        lat.reps = m.integer("reps", 1, 1'000'000'000, 0);
        for (const char* key : {"min_ms", "mean_ms"}) {
            if (m.has(key)) m.number(key, 0.0, kMaxMs, true);
        }
        // Stored with the figures: the resolution they were measured at must be one we accept.
        if (m.has("resolution")) m.integer("resolution", kMinResolution, kMaxResolution);
        lat.context = context;
        lat.context["imported_from"] = where;
        for (const char* key : {"resolution", "min_ms", "mean_ms", "graph", "graph_note"}) {
            if (m.has(key)) lat.context[key] = m.raw(key);
        }
        im.evaluation.measured = lat;
        im.evaluation.method = "imported archscope-cli measure --json (" + device + ")";
        std::vector<std::pair<std::string, double>> stages;
        if (m.has("layers")) {
            const json& list = m.raw("layers");
            if (!list.is_array() || list.size() > 100000) {
                m.fail("layers", "expected a list of at most 100000 {name, median_ms} entries");
            }
            for (size_t k = 0; k < list.size(); ++k) {
                const jsonin::Fields l(list[k], where,
                                       m.path("layers[" + std::to_string(k) + "]."));
                stages.emplace_back(l.text("name", 256), l.number("median_ms", 0.0, kMaxMs));
            }
        }
        im.evaluation.layers = stageRows(stages, layers);
        im.layersMatched = static_cast<int>(stages.size());
        im.layersTotal = static_cast<int>(stages.size());
        im.matchedMs = lat.medianMs;
        plan.models.push_back(std::move(im));
    }
    return plan;
}

ImportPlan readTrace(const json& doc, TraceEvents events, TraceFormat format,
                     const std::string& where, const ImportOptions& o) {
    ImportPlan plan;
    plan.format =
        format == TraceFormat::PyTorchChrome ? "pytorch-chrome-trace" : "xprof-trace-viewer";
    const auto named = events.network;
    if (!named && !o.model) {
        throw ArchError(where +
                        ": the trace does not name its network (no archscope-network "
                        "annotation); pass --model with the zoo name or .json file");
    }
    ImportedModel im;
    im.spec = networkNamed(named ? named->name : std::string(), o, where);
    if (named && !named->hash.empty() && !o.model && named->hash != networkHash(im.spec)) {
        throw ArchError(where + ": the trace's network \"" + named->name + "\" has hash " +
                        named->hash + " but the zoo's has " + networkHash(im.spec) +
                        ": not the same network; pass --model with its .json file");
    }
    const auto layers = expandLayers(buildNetwork(im.spec), o.batch);
    const TraceMapping m = mapTrace(std::move(events), layers, where);
    im.evaluation = baseEvaluation(layers, o, o.batch);
    MeasuredLatency lat;
    lat.medianMs = quantile(m.passMs, 0.5);
    lat.p10Ms = quantile(m.passMs, 0.1);
    lat.p90Ms = quantile(m.passMs, 0.9);
    lat.reps = m.passes;
    lat.context = {{"imported_from", where},
                   {"format", plan.format},
                   {"matched_ms", m.matchedMs},
                   {"unmatched_ms", m.unmatchedMs}};
    im.evaluation.measured = lat;
    if (format == TraceFormat::PyTorchChrome) {
        im.evaluation.method = "imported PyTorch profiler trace (per layer: ops matched in order)";
        for (size_t i = 0; i < layers.size(); ++i) {
            const Layer& l = layers[i];
            LayerCost c;
            c.index = static_cast<int64_t>(i);
            c.name = l.name;
            c.op = std::string(opKindName(l.kind));
            c.macs = l.macs;
            c.params = l.params;
            c.bytes = l.bytesRead(4) + l.bytesWritten(4);  // fp32: what the PyTorch export runs
            c.measuredMs = m.layerMs[i];
            im.evaluation.layers.push_back(std::move(c));
        }
        im.layersTotal = static_cast<int>(layers.size());
        im.layersMatched = m.layersMatched;
    } else {
        im.evaluation.method = "imported XProf trace (per stage: tf_op name scopes)";
        im.evaluation.layers = stageRows(m.scopeMs, layers);
        im.layersTotal = im.layersMatched = static_cast<int>(m.scopeMs.size());
    }
    im.matchedMs = m.matchedMs;
    im.unmatchedMs = m.unmatchedMs;
    im.unmatched = m.unmatched;
    plan.machine = {{"source", plan.format}};
    if (doc.is_object() && doc.contains("deviceProperties")) {
        plan.machine["device_properties"] = doc["deviceProperties"];
    }
    plan.models.push_back(std::move(im));
    return plan;
}

/// The plan for a document whose trace events (if any) are already folded.
ImportPlan readImportParts(const json& doc, TraceEvents events, const std::string& where,
                           const ImportOptions& options) {
    ImportPlan plan;
    if (doc.is_object() && doc.contains("models") && doc.contains("context")) {
        plan = readMeasure(doc, where, options);
    } else if (auto format = detectTraceFormat(events)) {
        plan = readTrace(doc, std::move(events), *format, where, options);
    } else {
        throw ArchError(where +
                        ": neither archscope-cli measure --json output nor a PyTorch profiler / "
                        "XProf trace (no \"models\", no aten:: or tf_op events)");
    }
    plan.file = where;
    return plan;
}

}  // namespace

ImportPlan readImport(const std::filesystem::path& file, const ImportOptions& options) {
    if (options.batch < 1 || options.batch > kMaxBatch) {
        throw ArchError("--batch must be in [1, " + std::to_string(kMaxBatch) + "]");
    }
    StreamedTrace parsed = readJson(file);
    return readImportParts(parsed.doc, std::move(parsed.events), file.string(), options);
}

ImportPlan readImportStream(std::istream& in, const std::string& where,
                            const ImportOptions& options) {
    StreamedTrace parsed = parseTraceStream(in, where);
    return readImportParts(parsed.doc, std::move(parsed.events), where, options);
}

ImportPlan readImportDocument(const json& doc, const std::string& where,
                              const ImportOptions& options) {
    return readImportParts(doc, foldTraceEvents(doc, where), where, options);
}

int64_t storeImport(ResultStore& store, ImportPlan& plan) {
    Transaction tx = store.transaction();
    json names = json::array();
    for (const auto& m : plan.models) names.push_back(m.spec.name);
    const int64_t runId =
        store.createRun("import", {{"file", plan.file}, {"format", plan.format}, {"models", names}},
                        plan.machine, static_cast<int64_t>(plan.models.size()));
    std::vector<Evaluation> evaluations;
    for (size_t i = 0; i < plan.models.size(); ++i) {
        Evaluation e = plan.models[i].evaluation;
        e.runId = runId;
        e.seq = static_cast<int64_t>(i);
        e.architectureId = store.internArchitecture(plan.models[i].spec);
        evaluations.push_back(std::move(e));
    }
    store.insertEvaluations(evaluations);
    store.setRunStatus(runId, kStatusFinished);
    tx.commit();
    for (size_t i = 0; i < evaluations.size(); ++i) plan.models[i].evaluation = evaluations[i];
    return runId;
}

}  // namespace archscope::store
