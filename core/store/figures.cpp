#include "store/figures.h"

#include "store/records.h"

namespace archscope::store {

const char* latencySourceName(LatencySource source) {
    switch (source) {
        case LatencySource::Measured:
            return "measured";
        case LatencySource::Predicted:
            return "predicted";
        case LatencySource::None:
            break;
    }
    return "none";
}

LatencyFigure judgedLatency(const std::optional<MeasuredLatency>& measured,
                            const std::optional<double>& predictedMs,
                            const std::string& predictedHow) {
    if (measured) {
        std::string how = "measured";
        if (measured->context.is_object() && measured->context.contains("device") &&
            measured->context["device"].is_string())
            how += " on " + measured->context["device"].get<std::string>();
        if (measured->reps > 0) how += " (median of " + std::to_string(measured->reps) + ")";
        return {LatencySource::Measured, measured->medianMs, how};
    }
    if (predictedMs) {
        return {LatencySource::Predicted, *predictedMs,
                predictedHow.empty() ? "predicted" : "predicted: " + predictedHow};
    }
    return {LatencySource::None, 0.0, "no latency"};
}

AccuracyFigure AccuracyEstimate::figure() const {
    return {value, estimator, metric.empty() ? estimator + " estimate" : metric};
}

LatencyFigure Evaluation::latency() const {
    std::string how;
    if (platform) how = *platform + " profile v" + profileVersion.value_or("?");
    if (runtime) how += (how.empty() ? "" : ", ") + *runtime + " runtime";
    return judgedLatency(measured, predictedMs, how);
}

LatencyFigure PlotRow::latency() const {
    std::optional<MeasuredLatency> measured;
    if (measuredMs) {
        measured.emplace();
        measured->medianMs = *measuredMs;  // the light row keeps only the median
    }
    return judgedLatency(measured, predictedMs, {});
}

}  // namespace archscope::store
