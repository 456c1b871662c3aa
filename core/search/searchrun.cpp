#include "searchrun.h"

#include <chrono>
#include <map>

#include "arch/error.h"
#include "arch/expand.h"
#include "arch/json.h"
#include "engine/job.h"
#include "engine/pool.h"
#include "evaluators.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "hw/runtime_io.h"
#include "zoo/zoo.h"

namespace archscope {

using nlohmann::json;

json SearchRunParams::toJson() const {
    json j = search.toJson();
    j["hw"] = hw;
    j["runtime"] = runtime;
    j["dtype"] = dtype;
    j["batch"] = batch;
    j["measure"] = measureDevice;
    j["accuracy"] = accuracy;
    j["accuracy_settings"] = accuracySettings;
    j["references"] = references;
    return j;
}

SearchRunParams SearchRunParams::fromJson(const json& j) {
    SearchRunParams p;
    p.search = SearchParams::fromJson(j);
    try {
        p.hw = j.value("hw", p.hw);
        p.runtime = j.value("runtime", p.runtime);
        p.dtype = j.value("dtype", p.dtype);
        p.batch = j.value("batch", p.batch);
        p.measureDevice = j.value("measure", p.measureDevice);
        p.accuracy = j.value("accuracy", p.accuracy);
        p.accuracySettings = j.value("accuracy_settings", json::object());
        if (j.contains("references"))
            p.references = j["references"].get<std::vector<std::string>>();
    } catch (const json::exception& e) {
        throw ArchError(std::string("search parameters: ") + e.what());
    }
    if (p.batch < 1) throw ArchError("search parameters: batch must be >= 1");
    return p;
}

namespace {

constexpr int64_t kBaseSeq = -1;  // references follow at -2, -3, ...

struct Evaluated {
    store::Evaluation evaluation;
    NetworkSpec spec;
    Metrics metrics;
};

class SearchJob : public engine::Job {
public:
    explicit SearchJob(SearchRunParams p)
        : m_params(std::move(p)),
          m_space(loadSearchSpace(m_params.search.space)),
          m_profile(withRuntime(loadProfile(m_params.hw), m_params.runtime)) {
        if (m_params.dtype.empty()) {
            m_dtype = m_profile.defaultDtype;
        } else {
            m_dtype = parseDtype(m_params.dtype);
        }
        requireDtype(m_profile, m_dtype);
        m_estimatorKind = findAccuracyEstimator(m_params.accuracy);
        m_settings = m_estimatorKind.resolveSettings(m_params.accuracySettings);
        if (!m_params.measureDevice.empty()) findLatencyMeasurer(m_params.measureDevice);
        for (const auto& r : m_params.references) resolveModel(r);  // fail before the run starts
    }

