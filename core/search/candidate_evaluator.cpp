#include "candidate_evaluator.h"

#include <chrono>

#include "arch/error.h"
#include "arch/expand.h"
#include "arch/json.h"
#include "engine/pool.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "hw/runtime_io.h"
#include "searchrun.h"

namespace archscope {

using nlohmann::json;

struct SearchEvaluator::State {
    State(SearchRunParams p, Profile prof) : params(std::move(p)), profile(std::move(prof)) {}
    SearchRunParams params;
    Profile profile;
    Dtype dtype = Dtype::Bf16;
    AccuracyEstimatorKind estimatorKind;
    EstimateFn estimate;  // built on first use
    MeasureFn measure;    // built on first use when the run measures
};

SearchEvaluator::SearchEvaluator(const SearchRunParams& p)
    : m_state(std::make_unique<State>(p, withRuntime(loadProfile(p.hw), p.runtime))) {
    State& s = *m_state;
    s.dtype = p.dtype.empty() ? s.profile.defaultDtype : parseDtype(p.dtype);
    requireDtype(s.profile, s.dtype);
    s.estimatorKind = findAccuracyEstimator(p.accuracy);
    m_settings = s.estimatorKind.resolveSettings(p.accuracySettings);
    if (!p.measureDevice.empty()) findLatencyMeasurer(p.measureDevice);
}

SearchEvaluator::~SearchEvaluator() = default;

void SearchEvaluator::predict(const NetworkSpec& spec, EvaluationOutcome& out) const {
    const State& s = *m_state;
    store::Evaluation& e = out.evaluation;
    e.platform = s.profile.name;
    e.profileVersion = std::to_string(s.profile.version);
    e.runtime = s.profile.runtime.name + " v" + std::to_string(s.profile.runtime.version);
    e.batch = s.params.batch;
    e.dtype = std::string(dtypeName(s.dtype));
    const auto layers = expandLayers(buildNetwork(spec), s.params.batch);
    const NetworkCost cost = totalCost(layers);
    const auto groups = predictGroups(s.profile, layers, s.dtype);
    const NetworkPrediction pred =
        summarize(groups, s.params.batch, s.profile.runtime.perStepSeconds);
    e.macs = cost.macs;
    e.params = cost.params;
    e.predictedMs = pred.latencySeconds * 1e3;
    for (const GroupCost& g : groups) {
        const Layer& anchor = layers[size_t(g.anchorLayer)];
        int64_t macs = 0;
        for (int i = g.firstLayer; i <= g.lastLayer; ++i) macs += layers[size_t(i)].macs;
        e.layers.push_back({int64_t(e.layers.size()), anchor.name,
                            std::string(opKindName(anchor.kind)), macs, std::nullopt,
                            int64_t(g.bytes), g.seconds * 1e3, std::nullopt});
    }
    out.metrics.latencyMs = *e.predictedMs;
}

namespace {

EvaluationOutcome startOutcome(const EvaluationTask& task) {
    EvaluationOutcome out;
    out.spec = task.spec;
    out.evaluation.runId = task.runId;
    out.evaluation.seq = task.seq;
    return out;
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

std::optional<EvaluationOutcome> SearchEvaluator::evaluate(const EvaluationTask& task,
                                                           std::stop_token stop) {
    State& s = *m_state;
    const auto t0 = std::chrono::steady_clock::now();
    EvaluationOutcome out = startOutcome(task);
    store::Evaluation& e = out.evaluation;
    std::string latencyHow = "latency " + predictionMethod(s.profile);
    // Outside the try: a missing dataset or bad settings fail the run, not every candidate.
    if (!s.estimate) s.estimate = s.estimatorKind.make(m_settings);
    if (!s.params.measureDevice.empty() && !s.measure) {
        const std::string dtype =
            s.params.measureDevice == "cpu" ? "fp32" : std::string(dtypeName(s.dtype));
        s.measure = findLatencyMeasurer(s.params.measureDevice)
                        .make({{"batch", s.params.batch}, {"dtype", dtype}});
    }
    try {
        predict(task.spec, out);
        const AccuracyResult acc = s.estimate(task.spec, stop);
        if (stop.stop_requested()) return std::nullopt;
        e.accuracy = store::AccuracyEstimate{acc.value, acc.estimator, acc.settings, acc.dataset,
                                             acc.metric};
        if (s.measure) {
            auto lock = engine::lockDevice(s.params.measureDevice);
            const MeasuredResult mr = s.measure(task.spec, stop);
            if (stop.stop_requested()) return std::nullopt;
            e.measured =
                store::MeasuredLatency{mr.medianMs, mr.p10Ms, mr.p90Ms, mr.reps, mr.context};
            latencyHow = "latency measured on " + s.params.measureDevice + " (median of " +
                         std::to_string(mr.reps) + "), also " + latencyHow;
        }
        e.method =
            latencyHow + "; accuracy: " + acc.metric + " from the " + acc.estimator + " estimator";
        out.metrics = {e.latency().ms, e.accuracy->value};  // the search judges what it stores
    } catch (const std::exception& ex) {
        if (stop.stop_requested()) return std::nullopt;  // an estimator stopped early: a cancel
        // The run goes on: the candidate is stored as failed, with what was computed before.
        e.accuracy.reset();
        e.measured.reset();
        e.error = ex.what();
        e.method = "evaluation failed; " + latencyHow;
    }
    e.costSeconds = secondsSince(t0);
    return out;
}

EvaluationOutcome SearchEvaluator::reuse(const EvaluationTask& task,
                                         const EvaluationOutcome& first) {
    const auto t0 = std::chrono::steady_clock::now();
    EvaluationOutcome out = startOutcome(task);
    store::Evaluation& e = out.evaluation;
    const std::string latencyHow = "latency " + predictionMethod(m_state->profile);
    const std::string firstName = "seq " + std::to_string(first.seq());
    try {
        predict(task.spec, out);
    } catch (const std::exception& ex) {
        e.error = ex.what();
    }
    if (first.failed()) {
        e.error = "duplicate of " + firstName + ", which failed: " + *first.evaluation.error;
        e.method = "evaluation failed; " + latencyHow;
    } else {
        out.metrics = first.metrics;
        e.accuracy = first.evaluation.accuracy;
        if (first.evaluation.measured) {
            const double ms = first.metrics.latencyMs;
            e.measured = store::MeasuredLatency{ms, ms, ms, 0, {{"reused", true}}};
        }
        e.method = "duplicate candidate: figures reused from its first evaluation; " + latencyHow;
    }
    e.costSeconds = secondsSince(t0);
    return out;
}

// ---- crossing ranks ----

namespace {

template <class T>
json optionalJson(const std::optional<T>& v) {
    return v ? json(*v) : json();
}

template <class T>
std::optional<T> optionalFrom(const json& j, const char* key) {
    if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
    return j.at(key).get<T>();
}

json evaluationToJson(const store::Evaluation& e) {
    json layers = json::array();
    for (const auto& l : e.layers) {
        layers.push_back({l.index, l.name, l.op, optionalJson(l.macs), optionalJson(l.params),
                          optionalJson(l.bytes), optionalJson(l.predictedMs),
                          optionalJson(l.measuredMs)});
    }
    json j = {{"run", e.runId},
              {"seq", optionalJson(e.seq)},
              {"platform", optionalJson(e.platform)},
              {"profile_version", optionalJson(e.profileVersion)},
              {"runtime", optionalJson(e.runtime)},
              {"batch", e.batch},
              {"dtype", e.dtype},
              {"macs", optionalJson(e.macs)},
              {"params", optionalJson(e.params)},
              {"predicted_ms", optionalJson(e.predictedMs)},
              {"cost_s", optionalJson(e.costSeconds)},
              {"method", e.method},
              {"error", optionalJson(e.error)},
              {"layers", layers}};
    if (e.measured) {
        j["measured"] = {{"median_ms", e.measured->medianMs},
                         {"p10_ms", e.measured->p10Ms},
                         {"p90_ms", e.measured->p90Ms},
                         {"reps", e.measured->reps},
                         {"context", e.measured->context}};
    }
    if (e.accuracy) {
        j["accuracy"] = {{"value", e.accuracy->value},
                         {"estimator", e.accuracy->estimator},
                         {"settings", e.accuracy->settings},
                         {"dataset", e.accuracy->dataset},
                         {"metric", e.accuracy->metric}};
    }
    return j;
}

store::Evaluation evaluationFromJson(const json& j) {
    store::Evaluation e;
    e.runId = j.at("run").get<int64_t>();
    e.seq = optionalFrom<int64_t>(j, "seq");
    e.platform = optionalFrom<std::string>(j, "platform");
    e.profileVersion = optionalFrom<std::string>(j, "profile_version");
    e.runtime = optionalFrom<std::string>(j, "runtime");
    e.batch = j.at("batch").get<int64_t>();
    e.dtype = j.at("dtype").get<std::string>();
    e.macs = optionalFrom<int64_t>(j, "macs");
    e.params = optionalFrom<int64_t>(j, "params");
    e.predictedMs = optionalFrom<double>(j, "predicted_ms");
    e.costSeconds = optionalFrom<double>(j, "cost_s");
    e.method = j.at("method").get<std::string>();
    e.error = optionalFrom<std::string>(j, "error");
    for (const json& l : j.at("layers")) {
        auto opt64 = [&](size_t i) {
            return l.at(i).is_null() ? std::nullopt : std::optional<int64_t>(l.at(i));
        };
        auto optMs = [&](size_t i) {
            return l.at(i).is_null() ? std::nullopt : std::optional<double>(l.at(i));
        };
        e.layers.push_back({l.at(0).get<int64_t>(), l.at(1).get<std::string>(),
                            l.at(2).get<std::string>(), opt64(3), opt64(4), opt64(5), optMs(6),
                            optMs(7)});
    }
    if (j.contains("measured")) {
        const json& m = j.at("measured");
        e.measured = store::MeasuredLatency{m.at("median_ms"), m.at("p10_ms"), m.at("p90_ms"),
                                            m.at("reps"), m.at("context")};
    }
    if (j.contains("accuracy")) {
        const json& a = j.at("accuracy");
        e.accuracy = store::AccuracyEstimate{a.at("value"), a.at("estimator"), a.at("settings"),
                                             a.at("dataset"), a.at("metric")};
    }
    return e;
}

}  // namespace

json evaluationTaskToJson(const EvaluationTask& task) {
    return {{"run", task.runId}, {"seq", task.seq}, {"network", networkSpecToJson(task.spec)}};
}

EvaluationTask evaluationTaskFromJson(const json& j) {
    try {
        return {j.at("run").get<int64_t>(), j.at("seq").get<int64_t>(),
                networkSpecFromJson(j.at("network"), "evaluation task")};
    } catch (const json::exception& e) {
        throw ArchError(std::string("evaluation task: ") + e.what());
    }
}

json evaluationOutcomeToJson(const EvaluationOutcome& o) {
    return {{"evaluation", evaluationToJson(o.evaluation)},
            {"network", networkSpecToJson(o.spec)},
            {"latency_ms", o.metrics.latencyMs},
            {"accuracy", o.metrics.accuracy}};
}

EvaluationOutcome evaluationOutcomeFromJson(const json& j) {
    try {
        EvaluationOutcome o;
        o.evaluation = evaluationFromJson(j.at("evaluation"));
        o.spec = networkSpecFromJson(j.at("network"), "evaluation outcome");
        o.metrics.latencyMs = j.at("latency_ms").get<double>();
        o.metrics.accuracy = j.at("accuracy").get<double>();
        return o;
    } catch (const json::exception& e) {
        throw ArchError(std::string("evaluation outcome: ") + e.what());
    }
}

// ---- backends ----

namespace {

class LocalBackend : public EvaluationBackend {
public:
    explicit LocalBackend(SearchEvaluator& evaluator) : m_evaluator(evaluator) {}

    int freeSlots() const override { return m_task ? 0 : 1; }
    void submit(EvaluationTask task) override { m_task = std::move(task); }
    std::vector<EvaluationOutcome> collect(std::stop_token stop) override {
        if (!m_task) return {};
        auto outcome = m_evaluator.evaluate(*m_task, stop);
        m_task.reset();
        if (!outcome) return {};
        return {std::move(*outcome)};
    }

private:
    SearchEvaluator& m_evaluator;
    std::optional<EvaluationTask> m_task;
};

}  // namespace

std::unique_ptr<EvaluationBackend> makeLocalBackend(SearchEvaluator& evaluator) {
    return std::make_unique<LocalBackend>(evaluator);
}

std::function<json(const json&, std::stop_token)> makeSearchTaskEvaluator(const json& runParams) {
    auto evaluator = std::make_shared<SearchEvaluator>(SearchRunParams::fromJson(runParams));
    return [evaluator](const json& task, std::stop_token stop) -> json {
        auto outcome = evaluator->evaluate(evaluationTaskFromJson(task), stop);
        if (!outcome) return {{"cancelled", true}};
        return evaluationOutcomeToJson(*outcome);
    };
}

}  // namespace archscope
