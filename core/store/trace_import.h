#pragma once

#include <optional>
#include <string>
#include <vector>

#include "arch/layer.h"
#include "store/trace_events.h"

namespace archscope::store {

/// Profiler trace formats `archscope-cli import` reads.
enum class TraceFormat {
    PyTorchChrome,  ///< torch.profiler export_chrome_trace (legacy array or {"traceEvents":[..]})
    XProfTraceViewer,  ///< TensorBoard / XProf trace-viewer JSON of a TPU or XLA run
};

/// The format of a trace's events, if it is a trace we read.
std::optional<TraceFormat> detectTraceFormat(const TraceEvents& events);

/// Unmatched time of one operator name, summed and averaged per pass.
struct UnmatchedOp {
    std::string name;
    double ms = 0.0;
};

/// A trace mapped onto a network's expanded layers. Times are means over the forward passes.
struct TraceMapping {
    TraceFormat format = TraceFormat::PyTorchChrome;
    int passes = 0;
    std::vector<double> passMs;  ///< wall time of each forward pass
    /// Per layer of the given list: measured time, or nothing when no trace op matched it.
    std::vector<std::optional<double>> layerMs;
    /// Per stage scope ("stem", "block3", "head") when the trace has scopes (XProf: the only
    /// level).
    std::vector<std::pair<std::string, double>> scopeMs;
    double matchedMs = 0.0;              ///< per pass
    double unmatchedMs = 0.0;            ///< per pass: op time no layer took
    std::vector<UnmatchedOp> unmatched;  ///< largest first
    int layersMatched = 0;
};

/// Maps a trace onto `layers` (expandLayers() of the network it profiled). Matching rules are in
/// docs/import.md. Throws ArchError naming `where` when the document has no usable events.
/// Takes the events by value: it sorts them in place of the folded list.
TraceMapping mapTrace(TraceEvents events, const std::vector<Layer>& layers,
                      const std::string& where);

}  // namespace archscope::store
