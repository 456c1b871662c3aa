#include "searchrun.h"

#include <deque>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include "arch/error.h"
#include "arch/json.h"
#include "candidate_evaluator.h"
#include "engine/job.h"
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
constexpr int kFrontEvery = 100;  // the stored front is refreshed every this many candidates

/// A stored evaluation's figures under the one rule (store::judgedLatency). A stored candidate
/// without latency or accuracy that is not a recorded failure cannot be placed on the front.
Metrics metricsOf(const store::Evaluation& e) {
    const store::LatencyFigure latency = e.latency();
    if (!e.error && (!latency.known() || !e.accuracy))
        throw ArchError("cannot resume search run " + std::to_string(e.runId) +
                        ": its stored evaluation " + std::to_string(e.seq.value_or(0)) +
                        " has no " + (latency.known() ? "accuracy" : "latency") +
                        "; the database was edited or written by another tool. Start a new "
                        "run (archscope-cli search) instead.");
    return {latency.known() ? latency.ms : 0.0, e.accuracy ? e.accuracy->value : 0.0};
}

/// A proposal waiting for its turn to be recorded (results are recorded in seq order).
struct Proposal {
    Candidate candidate;
    NetworkSpec spec;
    std::optional<int64_t> duplicateOf;  ///< an earlier proposal of the same candidate
};

/// What a search run has computed but the loop has not consumed yet.
struct Known {
    EvaluationOutcome outcome;
    bool fromStore = false;  ///< found in the store on resume: not stored again
};

class SearchJob : public engine::Job {
public:
    SearchJob(SearchRunParams p, EvaluationBackendFactory remote)
        : m_params(std::move(p)),
          m_space(loadSearchSpace(m_params.search.space)),
          m_evaluator(m_params),
          m_remote(std::move(remote)) {
        for (const auto& r : m_params.references) resolveModel(r);  // fail before the run starts
    }

    /// The run as a dispatcher: proposals go out as the window allows, results come back in
    /// any order and are stored at once, and the loop records them strictly in seq order, so
    /// the proposals never depend on the arrival order (nor on the number of evaluators).
    void run(engine::JobContext& ctx) override {
        const int64_t runId = ctx.runId();
        for (auto& e :
             ctx.writer().call([runId](store::ResultStore& s) { return s.evaluations(runId); })) {
            if (e.seq) m_stored.emplace(*e.seq, std::move(e));
        }
        SearchLoop loop(m_params.search, m_space);
        loop.setNamePrefix("cand-" + std::to_string(runId) + "-");
        for (const auto& [seq, e] : m_stored) m_storedCandidates += seq >= 0;
        ctx.started(kSearchKind, m_params.search.budget, m_storedCandidates);
        m_backend = m_remote ? m_remote(m_params, runId) : makeLocalBackend(m_evaluator);

        // Reference points first: the base (target latency) and the zoo references.
        enqueue(runId, kBaseSeq,
                decodeCandidate(m_space, baseCandidate(m_space), m_space.name + "-base"));
        for (size_t i = 0; i < m_params.references.size(); ++i) {
            enqueue(runId, kBaseSeq - 1 - int64_t(i), resolveModel(m_params.references[i]));
        }
        m_referencesLeft = 1 + int64_t(m_params.references.size());
        ctx.progress(m_storedCandidates);
        try {
            advance(ctx, loop);
            while (!(loop.finished() && m_referencesLeft == 0)) {
                if (!ctx.pauseGate().wait(ctx.stopToken())) break;
                while (m_backend->freeSlots() > 0 && !m_queue.empty()) {
                    m_backend->submit(std::move(m_queue.front()));
                    m_queue.pop_front();
                    ++m_inFlight;
                }
                if (m_inFlight == 0)
                    throw std::logic_error("search run " + std::to_string(runId) +
                                           ": nothing to evaluate and nothing to record");
                for (auto& o : m_backend->collect(ctx.stopToken())) {
                    --m_inFlight;
                    post(ctx, o);
                    const int64_t seq = o.seq();
                    m_known.insert_or_assign(seq, Known{std::move(o), false});
                }
                if (ctx.stopRequested()) break;  // what arrived is stored; the rest is redone
                advance(ctx, loop);
            }
        } catch (...) {
            storeFront(ctx, loop);  // what finished stays usable (e.g. after a lost worker)
            throw;
        }
        storeFront(ctx, loop);
    }

private:
    /// Queues a network for evaluation, or takes its stored figures on resume.
    void enqueue(int64_t runId, int64_t seq, NetworkSpec spec) {
        if (auto it = m_stored.find(seq); it != m_stored.end()) {
            // The seed must re-propose exactly what was stored; anything else (another space
            // file, a changed sampler) would silently mix two searches.
            const std::string hash = networkHash(spec);
            if (it->second.archHash != hash)
                throw ArchError("cannot resume search run " + std::to_string(runId) + ": " +
                                (seq < 0 ? "reference " : "candidate ") + std::to_string(seq) +
                                " replays as architecture " + hash + " but the store holds " +
                                it->second.archHash +
                                " (the search space file or this archscope's sampler changed "
                                "since the run started). Start a new run with the same settings "
                                "instead.");
            EvaluationOutcome o;
            o.evaluation = it->second;
            o.spec = std::move(spec);
            o.metrics = metricsOf(it->second);
            m_known.insert_or_assign(seq, Known{std::move(o), true});
            return;
        }
        m_queue.push_back({runId, seq, std::move(spec)});
    }

