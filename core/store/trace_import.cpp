#include "trace_import.h"

#include <algorithm>
#include <map>
#include <regex>

#include "arch/error.h"

namespace archscope::store {
namespace {

constexpr std::string_view kNetworkPrefix = "archscope-network:";

using Event = CompactEvent;

/// The complete events in thread order (threads by their printed pid/tid), then by start. Takes
/// them out of `t` as it goes, so the list is held once.
std::vector<Event> completeEvents(TraceEvents& t) {
    std::vector<Event> out;
    out.reserve(t.complete.size());
    while (!t.complete.empty()) {
        out.push_back(t.complete.front());
        t.complete.pop_front();
    }
    std::sort(out.begin(), out.end(), [&t](const Event& a, const Event& b) {
        if (a.thread != b.thread) return t.strings[a.thread] < t.strings[b.thread];
        if (a.ts != b.ts) return a.ts < b.ts;
        return a.dur > b.dur;  // parents before the children that start with them
    });
    return out;
}

bool isScopeName(std::string_view n) {
    static const std::regex block("block[0-9]+");
    return n == "stem" || n == "head" || std::regex_match(n.begin(), n.end(), block);
}

std::string layerScope(const Layer& l) {
    if (l.block >= 0) return "block" + std::to_string(l.block);
    return l.block == -1 ? "stem" : "head";
}

/// The op class that both an IR layer and a trace op map to; in-order matching is per class.
std::string layerClass(OpKind k) {
    switch (k) {
        case OpKind::Conv:
        case OpKind::PointwiseConv:
        case OpKind::DepthwiseConv:
        case OpKind::SpaceToDepthConv:
        case OpKind::SeReduce:
        case OpKind::SeExpand:
            return "conv";
        case OpKind::BatchNorm:
            return "bn";
        case OpKind::Act:
            return "act";
        case OpKind::SePool:
        case OpKind::GlobalPool:
            return "mean";
        case OpKind::SeSigmoid:
            return "sigmoid";
        case OpKind::SeMultiply:
            return "mul";
        case OpKind::ResidualAdd:
            return "add";
        case OpKind::MaxPool:
            return "maxpool";
        case OpKind::FullyConnected:
            return "fc";
    }
    return "?";
}

std::string atenClass(std::string_view op) {
    static const std::map<std::string_view, std::string_view> classes = {
        {"conv2d", "conv"},
        {"convolution", "conv"},
        {"_convolution", "conv"},
        {"mkldnn_convolution", "conv"},
        {"cudnn_convolution", "conv"},
        {"thnn_conv2d", "conv"},
        {"_conv_depthwise2d", "conv"},
        {"batch_norm", "bn"},
        {"native_batch_norm", "bn"},
        {"_batch_norm_impl_index", "bn"},
        {"cudnn_batch_norm", "bn"},
        {"relu", "act"},
        {"relu_", "act"},
        {"silu", "act"},
        {"silu_", "act"},
        {"hardtanh", "act"},
        {"hardtanh_", "act"},
        {"relu6", "act"},
        {"clamp", "act"},
        {"clamp_", "act"},
        {"mean", "mean"},
        {"adaptive_avg_pool2d", "mean"},
        {"sigmoid", "sigmoid"},
        {"sigmoid_", "sigmoid"},
        {"mul", "mul"},
        {"mul_", "mul"},
        {"add", "add"},
        {"add_", "add"},
        {"max_pool2d", "maxpool"},
        {"max_pool2d_with_indices", "maxpool"},
        {"linear", "fc"},
        {"addmm", "fc"},
        {"pad", "pad"},
        {"constant_pad_nd", "pad"},
    };
    if (!op.starts_with("aten::")) return {};
    auto it = classes.find(op.substr(6));
    return it == classes.end() ? std::string() : std::string(it->second);
}

void finishUnmatched(TraceMapping& m, const std::map<std::string, double>& totals) {
    for (const auto& [name, us] : totals) {
        m.unmatched.push_back({name, us / 1000.0 / m.passes});
        m.unmatchedMs += us / 1000.0 / m.passes;
    }
    std::sort(m.unmatched.begin(), m.unmatched.end(),
              [](const UnmatchedOp& a, const UnmatchedOp& b) { return a.ms > b.ms; });
}

/// A PyTorch trace's complete events by role: forward passes (network annotations), scopes
/// (stem, blockN, head) and aten operators.
struct PyTorchEvents {
    const std::vector<std::string>* strings = nullptr;  ///< the trace's interned names
    std::vector<Event> all;
    std::vector<const Event*> passes, scopes, ops;
    bool annotated() const { return !passes.empty(); }
    bool byScopes() const { return !scopes.empty(); }
    const std::string& name(const Event* e) const { return (*strings)[e->name]; }
};

/// Fills `e.passes`, `e.scopes` and `e.ops` from `e.all` (which must stay where it is).
void sortEvents(PyTorchEvents& e, const std::string& where) {
    for (const auto& ev : e.all) {
        const std::string& name = e.name(&ev);
        if (name.starts_with(kNetworkPrefix)) {
            e.passes.push_back(&ev);
        } else if (isScopeName(name)) {
            e.scopes.push_back(&ev);
        } else if (name.starts_with("aten::")) {
            e.ops.push_back(&ev);
        }
    }
    if (e.ops.empty()) {
        throw ArchError(where +
                        ": the trace has no aten:: operator events; record it with "
                        "torch.profiler (ProfilerActivity.CPU) and export_chrome_trace");
    }
}

/// Top-level ops: not inside another aten op on the same thread.
std::vector<const Event*> topLevelOps(const std::vector<const Event*>& ops) {
    std::vector<const Event*> top;
    std::vector<const Event*> stack;
    for (const Event* op : ops) {
        while (!stack.empty() &&
               (stack.back()->thread != op->thread || !stack.back()->contains(*op)))
            stack.pop_back();
        if (stack.empty()) top.push_back(op);
        stack.push_back(op);
    }
    return top;
}

const Event* enclosing(const std::vector<const Event*>& list, const Event& e) {
    for (const Event* s : list) {
        if (s->thread == e.thread && s->contains(e)) return s;
    }
    return nullptr;
}

/// Top-level ops matched in order to the layers of their scope and class; what matches no layer
/// goes to `unmatchedUs`. Returns microseconds per layer (0 where none matched; `hit` says which)
/// and, without pass annotations, the sum of all network time in `passSumUs`.
std::vector<double> matchOps(const PyTorchEvents& e, const std::vector<Layer>& layers,
                             std::vector<bool>& hit, std::map<std::string, double>& unmatchedUs,
                             double& passSumUs) {
    const bool byScopes = e.byScopes(), annotated = e.annotated();
    // scope -> class -> layer indices in execution order.
    std::map<std::string, std::map<std::string, std::vector<size_t>>> queues;
    for (size_t i = 0; i < layers.size(); ++i) {
        queues[byScopes ? layerScope(layers[i]) : ""][layerClass(layers[i].kind)].push_back(i);
    }
    std::vector<double> layerUs(layers.size(), 0.0);
    hit.assign(layers.size(), false);
    std::map<const Event*, std::map<std::string, size_t>> taken;  // per scope event: class -> next
    std::map<const Event*, double> pendingPadUs;
    for (const Event* op : topLevelOps(e.ops)) {
        const Event* pass = annotated ? enclosing(e.passes, *op) : nullptr;
        if (annotated && !pass) continue;  // outside a forward pass: not network time
        const Event* scope = byScopes ? enclosing(e.scopes, *op) : nullptr;
        if (!annotated) passSumUs += op->dur;
        if (byScopes && !scope) {
            unmatchedUs[e.name(op)] += op->dur;
            continue;
        }
        const std::string cls = atenClass(e.name(op));
        const Event* key = byScopes ? scope : pass;  // in-order counters restart per scope/pass
        if (cls == "pad") {  // TF 'SAME' padding belongs to the conv or pool that follows it
            pendingPadUs[key] += op->dur;
            continue;
        }
        auto& scopeQueues = queues[byScopes ? e.name(scope) : std::string()];
        auto q = scopeQueues.find(cls);
        size_t& next = taken[key][cls];
        if (cls.empty() || q == scopeQueues.end() || next >= q->second.size()) {
            unmatchedUs[e.name(op)] += op->dur;
            continue;
        }
        const size_t layer = q->second[next++];
        layerUs[layer] += op->dur + std::exchange(pendingPadUs[key], 0.0);
        hit[layer] = true;
    }
    for (const auto& [key, us] : pendingPadUs) {
        if (us > 0.0) unmatchedUs["aten::pad"] += us;
    }
    return layerUs;
}

/// Each scope's time per pass, in the order scopes first appear (inside a pass if annotated).
void addScopeTimes(TraceMapping& m, const PyTorchEvents& e) {
    std::map<std::string, double> scopeUs;
    std::vector<std::string> order;
    for (const Event* s : e.scopes) {
        if (e.annotated() && !enclosing(e.passes, *s)) continue;
        if (!scopeUs.count(e.name(s))) order.push_back(e.name(s));
        scopeUs[e.name(s)] += s->dur;
    }
    for (const auto& name : order) m.scopeMs.emplace_back(name, scopeUs[name] / 1000.0 / m.passes);
}

TraceMapping mapPyTorch(TraceEvents& trace, const std::vector<Layer>& layers,
                        const std::string& where) {
    PyTorchEvents e;
    e.strings = &trace.strings;
    e.all = completeEvents(trace);
    sortEvents(e, where);
    // Without network annotations, count a pass per "stem" scope; without scopes, one pass.
    int passCount = static_cast<int>(e.passes.size());
    if (!e.annotated())
        passCount = static_cast<int>(std::count_if(
            e.scopes.begin(), e.scopes.end(), [&](const Event* s) { return e.name(s) == "stem"; }));
    TraceMapping m;
    m.format = TraceFormat::PyTorchChrome;
    m.passes = std::max(1, passCount);
    m.layerMs.assign(layers.size(), std::nullopt);

    std::vector<bool> hit;
    std::map<std::string, double> unmatchedUs;
    double passSumUs = 0.0;
    const std::vector<double> layerUs = matchOps(e, layers, hit, unmatchedUs, passSumUs);
    for (size_t i = 0; i < layers.size(); ++i) {
        if (!hit[i]) continue;
        m.layerMs[i] = layerUs[i] / 1000.0 / m.passes;
        m.matchedMs += *m.layerMs[i];
        ++m.layersMatched;
    }
    if (!e.annotated()) {
        m.passMs.push_back(passSumUs / 1000.0 / m.passes);  // the mean: passes are not delimited
    } else {
        for (const Event* p : e.passes) m.passMs.push_back(p->dur / 1000.0);
    }
    addScopeTimes(m, e);
    finishUnmatched(m, unmatchedUs);
    return m;
}

/// XProf names ops by their TensorFlow op path (args.tf_op); the TF reference EfficientNet
/// scopes blocks as "blocks_N" and has "stem" and "head" scopes.
std::string tfScope(const std::string& tfOp) {
    static const std::regex blocks("(^|/)blocks_([0-9]+)(/|$)");
    static const std::regex stemOrHead("(^|/)(stem|head)(/|$)");
    std::smatch match;
    if (std::regex_search(tfOp, match, blocks)) return "block" + match[2].str();
    if (std::regex_search(tfOp, match, stemOrHead)) return match[2].str();
    return {};
}

TraceMapping mapXProf(TraceEvents& trace, const std::vector<Layer>& layers,
                      const std::string& where) {
    // Thread names ("XLA Ops", "Steps") come as metadata events.
    const auto& threadNames = trace.threadNames;
    TraceMapping m;
    m.format = TraceFormat::XProfTraceViewer;
    m.layerMs.assign(layers.size(), std::nullopt);
    std::map<std::string, double> scopeUs, unmatchedUs;
    std::vector<std::string> order;
    int steps = 0;
    bool anyOp = false;
    for (const Event& e : completeEvents(trace)) {
        const auto named = threadNames.find(e.thread);
        const std::string thread = named != threadNames.end() ? named->second : "";
        if (thread == "Steps") {
            ++steps;
            m.passMs.push_back(e.dur / 1000.0);
            continue;
        }
        const bool xlaThread = thread == "XLA Ops" || thread.empty();
        if (!xlaThread || e.tfOp < 0) continue;
        anyOp = true;
        const std::string scope = tfScope(trace.strings[e.tfOp]);
        if (scope.empty()) {
            unmatchedUs[trace.strings[e.name]] += e.dur;
            continue;
        }
        if (!scopeUs.count(scope)) order.push_back(scope);
        scopeUs[scope] += e.dur;
    }
    if (!anyOp) {
        throw ArchError(where +
                        ": the trace-viewer JSON has no XLA op events with a tf_op; "
                        "export the trace of a profiled step from TensorBoard / XProf");
    }
    m.passes = std::max(1, steps);
    for (const auto& name : order) {
        const double ms = scopeUs[name] / 1000.0 / m.passes;
        m.scopeMs.emplace_back(name, ms);
        m.matchedMs += ms;
    }
    if (m.passMs.empty()) m.passMs.push_back(0.0);
    finishUnmatched(m, unmatchedUs);
    if (steps == 0) m.passMs = {m.matchedMs + m.unmatchedMs};
    return m;
}

}  // namespace

std::optional<TraceFormat> detectTraceFormat(const TraceEvents& events) {
    if (events.anyTfOp) return TraceFormat::XProfTraceViewer;
    if (events.anyAten) return TraceFormat::PyTorchChrome;
    return std::nullopt;
}

TraceMapping mapTrace(TraceEvents events, const std::vector<Layer>& layers,
                      const std::string& where) {
    const auto format = detectTraceFormat(events);
    if (!format) {
        throw ArchError(where +
                        ": not a PyTorch profiler Chrome trace or an XProf trace-viewer "
                        "JSON (no aten:: or tf_op events)");
    }
    return *format == TraceFormat::PyTorchChrome ? mapPyTorch(events, layers, where)
                                                 : mapXProf(events, layers, where);
}

}  // namespace archscope::store
