#include "lacsrun.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "arch/error.h"
#include "arch/expand.h"
#include "arch/json.h"
#include "engine/job.h"
#include "evaluators.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "hw/runtime_io.h"
#include "store/store.h"

namespace archscope {

using nlohmann::json;

json LacsRunParams::toJson() const {
    return {{"base", baseName},
            {"network", networkSpecToJson(base)},
            {"hw", hw},
            {"runtime", runtime},
            {"dtype", dtype},
            {"batch", batch},
            {"accuracy", accuracy},
            {"accuracy_settings", accuracySettings},
            {"steps", lacs.steps},
            {"ratio", lacs.latencyRatio},
            {"targets_ms", lacs.targetsMs},
            {"tolerance", lacs.tolerance},
            {"member_tolerance", lacs.memberTolerance},
            {"alpha_max", lacs.alphaMax},
            {"beta_max", lacs.betaMax},
            {"gamma_max", lacs.gammaMax},
            {"grid_step", lacs.gridStep},
            {"reward_exponent", lacs.rewardExponent},
            {"resolution_multiple", lacs.resolutionMultiple}};
}

LacsRunParams LacsRunParams::fromJson(const json& j) {
    LacsRunParams p;
    try {
        p.baseName = j.at("base").get<std::string>();
        p.base = networkSpecFromJson(j.at("network"), "lacs params");
        p.hw = j.value("hw", p.hw);
        p.runtime = j.value("runtime", p.runtime);
        p.dtype = j.value("dtype", p.dtype);
        p.batch = j.value("batch", p.batch);
        p.accuracy = j.value("accuracy", p.accuracy);
        p.accuracySettings = j.value("accuracy_settings", json::object());
        LacsParams& l = p.lacs;
        l.steps = j.value("steps", l.steps);
        l.latencyRatio = j.value("ratio", l.latencyRatio);
        l.targetsMs = j.value("targets_ms", std::vector<double>{});
        l.tolerance = j.value("tolerance", l.tolerance);
        l.memberTolerance = j.value("member_tolerance", l.memberTolerance);
        l.alphaMax = j.value("alpha_max", l.alphaMax);
        l.betaMax = j.value("beta_max", l.betaMax);
        l.gammaMax = j.value("gamma_max", l.gammaMax);
        l.gridStep = j.value("grid_step", l.gridStep);
        l.rewardExponent = j.value("reward_exponent", l.rewardExponent);
        l.resolutionMultiple = j.value("resolution_multiple", l.resolutionMultiple);
    } catch (const json::exception& e) {
        throw ArchError(std::string("lacs params: ") + e.what());
    }
    if (p.batch < 1) throw ArchError("lacs params: batch must be >= 1");
    p.lacs.validate();
    return p;
}

namespace {

/// The platform, dtype and estimator of a run, checked once.
struct LacsSetup {
    explicit LacsSetup(const LacsRunParams& p) : params(p), profile(loadPlatform(p.hw, p.runtime)) {
        dtype = p.dtype.empty() ? profile.defaultDtype : parseDtype(p.dtype);
        requireDtype(profile, dtype);
        kind = findAccuracyEstimator(p.accuracy);
        settings = kind.resolveSettings(p.accuracySettings);
        p.lacs.validate();
    }

    double latencyMs(const NetworkSpec& s) const {
        return predictModel(profile, s, params.batch, dtype).latencySeconds * 1e3;
    }
    LatencyFn latency() const {
        return [this](const NetworkSpec& s) { return latencyMs(s); };
    }

    LacsReport report(LacsResult r, std::string metric) const {
        return {std::move(r),
                profile.name,
                profile.runtime.name,
                std::string(dtypeName(dtype)),
                predictionMethod(profile),
                std::move(metric),
                settings};
    }

