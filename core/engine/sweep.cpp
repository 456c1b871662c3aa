#include "engine/sweep.h"

#include <chrono>

#include "arch/error.h"
#include "arch/expand.h"
#include "arch/json.h"
#include "engine/random_arch.h"
#include "zoo/zoo.h"

namespace archscope::engine {
namespace {

// Bytes per element for the per-layer byte counts: sweeps count fp32 tensors.
constexpr int kFp32Bytes = 4;

struct SweepItem {
    NetworkSpec spec;
    std::string hash;
    store::Evaluation evaluation;
};

SweepItem evaluateCandidate(const SweepParams& p, int64_t seq, int64_t runId) {
    const auto t0 = std::chrono::steady_clock::now();
    SweepItem item;
    item.spec = p.candidate(seq);
    item.hash = networkHash(item.spec);
    const Network net = buildNetwork(item.spec);
    const auto layers = expandLayers(net, p.batch);
    const NetworkCost cost = totalCost(layers);
    store::Evaluation& e = item.evaluation;
    e.runId = runId;
    e.seq = seq;
    e.batch = p.batch;
    e.dtype = "fp32";
    e.macs = cost.macs;
    e.params = cost.params;
    e.method = kIrCostMethod;
    e.layers.reserve(layers.size());
    for (size_t i = 0; i < layers.size(); ++i) {
        const Layer& l = layers[i];
        e.layers.push_back(store::LayerCost{
            int64_t(i), l.name, std::string(opKindName(l.kind)), l.macs, l.params,
            l.bytesRead(kFp32Bytes) + l.bytesWritten(kFp32Bytes), std::nullopt, std::nullopt});
    }
    e.costSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return item;
}

class SweepJob : public Job {
public:
    explicit SweepJob(SweepParams params) : m_params(std::move(params)) {}

    void run(JobContext& ctx) override {
        const int64_t runId = ctx.runId();
        const int64_t total = m_params.total();
        const auto done =
            ctx.writer().call([runId](store::ResultStore& s) { return s.finishedSeqs(runId); });
        std::vector<int64_t> pending;
        pending.reserve(size_t(total));
        auto it = done.begin();
        for (int64_t seq = 0; seq < total; ++seq) {
            while (it != done.end() && *it < seq) ++it;
            if (it == done.end() || *it != seq) pending.push_back(seq);
        }
        int64_t finished = total - int64_t(pending.size());
        ctx.started(kSweepKind, total, finished);
        ctx.progress(finished);

        const std::function<SweepItem(int64_t, std::stop_token)> evaluate =
            [this, runId](int64_t seq, std::stop_token) {
                return evaluateCandidate(m_params, seq, runId);
            };
        const std::function<void(int64_t, SweepItem &&)> onResult = [&](int64_t seq,
                                                                        SweepItem&& item) {
            Result r{runId,
                     seq,
                     item.spec.name,
                     item.hash,
                     item.evaluation.macs,
                     item.evaluation.params,
                     item.evaluation.latency(),  // a sweep counts costs: no latency
                     std::nullopt,
                     kIrCostMethod};
            ctx.writer().post([item = std::move(item)](store::ResultStore& s) mutable {
                item.evaluation.architectureId = s.internArchitecture(item.spec);
                s.insertEvaluation(item.evaluation);
            });
            ctx.emit(r);
            ctx.progress(++finished);
        };
        runPool<SweepItem>(pending, ctx.workers(), ctx.stopToken(), ctx.pauseGate(), evaluate,
                           onResult);
    }

private:
    SweepParams m_params;
};

}  // namespace

NetworkSpec SweepParams::candidate(int64_t seq) const {
    if (seq < 0 || seq >= total())
        throw ArchError("sweep candidate " + std::to_string(seq) + " is out of range");
    if (randomCount > 0) return randomEfficientNetVariant(seed, seq);
    return networks[size_t(seq)];
}

nlohmann::json SweepParams::toJson() const {
    nlohmann::json j{{"batch", batch}};
    if (randomCount > 0) {
        j["random"] = randomCount;
        j["seed"] = seed;
    } else {
        j["models"] = models;
        nlohmann::json nets = nlohmann::json::array();
        for (const auto& n : networks) nets.push_back(networkSpecToJson(n));
        j["networks"] = std::move(nets);
    }
    return j;
}

SweepParams SweepParams::fromJson(const nlohmann::json& j) {
    SweepParams p;
    try {
        p.batch = j.value("batch", 1);
        p.randomCount = j.value("random", int64_t(0));
        p.seed = j.value("seed", uint64_t(0));
        if (j.contains("models")) p.models = j.at("models").get<std::vector<std::string>>();
        if (j.contains("networks"))
            for (const auto& n : j.at("networks"))
                p.networks.push_back(networkSpecFromJson(n, "sweep params"));
    } catch (const nlohmann::json::exception& e) {
        throw ArchError(std::string("sweep params: ") + e.what());
    }
    if (p.batch < 1) throw ArchError("sweep params: batch must be at least 1");
    if (p.randomCount < 0) throw ArchError("sweep params: random count must not be negative");
    if (p.randomCount == 0 && p.networks.empty())
        throw ArchError(
            "sweep params: give models (--models a,b,c) or a random count (--random N)");
    if (p.randomCount > 0 && !p.networks.empty())
        throw ArchError("sweep params: give either models or a random count, not both");
    return p;
}

SweepParams SweepParams::forModels(const std::vector<std::string>& models, int batch) {
    SweepParams p;
    p.batch = batch;
    p.models = models;
    for (const auto& m : models) p.networks.push_back(resolveModel(m));
    return p;
}

SweepParams SweepParams::forRandom(int64_t count, uint64_t seed, int batch) {
    SweepParams p;
    p.batch = batch;
    p.randomCount = count;
    p.seed = seed;
    return p;
}

RunKind sweepRunKind() {
    return RunKind{kSweepKind, "IR costs (MACs, params, per-layer bytes) of a list of networks",
                   [](const nlohmann::json& params) -> std::unique_ptr<Job> {
                       return std::make_unique<SweepJob>(SweepParams::fromJson(params));
                   }};
}

}  // namespace archscope::engine
