#include "store/export.h"

#include <algorithm>
#include <map>
#include <ostream>
#include <set>

namespace archscope::store {
namespace {

template <class T>
nlohmann::json orNull(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
}

template <class T>
std::string cell(const std::optional<T>& v) {
    return v ? nlohmann::json(*v).dump() : std::string();  // shortest round-trip numbers
}

std::string csvQuoted(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

nlohmann::json layerToJson(const LayerCost& l) {
    return {{"index", l.index},
            {"name", l.name},
            {"op", l.op},
            {"macs", orNull(l.macs)},
            {"params", orNull(l.params)},
            {"bytes", orNull(l.bytes)},
            {"predicted_ms", orNull(l.predictedMs)},
            {"measured_ms", orNull(l.measuredMs)}};
}

}  // namespace

const std::vector<std::string>& csvColumns() {
    static const std::vector<std::string> columns = {"run_id",
                                                     "evaluation_id",
                                                     "seq",
                                                     "arch_hash",
                                                     "arch_name",
                                                     "platform",
                                                     "profile_version",
                                                     "runtime",
                                                     "batch",
                                                     "dtype",
                                                     "macs",
                                                     "params",
                                                     "predicted_ms",
                                                     "measured_median_ms",
                                                     "measured_p10_ms",
                                                     "measured_p90_ms",
                                                     "measured_reps",
                                                     "estimate",
                                                     "estimate_metric",
                                                     "accuracy_estimator",
                                                     "accuracy_dataset",
                                                     "cost_s",
                                                     "method",
                                                     "on_front"};
    return columns;
}

nlohmann::json runToJson(const RunRecord& r) {
    return {{"id", r.id},
            {"kind", r.kind},
            {"status", r.status},
            {"message", r.message.empty() ? nlohmann::json() : nlohmann::json(r.message)},
            {"params", r.params},
            {"planned", orNull(r.planned)},
            {"evaluations", r.evaluations},
            {"started_at", r.startedAt},
            {"ended_at", orNull(r.endedAt)},
            {"machine", r.machine}};
}

void exportRunCsv(StoreReader& reader, int64_t runId, std::ostream& out) {
    reader.requireRun(runId);
    std::map<int64_t, std::string> names;
    for (const auto& a : reader.architecturesOfRun(runId)) names[a.id] = a.name;
    const auto frontIds = reader.front(runId);
    const std::set<int64_t> front(frontIds.begin(), frontIds.end());
    const auto& columns = csvColumns();
    for (size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << columns[i];
    out << "\n";
    for (const auto& e : reader.evaluations(runId)) {
        const std::vector<std::string> row = {
            std::to_string(e.runId),
            std::to_string(e.id),
            cell(e.seq),
            e.archHash,
            csvQuoted(names[e.architectureId]),
            csvQuoted(e.platform.value_or("")),
            csvQuoted(e.profileVersion.value_or("")),
            csvQuoted(e.runtime.value_or("")),
            std::to_string(e.batch),
            csvQuoted(e.dtype),
            cell(e.macs),
            cell(e.params),
            cell(e.predictedMs),
            e.measured ? cell(std::optional(e.measured->medianMs)) : "",
            e.measured ? cell(std::optional(e.measured->p10Ms)) : "",
            e.measured ? cell(std::optional(e.measured->p90Ms)) : "",
            e.measured ? std::to_string(e.measured->reps) : "",
            e.accuracy ? cell(std::optional(e.accuracy->value)) : "",
            e.accuracy ? csvQuoted(e.accuracy->figure().metric) : "",
            e.accuracy ? csvQuoted(e.accuracy->estimator) : "",
            e.accuracy ? csvQuoted(e.accuracy->dataset) : "",
            cell(e.costSeconds),
            csvQuoted(e.method),
            front.count(e.id) ? "1" : "0"};
        for (size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << row[i];
        out << "\n";
    }
}

nlohmann::json exportRunJson(StoreReader& reader, int64_t runId, bool withLayers) {
    const RunRecord run = reader.requireRun(runId);
    nlohmann::json archs = nlohmann::json::array();
    std::map<int64_t, std::string> names;
    for (const auto& a : reader.architecturesOfRun(runId)) {
        names[a.id] = a.name;
        archs.push_back({{"id", a.id},
                         {"hash", a.hash},
                         {"name", a.name},
                         {"network", nlohmann::json::parse(a.network)}});
    }
    const auto frontIds = reader.front(runId);
    const std::set<int64_t> front(frontIds.begin(), frontIds.end());
    nlohmann::json evals = nlohmann::json::array();
    for (const auto& e : reader.evaluations(runId)) {
        nlohmann::json j = {{"id", e.id},
                            {"seq", orNull(e.seq)},
                            {"arch_hash", e.archHash},
                            {"arch_name", names[e.architectureId]},
                            {"platform", orNull(e.platform)},
                            {"profile_version", orNull(e.profileVersion)},
                            {"runtime", orNull(e.runtime)},
                            {"batch", e.batch},
                            {"dtype", e.dtype},
                            {"macs", orNull(e.macs)},
                            {"params", orNull(e.params)},
                            {"predicted_ms", orNull(e.predictedMs)},
                            {"measured", nullptr},
                            {"accuracy", nullptr},
                            {"cost_s", orNull(e.costSeconds)},
                            {"method", e.method},
                            {"on_front", front.count(e.id) > 0},
                            {"created_at", e.createdAt}};
        if (e.measured)
            j["measured"] = {{"median_ms", e.measured->medianMs},
                             {"p10_ms", e.measured->p10Ms},
                             {"p90_ms", e.measured->p90Ms},
                             {"reps", e.measured->reps},
                             {"context", e.measured->context}};
        if (e.accuracy)
            j["accuracy"] = {{"value", e.accuracy->value},
                             {"metric", e.accuracy->figure().metric},
                             {"estimator", e.accuracy->estimator},
                             {"settings", e.accuracy->settings},
                             {"dataset", e.accuracy->dataset}};
        if (withLayers) {
            nlohmann::json layers = nlohmann::json::array();
            for (const auto& l : reader.layerCosts(e.id)) layers.push_back(layerToJson(l));
            j["layers"] = std::move(layers);
        }
        evals.push_back(std::move(j));
    }
    return {{"run", runToJson(run)}, {"architectures", archs}, {"evaluations", evals}};
}

}  // namespace archscope::store