    void run(engine::JobContext& ctx) override {
        m_estimate = m_estimatorKind.make(m_settings);
        if (!m_params.measureDevice.empty()) {
            m_measure = findLatencyMeasurer(m_params.measureDevice)
                            .make({{"batch", m_params.batch},
                                   {"dtype", m_params.measureDevice == "cpu"
                                                 ? "fp32"
                                                 : std::string(dtypeName(m_dtype))}});
        }
        const int64_t runId = ctx.runId();
        auto stored =
            ctx.writer().call([runId](store::ResultStore& s) { return s.evaluations(runId); });
        std::map<int64_t, store::Evaluation> bySeq;
        for (auto& e : stored) {
            if (e.accuracy && m_metric.empty()) m_metric = e.accuracy->metric;
            if (e.seq) bySeq.emplace(*e.seq, std::move(e));
        }

        SearchLoop loop(m_params.search, m_space);
        loop.setNamePrefix("cand-" + std::to_string(ctx.runId()) + "-");
        const int64_t budget = m_params.search.budget;
        int64_t done = 0;
        for (const auto& [seq, e] : bySeq) done += seq >= 0;
        ctx.started(kSearchKind, budget, done);

        // Reference points first: the base (target latency) and the zoo references.
        const Metrics base = referencePoint(
            ctx, kBaseSeq, decodeCandidate(m_space, baseCandidate(m_space), m_space.name + "-base"),
            bySeq);
        loop.setTargetMs(m_params.search.targetMs > 0 ? m_params.search.targetMs : base.latencyMs);
        for (size_t i = 0; i < m_params.references.size() && !ctx.stopRequested(); ++i) {
            referencePoint(ctx, kBaseSeq - 1 - int64_t(i), resolveModel(m_params.references[i]),
                           bySeq);
        }

        // Replay what an interrupted run already stored.
        for (auto it = bySeq.lower_bound(0); it != bySeq.end(); ++it) {
            auto [c, spec] = loop.propose();
            if (it->first != loop.done()) break;  // a gap: continue from here
            requireSameArchitecture(runId, it->second, spec);
            loop.record(c, spec, metricsOf(it->second));
        }
        // propose() above advanced the RNG once more than recorded when it broke on a gap;
        // rebuild to keep replay exact.
        if (loop.done() < int(done)) {
            throw ArchError("cannot resume run " + std::to_string(runId) +
                            ": its stored candidates are not contiguous");
        }
        ctx.progress(loop.done());

        while (!loop.finished() && ctx.pauseGate().wait(ctx.stopToken())) {
            auto [c, spec] = loop.propose();
            const int64_t seq = loop.done();
            Evaluated ev;
            try {
                const auto hit = loop.cached(c);
                ev = evaluate(spec, runId, seq, hit ? &*hit : nullptr, ctx.stopToken());
            } catch (const std::exception&) {
                if (ctx.stopRequested())
                    break;  // the estimator stopped early: a cancel, not a failure
                throw;
            }
            if (ctx.stopRequested()) break;  // an estimate cut short is not stored
            loop.record(c, spec, ev.metrics);
            post(ctx, std::move(ev));
            ctx.progress(loop.done());
            if (loop.done() % 100 == 0) storeFront(ctx, loop);
        }
        storeFront(ctx, loop);
    }

private:
    /// A stored candidate's figures under the one rule (store::judgedLatency). A candidate
    /// without latency or accuracy cannot be placed on the front, so resuming stops.
    Metrics metricsOf(const store::Evaluation& e) const {
        const store::LatencyFigure latency = e.latency();
        if (!latency.known() || !e.accuracy)
            throw ArchError("cannot resume search run " + std::to_string(e.runId) +
                            ": its stored candidate " + std::to_string(e.seq.value_or(0)) +
                            " has no " + (latency.known() ? "accuracy" : "latency") +
                            "; the database was edited or written by another tool. Start a new "
                            "run (archscope-cli search) instead.");
        return {latency.ms, e.accuracy->value};
    }

    /// The seed must re-propose exactly what was stored; anything else (another space file, a
    /// changed sampler) would silently mix two searches.
    static void requireSameArchitecture(int64_t runId, const store::Evaluation& stored,
                                        const NetworkSpec& proposed) {
        const std::string hash = networkHash(proposed);
        if (hash == stored.archHash) return;
        throw ArchError("cannot resume search run " + std::to_string(runId) + ": candidate " +
                        std::to_string(stored.seq.value_or(0)) + " replays as architecture " +
                        hash + " but the store holds " + stored.archHash +
                        " (the search space file or this archscope's sampler changed since the "
                        "run started). Start a new run with the same settings instead.");
    }

    Metrics referencePoint(engine::JobContext& ctx, int64_t seq, const NetworkSpec& spec,
                           const std::map<int64_t, store::Evaluation>& bySeq) {
        if (auto it = bySeq.find(seq); it != bySeq.end()) return metricsOf(it->second);
        Evaluated ev;
        try {
            ev = evaluate(spec, ctx.runId(), seq, nullptr, ctx.stopToken());
        } catch (const std::exception&) {
            if (ctx.stopRequested()) return {};
            throw;
        }
        const Metrics m = ev.metrics;
        if (!ctx.stopRequested()) post(ctx, std::move(ev));
        return m;
    }

