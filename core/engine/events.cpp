#include "engine/events.h"

#include <nlohmann/json.hpp>

namespace archscope::engine {
namespace {

template <class T>
nlohmann::json orNull(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json();
}

struct ToJson {
    nlohmann::json operator()(const Started& e) const {
        return {{"event", "started"},
                {"run", e.runId},
                {"kind", e.kind},
                {"total", e.total},
                {"already_done", e.alreadyDone}};
    }
    nlohmann::json operator()(const Progress& e) const {
        return {{"event", "progress"},
                {"done", e.done},
                {"total", e.total},
                {"eta_s", orNull(e.etaSeconds)}};
    }
    nlohmann::json operator()(const Result& e) const {
        return {{"event", "result"},
                {"run", e.runId},
                {"seq", e.seq},
                {"name", e.name},
                {"hash", e.archHash},
                {"macs", orNull(e.macs)},
                {"params", orNull(e.params)},
                {"latency_ms", orNull(e.latencyMs())},
                {"latency_source", store::latencySourceName(e.latency.source)},
                {"latency_method", e.latency.method},
                {"accuracy", orNull(e.accuracyValue())},
                {"estimator", e.accuracy ? e.accuracy->estimator : ""},
                {"metric", e.accuracy ? e.accuracy->metric : ""},
                {"method", e.method}};
    }
    nlohmann::json operator()(const Finished& e) const {
        return {{"event", "finished"},
                {"run", e.runId},
                {"evaluations", e.evaluations},
                {"elapsed_s", e.elapsedSeconds},
                {"cancelled", e.cancelled}};
    }
    nlohmann::json operator()(const Failed& e) const {
        return {{"event", "failed"}, {"run", e.runId}, {"message", e.message}};
    }
};

}  // namespace

nlohmann::json eventToJson(const JobEvent& event) {
    return std::visit(ToJson{}, event);
}

}  // namespace archscope::engine