    /// Records what is ready, in seq order, proposing what the window allows after each
    /// record: proposal k always follows exactly the records 0..k-window, however many results
    /// are waiting, which is what keeps proposals independent of arrival order.
    void advance(engine::JobContext& ctx, SearchLoop& loop) {
        proposeAllowed(ctx, loop);
        consumeReferences(loop);
        if (!m_targetSet) return;
        while (recordNext(ctx, loop)) proposeAllowed(ctx, loop);
    }

    void proposeAllowed(engine::JobContext& ctx, SearchLoop& loop) {
        while (loop.canPropose()) {
            auto [c, spec] = loop.propose();
            const int64_t seq = loop.proposed() - 1;
            Proposal p{std::move(c), std::move(spec), std::nullopt};
            const auto [first, isNew] = m_firstOfKey.emplace(
                std::string(p.candidate.choices.begin(), p.candidate.choices.end()), seq);
            if (!isNew && !m_stored.contains(seq)) {
                p.duplicateOf = first->second;  // its figures are re-used, not recomputed
            } else {
                enqueue(ctx.runId(), seq, p.spec);
            }
            m_proposals.emplace(seq, std::move(p));
        }
    }

    void consumeReferences(SearchLoop& loop) {
        for (auto it = m_known.begin(); it != m_known.end() && it->first < 0;) {
            if (it->first == kBaseSeq && !m_targetSet) {
                const EvaluationOutcome& base = it->second.outcome;
                if (!base.evaluation.latency().known())
                    throw ArchError(
                        "the space's base network could not be evaluated, so the "
                        "search has no target latency: " +
                        base.evaluation.error.value_or("no latency"));
                loop.setTargetMs(m_params.search.targetMs > 0 ? m_params.search.targetMs
                                                              : base.metrics.latencyMs);
                m_targetSet = true;
            }
            --m_referencesLeft;
            it = m_known.erase(it);
        }
    }

    /// Records the next candidate if its outcome is known (or it re-uses an earlier one).
    bool recordNext(engine::JobContext& ctx, SearchLoop& loop) {
        if (loop.finished()) return false;
        const int64_t seq = loop.done();
        auto p = m_proposals.find(seq);
        if (p == m_proposals.end()) return false;
        EvaluationOutcome o;
        if (auto k = m_known.find(seq); k != m_known.end()) {
            o = std::move(k->second.outcome);
            m_known.erase(k);
        } else if (p->second.duplicateOf) {
            o = m_evaluator.reuse({ctx.runId(), seq, p->second.spec},
                                  m_firsts.at(*p->second.duplicateOf));
            post(ctx, o);
        } else {
            return false;  // still being evaluated
        }
        if (o.failed()) {
            loop.recordFailed(p->second.candidate, p->second.spec, o.metrics, *o.evaluation.error);
        } else {
            loop.record(p->second.candidate, p->second.spec, o.metrics);
        }
        if (!p->second.duplicateOf) {
            o.evaluation.layers.clear();  // kept only for the figures a duplicate re-uses
            m_firsts.emplace(seq, std::move(o));
        }
        m_proposals.erase(p);
        if (loop.done() % kFrontEvery == 0) storeFront(ctx, loop);
        return true;
    }

    void post(engine::JobContext& ctx, const EvaluationOutcome& o) {
        const store::Evaluation& e = o.evaluation;
        engine::Result r{ctx.runId(),
                         o.seq(),
                         o.spec.name,
                         networkHash(o.spec),
                         e.macs,
                         e.params,
                         e.latency(),
                         e.accuracy ? std::optional(e.accuracy->figure()) : std::nullopt,
                         e.error ? "failed: " + *e.error : e.method};
        ctx.writer().post([evaluation = e, spec = o.spec](store::ResultStore& s) mutable {
            evaluation.architectureId = s.internArchitecture(spec);
            s.insertEvaluation(evaluation);
        });
        ctx.emit(r);
        if (o.seq() >= 0) ctx.progress(++m_storedCandidates);
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
    SearchEvaluator m_evaluator;  // this process's evaluator: local runs and duplicates
    EvaluationBackendFactory m_remote;
    std::unique_ptr<EvaluationBackend> m_backend;

    std::map<int64_t, store::Evaluation> m_stored;  // what the run held when it (re)started
    int64_t m_storedCandidates = 0;
    std::deque<EvaluationTask> m_queue;  // waiting for a free evaluator, in seq order
    int m_inFlight = 0;
    std::map<int64_t, Known> m_known;         // computed, not yet consumed by the loop
    std::map<int64_t, Proposal> m_proposals;  // proposed, not yet recorded
    std::unordered_map<std::string, int64_t> m_firstOfKey;  // candidate -> first proposal
    std::map<int64_t, EvaluationOutcome> m_firsts;          // figures of first proposals
    int64_t m_referencesLeft = 0;
    bool m_targetSet = false;
};

}  // namespace

engine::RunKind searchRunKind(EvaluationBackendFactory remote) {
    return {kSearchKind,
            "Platform-aware architecture search (random, evolution, REINFORCE) over a space",
            [remote](const json& params) -> std::unique_ptr<engine::Job> {
                return std::make_unique<SearchJob>(SearchRunParams::fromJson(params), remote);
            }};
}

std::optional<std::string> searchReferenceName(const json& params, int64_t seq) {
    if (seq == kBaseSeq) return params.value("space", std::string("space")) + " base";
    const auto refs = params.value("references", std::vector<std::string>{});
    const auto i = size_t(kBaseSeq - 1 - seq);
    if (seq < kBaseSeq && i < refs.size()) return refs[i];
    return std::nullopt;
}

void registerSearchRunKind(EvaluationBackendFactory remote) {
    engine::registerRunKind(searchRunKind(std::move(remote)));
}

}  // namespace archscope
