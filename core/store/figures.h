#pragma once

#include <optional>
#include <string>

namespace archscope::store {

struct MeasuredLatency;

/// Where the latency an evaluation is judged by came from.
enum class LatencySource { None, Measured, Predicted };

/// "none", "measured", "predicted": the words the CLI's JSON and the GUI's axis use.
const char* latencySourceName(LatencySource source);

/// The latency an evaluation is judged by, with its provenance. `ms` is meaningful only when
/// `known()`: an unknown latency is never 0 (which would put it at the front's fast end).
struct LatencyFigure {
    LatencySource source = LatencySource::None;
    double ms = 0.0;
    std::string method;  ///< for people: "measured on cpu (median of 10)", "predicted ..."

    bool known() const { return source != LatencySource::None; }
    std::optional<double> value() const {
        return known() ? std::optional<double>(ms) : std::nullopt;
    }
    bool operator==(const LatencyFigure&) const = default;
};

/// THE rule: a measured latency wins over a predicted one; neither gives LatencySource::None.
/// `predictedHow` describes the prediction ("tpuv3 profile v1, xla v1").
LatencyFigure judgedLatency(const std::optional<MeasuredLatency>& measured,
                            const std::optional<double>& predictedMs,
                            const std::string& predictedHow);

/// An accuracy figure in the light form events carry: the value and what it is.
struct AccuracyFigure {
    double value = 0.0;
    std::string estimator;  ///< "proxy", "zero-cost", "imagenet", "published"
    std::string metric;     ///< "top-1 accuracy (%)", "NASWOT score": what the number means
    bool operator==(const AccuracyFigure&) const = default;
};

}  // namespace archscope::store
