#include "evaluators.h"

#include <algorithm>
#include <mutex>

#include "arch/error.h"

namespace archscope {
namespace {

struct Registry {
    std::mutex mutex;
    std::vector<AccuracyEstimatorKind> estimators;
    std::vector<LatencyMeasurerKind> measurers;
};

Registry& registry() {
    static Registry r;
    return r;
}

}  // namespace

void registerAccuracyEstimator(AccuracyEstimatorKind kind) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    std::erase_if(r.estimators, [&](const auto& k) { return k.name == kind.name; });
    r.estimators.push_back(std::move(kind));
}

void registerLatencyMeasurer(LatencyMeasurerKind kind) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    std::erase_if(r.measurers, [&](const auto& k) { return k.device == kind.device; });
    r.measurers.push_back(std::move(kind));
}

std::vector<std::string> accuracyEstimatorNames() {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    std::vector<std::string> names;
    for (const auto& k : r.estimators) names.push_back(k.name);
    return names;
}

const AccuracyEstimatorKind& findAccuracyEstimator(const std::string& name) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    for (const auto& k : r.estimators) {
        if (k.name == name) return k;
    }
    std::string known;
    for (const auto& k : r.estimators) known += (known.empty() ? "" : ", ") + k.name;
    throw ArchError("unknown accuracy estimator \"" + name + "\"; available: " +
                    (known.empty() ? "none (this build has no LibTorch; rebuild with "
                                     "-DARCHSCOPE_WITH_TORCH=ON)"
                                   : known));
}

const LatencyMeasurerKind& findLatencyMeasurer(const std::string& device) {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    for (const auto& k : r.measurers) {
        if (k.device == device) return k;
    }
    throw ArchError("cannot measure latency on \"" + device + "\": " +
                    (r.measurers.empty() ? std::string("this build has no LibTorch")
                                         : std::string("expected cpu or cuda")));
}

}  // namespace archscope