    Evaluated evaluate(const NetworkSpec& spec, int64_t runId, int64_t seq, const Metrics* reuse,
                       std::stop_token stop) {
        const auto t0 = std::chrono::steady_clock::now();
        Evaluated ev;
        ev.spec = spec;
        const auto layers = expandLayers(buildNetwork(spec), m_params.batch);
        const NetworkCost cost = totalCost(layers);
        const auto groups = predictGroups(m_profile, layers, m_dtype);
        const NetworkPrediction pred =
            summarize(groups, m_params.batch, m_profile.runtime.perStepSeconds);
        store::Evaluation& e = ev.evaluation;
        e.runId = runId;
        e.seq = seq;
        e.platform = m_profile.name;
        e.profileVersion = std::to_string(m_profile.version);
        e.runtime = m_profile.runtime.name + " v" + std::to_string(m_profile.runtime.version);
        e.batch = m_params.batch;
        e.dtype = std::string(dtypeName(m_dtype));
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
        std::string latencyHow = "latency " + predictionMethod(m_profile);
        if (reuse) {
            e.accuracy =
                store::AccuracyEstimate{reuse->accuracy, m_params.accuracy, m_settings,
                                        m_settings.value("dataset", std::string()), m_metric};
            if (m_measure)
                e.measured = store::MeasuredLatency{
                    reuse->latencyMs, reuse->latencyMs, reuse->latencyMs, 0, {{"reused", true}}};
            e.method =
                "duplicate candidate: figures reused from its first evaluation; " + latencyHow;
        } else {
            const AccuracyResult acc = m_estimate(spec, stop);
            m_metric = acc.metric;
            e.accuracy = store::AccuracyEstimate{acc.value, acc.estimator, acc.settings,
                                                 acc.dataset, acc.metric};
            if (m_measure && !stop.stop_requested()) {
                auto lock = engine::lockDevice(m_params.measureDevice);
                const MeasuredResult mr = m_measure(spec, stop);
                e.measured =
                    store::MeasuredLatency{mr.medianMs, mr.p10Ms, mr.p90Ms, mr.reps, mr.context};
                latencyHow = "latency measured on " + m_params.measureDevice + " (median of " +
                             std::to_string(mr.reps) + "), also " + latencyHow;
            }
            e.method = latencyHow + "; accuracy: " + acc.metric + " from the " + acc.estimator +
                       " estimator";
        }
        ev.metrics = {e.latency().ms, e.accuracy->value};  // the search judges what it stores
        e.costSeconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return ev;
    }

    void post(engine::JobContext& ctx, Evaluated ev) {
        const store::Evaluation& e = ev.evaluation;
        engine::Result r{ctx.runId(), *e.seq,   ev.spec.name, networkHash(ev.spec),
                         e.macs,      e.params, e.latency(),  e.accuracy->figure(),
                         e.method};
        ctx.writer().post([ev = std::move(ev)](store::ResultStore& s) mutable {
            ev.evaluation.architectureId = s.internArchitecture(ev.spec);
            s.insertEvaluation(ev.evaluation);
        });
        ctx.emit(r);
    }

    void storeFront(engine::JobContext& ctx, const SearchLoop& loop) {
        std::vector<int64_t> seqs;
        for (const auto& p : loop.front().points()) seqs.push_back(p.id);
        const int64_t runId = ctx.runId();
        ctx.writer().post([runId, seqs](store::ResultStore& s) {
            std::map<int64_t, int64_t> idOfSeq;
            for (const auto& e : s.evaluations(runId)) {
                if (e.seq) idOfSeq[*e.seq] = e.id;
            }
            std::vector<int64_t> ids;
            for (int64_t seq : seqs) {
                if (auto it = idOfSeq.find(seq); it != idOfSeq.end()) ids.push_back(it->second);
            }
            s.setFront(runId, ids);
        });
    }

    SearchRunParams m_params;
    SearchSpace m_space;
    Profile m_profile;
    Dtype m_dtype = Dtype::Bf16;
    AccuracyEstimatorKind m_estimatorKind;
    json m_settings;
    EstimateFn m_estimate;
    MeasureFn m_measure;
    std::string m_metric;  ///< the estimator's metric, for duplicates that reuse a figure
};

}  // namespace

engine::RunKind searchRunKind() {
    return {kSearchKind,
            "Platform-aware architecture search (random, evolution, REINFORCE) over a space",
            [](const json& params) -> std::unique_ptr<engine::Job> {
                return std::make_unique<SearchJob>(SearchRunParams::fromJson(params));
            }};
}

std::optional<std::string> searchReferenceName(const json& params, int64_t seq) {
    if (seq == kBaseSeq) return params.value("space", std::string("space")) + " base";
    const auto refs = params.value("references", std::vector<std::string>{});
    const auto i = size_t(kBaseSeq - 1 - seq);
    if (seq < kBaseSeq && i < refs.size()) return refs[i];
    return std::nullopt;
}

void registerSearchRunKind() {
    engine::registerRunKind(searchRunKind());
}

}  // namespace archscope