    LacsRunParams params;
    Profile profile;
    Dtype dtype = Dtype::Bf16;
    AccuracyEstimatorKind kind;
    json settings;
};

std::string roleText(const LacsEvaluation& ev) {
    switch (ev.role) {
        case LacsRole::Grid:
            return "LACS grid point";
        case LacsRole::Member:
            return "LACS member B" + std::to_string(ev.member);
        case LacsRole::FlopsMember:
            return "FLOPs-rule member B" + std::to_string(ev.member);
    }
    return "LACS";
}

class LacsJob : public engine::Job {
public:
    explicit LacsJob(LacsRunParams p) : m_setup(p) { validateLacsRun(p); }

    void run(engine::JobContext& ctx) override {
        const int64_t runId = ctx.runId();
        auto stored =
            ctx.writer().call([runId](store::ResultStore& s) { return s.evaluations(runId); });
        std::map<int64_t, std::optional<double>> accuracyOf;
        for (const auto& e : stored) {
            if (e.seq)
                accuracyOf[*e.seq] =
                    e.accuracy ? std::optional<double>(e.accuracy->value) : std::nullopt;
        }
        const LacsParams& lp = m_setup.params.lacs;
        const int64_t total = lp.evaluationCount();
        int64_t done = int64_t(accuracyOf.size());
        ctx.started(kLacsKind, total, done);
        ctx.progress(done);

        const EstimateFn estimate = m_setup.kind.make(m_setup.settings);
        AccuracyResult last;
        auto accuracy = [&](const NetworkSpec& spec) {
            last = estimate(spec, ctx.stopToken());
            return last.value;
        };
        LacsRecorder recorder;
        recorder.recall = [&](int64_t seq) -> std::optional<std::optional<double>> {
            if (auto it = accuracyOf.find(seq); it != accuracyOf.end()) return it->second;
            return std::nullopt;
        };
        recorder.record = [&](const LacsEvaluation& ev) {
            post(ctx, ev, ev.accuracy ? &last : nullptr);
            ctx.progress(++done);
        };
        try {
            runLacs(m_setup.params.base, m_setup.latency(), accuracy, lp, ctx.stopToken(),
                    recorder);
        } catch (const std::exception&) {
            if (ctx.stopRequested()) return;  // the estimator stopped early: a cancel
            throw;
        }
    }

private:
    void post(engine::JobContext& ctx, const LacsEvaluation& ev, const AccuracyResult* acc) {
        const auto t0 = std::chrono::steady_clock::now();
        const Profile& profile = m_setup.profile;
        const int batch = m_setup.params.batch;
        const NetworkCost cost = totalCost(expandLayers(buildNetwork(ev.spec), batch));
        store::Evaluation e;
        e.runId = ctx.runId();
        e.seq = ev.seq;
        e.platform = profile.name;
        e.profileVersion = std::to_string(profile.version);
        e.runtime = profile.runtime.name + " v" + std::to_string(profile.runtime.version);
        e.batch = batch;
        e.dtype = std::string(dtypeName(m_setup.dtype));
        e.macs = cost.macs;
        e.params = cost.params;
        e.predictedMs = ev.latencyMs;
        e.method = roleText(ev) + "; latency " + predictionMethod(profile);
        if (ev.targetMs > 0) e.method += "; target " + std::to_string(ev.targetMs) + " ms";
        if (ev.role == LacsRole::Member) e.method += "; phi " + std::to_string(ev.phi);
        if (acc) {
            e.accuracy = store::AccuracyEstimate{acc->value, acc->estimator, acc->settings,
                                                 acc->dataset, acc->metric};
            e.method += "; accuracy: " + acc->metric + " from the " + acc->estimator + " estimator";
            e.costSeconds = acc->seconds;
        }
        e.costSeconds =
            e.costSeconds.value_or(0.0) +
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        engine::Result r{
            ctx.runId(),  ev.seq,
            ev.spec.name, networkHash(ev.spec),
            e.macs,       e.params,
            e.latency(),  e.accuracy ? std::optional(e.accuracy->figure()) : std::nullopt,
            e.method};
        ctx.writer().post([e = std::move(e), spec = ev.spec](store::ResultStore& s) mutable {
            e.architectureId = s.internArchitecture(spec);
            s.insertEvaluation(e);
        });
        ctx.emit(r);
    }

