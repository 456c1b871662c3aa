#include "mpi/search_backend.h"

#include "search/searchrun.h"

namespace archscope::mpi {
namespace {

using nlohmann::json;

class SearchBackend : public EvaluationBackend {
public:
    explicit SearchBackend(WorkerPool& pool) : m_pool(pool) {}

    int freeSlots() const override { return int(m_pool.idle().size()); }

    void submit(EvaluationTask task) override {
        const auto idle = m_pool.idle();
        if (idle.empty()) throw std::logic_error("MPI search backend: no idle worker");
        m_pool.submit(idle.front(), evaluationTaskToJson(task).dump());
    }

    std::vector<EvaluationOutcome> collect(std::stop_token stop) override {
        std::vector<EvaluationOutcome> outcomes;
        for (auto& [rank, text] : m_pool.collect(stop)) {
            const json j = json::parse(text, nullptr, false);
            if (j.is_discarded())
                throw ArchError("MPI rank " + std::to_string(rank) + " sent an unreadable outcome");
            if (j.contains("worker_error"))
                throw ArchError("MPI rank " + std::to_string(rank) +
                                " could not evaluate: " + j["worker_error"].get<std::string>());
            if (j.contains("cancelled")) continue;
            outcomes.push_back(evaluationOutcomeFromJson(j));
        }
        return outcomes;
    }

private:
    WorkerPool& m_pool;
};

}  // namespace

EvaluationBackendFactory searchBackendFactory(WorkerPool& pool) {
    return [&pool](const SearchRunParams& params, int64_t) -> std::unique_ptr<EvaluationBackend> {
        pool.start({{"kind", kSearchKind}, {"params", params.toJson()}});
        return std::make_unique<SearchBackend>(pool);
    };
}

TaskEvaluator taskEvaluatorFor(const json& setup) {
    const std::string kind = setup.value("kind", std::string());
    if (kind == kSearchKind) return makeSearchTaskEvaluator(setup.at("params"));
    throw ArchError("MPI workers evaluate search runs only, not \"" + kind + "\" runs");
}

}  // namespace archscope::mpi
