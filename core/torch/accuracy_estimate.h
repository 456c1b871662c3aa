#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "arch/error.h"

namespace archscope {

/// One accuracy estimate of one candidate, labelled with the estimator that produced it, its
/// settings and its dataset, so that a store never mixes a proxy accuracy with a zero-cost score
/// or a published ImageNet top-1.
struct AccuracyEstimate {
    double value = 0.0;
    std::string estimator;  ///< "proxy" | "zero-cost"
    std::string metric;     ///< "top1 accuracy" | "NASWOT score"
    std::string unit;       ///< "%" for accuracy; "" for a score
    std::string dataset;    ///< e.g. "fashion-mnist (mnist-idx, /usr/share/datasets/fashion-mnist)"
    nlohmann::json settings;  ///< every setting that changes the value, plus the thread count
    double seconds = 0.0;     ///< wall-clock time the estimate took
};

/// {"value":..,"estimator":..,"metric":..,"unit":..,"dataset":..,"settings":{..},"seconds":..}
inline nlohmann::json toJson(const AccuracyEstimate& e) {
    return {{"value", e.value},    {"estimator", e.estimator}, {"metric", e.metric},
            {"unit", e.unit},      {"dataset", e.dataset},     {"settings", e.settings},
            {"seconds", e.seconds}};
}

/// Thrown when an estimate stops early because its std::stop_token was triggered.
class EstimateCancelled : public ArchError {
public:
    EstimateCancelled() : ArchError("accuracy estimate cancelled") {}
};

}  // namespace archscope