    LacsSetup m_setup;
};

}  // namespace

void validateLacsRun(const LacsRunParams& p) {
    const LacsSetup setup(p);
    const double baseMs = setup.latencyMs(p.base);
    if (!p.lacs.targetsMs.empty() && !(p.lacs.targetsMs.front() > baseMs))
        throw ArchError("LACS: B1's target (" + std::to_string(p.lacs.targetsMs.front()) +
                        " ms) must be above the base latency (" + std::to_string(baseMs) +
                        " ms on " + setup.profile.name + ")");
}

LacsReport runLacsInMemory(const LacsRunParams& p, std::stop_token stop,
                           const std::function<void(int)>& progress) {
    validateLacsRun(p);
    const LacsSetup setup(p);
    const EstimateFn estimate = setup.kind.make(setup.settings);
    std::string metric;
    int estimates = 0;
    auto accuracy = [&](const NetworkSpec& s) {
        const AccuracyResult r = estimate(s, stop);
        metric = r.metric;
        if (progress) progress(++estimates);
        return r.value;
    };
    LacsResult r = runLacs(p.base, setup.latency(), accuracy, p.lacs, stop);
    return setup.report(std::move(r), metric);
}

void estimateFlopsRule(LacsReport& report, const LacsRunParams& p, std::stop_token stop) {
    const LacsSetup setup(p);
    const EstimateFn estimate = setup.kind.make(setup.settings);
    for (FamilyMember& m : report.result.flopsScaling) {
        if (stop.stop_requested()) return;
        // The same spec runLacs predicted the member's latency on.
        const NetworkSpec spec =
            scaledSpec(p.base, m.depthFactor, m.widthFactor, m.resolutionFactor, m.name);
        const AccuracyResult r = estimate(spec, stop);
        m.accuracy = r.value;
        if (report.metric.empty()) report.metric = r.metric;
    }
}

LacsReport lacsReportFromStore(const std::filesystem::path& db, int64_t runId) {
    store::StoreReader reader(db);
    const store::RunRecord run = reader.requireRun(runId);
    if (run.kind != kLacsKind)
        throw ArchError("run " + std::to_string(runId) + " is a " + run.kind +
                        " run, not a lacs run");
    const LacsRunParams p = LacsRunParams::fromJson(run.params);
    const LacsSetup setup(p);
    std::map<int64_t, std::optional<double>> accuracyOf;
    std::string metric;
    for (const auto& e : reader.evaluations(runId)) {
        if (!e.seq) continue;
        accuracyOf[*e.seq] = e.accuracy ? std::optional<double>(e.accuracy->value) : std::nullopt;
        if (e.accuracy && metric.empty()) metric = e.accuracy->figure().metric;
    }
    LacsRecorder recorder;
    recorder.recall = [&](int64_t seq) -> std::optional<std::optional<double>> {
        if (auto it = accuracyOf.find(seq); it != accuracyOf.end()) return it->second;
        throw ArchError("run " + std::to_string(runId) + " has no evaluation " +
                        std::to_string(seq) + " yet; `archscope-cli resume --db " + db.string() +
                        " --run " + std::to_string(runId) + "` completes it");
    };
    auto noEstimate = [](const NetworkSpec&) -> double {
        throw ArchError("internal: a stored LACS run asked for a new estimate");
    };
    LacsResult r = runLacs(p.base, setup.latency(), noEstimate, p.lacs, {}, recorder);
    r.estimates = int(std::count_if(accuracyOf.begin(), accuracyOf.end(),
                                    [](const auto& kv) { return kv.second.has_value(); }));
    return setup.report(std::move(r), metric);
}

engine::RunKind lacsRunKind() {
    return {kLacsKind,
            "Latency-aware compound scaling: grid search of the B1 step, then every member on "
            "its own latency target",
            [](const json& params) -> std::unique_ptr<engine::Job> {
                return std::make_unique<LacsJob>(LacsRunParams::fromJson(params));
            }};
}

void registerLacsRunKind() {
    engine::registerRunKind(lacsRunKind());
}

}  // namespace archscope
