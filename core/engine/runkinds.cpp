#include "engine/runkinds.h"

#include <map>
#include <mutex>

#include "arch/error.h"
#include "engine/jobcontroller.h"
#include "engine/machine.h"
#include "engine/sweep.h"

namespace archscope::engine {
namespace {

struct Registry {
    std::mutex mutex;
    std::map<std::string, RunKind> kinds;
};

Registry& registry() {
    // Built-in kinds are listed here rather than self-registered: a static registrar in a
    // static library is dropped by the linker when nothing else references its object file.
    static Registry r{{}, {{kSweepKind, sweepRunKind()}}};
    return r;
}

}  // namespace

void registerRunKind(RunKind kind) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    const std::string name = kind.name;
    r.kinds.insert_or_assign(name, std::move(kind));
}

const RunKind& findRunKind(const std::string& name) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    const auto it = r.kinds.find(name);
    if (it != r.kinds.end()) return it->second;
    std::string known;
    for (const auto& [n, k] : r.kinds) known += (known.empty() ? "" : ", ") + n;
    throw ArchError("unknown run kind '" + name + "' (known: " + known +
                    "); the database may come from a newer archscope.");
}

std::vector<std::string> runKindNames() {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    std::vector<std::string> names;
    for (const auto& [n, k] : r.kinds) names.push_back(n);
    return names;
}

void validateRunParams(const std::string& kind, const nlohmann::json& params) {
    findRunKind(kind).factory(params);
}

int64_t createRun(StoreWriter& writer, const std::string& kind, const nlohmann::json& params,
                  std::optional<int64_t> planned) {
    findRunKind(kind).factory(params);  // validates the params before anything is stored
    const nlohmann::json machine = machineContext();
    return writer.call(
        [&](store::ResultStore& s) { return s.createRun(kind, params, machine, planned); });
}

std::unique_ptr<JobController> controllerForRun(std::shared_ptr<StoreWriter> writer, int64_t runId,
                                                EventSink sink, int workers) {
    // The lease first: a run another live process works on is refused before anything of it
    // is written. A read-only look answers at once, even while the owner holds the write lock
    // (WAL readers never wait); taking the lease in the writer's transaction is what decides.
    store::requireNoOtherLiveOwner(store::StoreReader(writer->path()).requireRun(runId));
    const store::RunRecord run = writer->call([runId](store::ResultStore& s) {
        s.takeRunLease(runId);
        return s.requireRun(runId);
    });
    auto job = findRunKind(run.kind).factory(run.params);
    return std::make_unique<JobController>(std::move(job), std::move(writer), runId,
                                           std::move(sink), workers);
}

}  // namespace archscope::engine
