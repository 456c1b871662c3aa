#include "trace_import.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "arch/error.h"
#include "util/json_input.h"

namespace archscope::store {
namespace {

using nlohmann::json;

constexpr std::string_view kNetworkPrefix = "archscope-network:";

/// One complete ("ph":"X") event; times in microseconds as the trace event format defines.
struct Event {
    std::string name;
    std::string thread;  ///< pid + tid, as printed
    double ts = 0.0;
    double dur = 0.0;
    const json* args = nullptr;
    /// Events on one thread nest; a start inside is enough, as integer microseconds can put a
    /// child's rounded end one tick past its parent's.
    bool contains(const Event& e) const {
        return e.ts >= ts && (e.ts < ts + dur || (dur == 0.0 && e.ts == ts));
    }
};

const json& eventArray(const json& doc) {
    if (doc.is_array()) return doc;
    static const json empty = json::array();
    if (doc.is_object()) {
        auto it = doc.find("traceEvents");
        if (it != doc.end() && it->is_array()) return *it;
    }
    return empty;
}

std::vector<Event> completeEvents(const json& doc) {
    std::vector<Event> out;
    for (const auto& e : eventArray(doc)) {
        if (!e.is_object() || e.value("ph", "") != "X") continue;
        auto name = e.find("name");
        auto ts = e.find("ts");
        auto dur = e.find("dur");
        if (name == e.end() || !name->is_string() || ts == e.end() || !ts->is_number() ||
            dur == e.end() || !dur->is_number()) {
            continue;
        }
        Event ev;
        ev.name = name->get<std::string>();
        ev.thread = e.value("pid", json()).dump() + "/" + e.value("tid", json()).dump();
        ev.ts = ts->get<double>();
        ev.dur = dur->get<double>();
        if (auto a = e.find("args"); a != e.end() && a->is_object()) ev.args = &*a;
        out.push_back(std::move(ev));
    }
    std::sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
        if (a.thread != b.thread) return a.thread < b.thread;
        if (a.ts != b.ts) return a.ts < b.ts;
        return a.dur > b.dur;  // parents before the children that start with them
    });
    return out;
}

bool isScopeName(const std::string& n) {
    static const std::regex block("block[0-9]+");
    return n == "stem" || n == "head" || std::regex_match(n, block);
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
    std::vector<Event> all;
    std::vector<const Event*> passes, scopes, ops;
    bool annotated() const { return !passes.empty(); }
    bool byScopes() const { return !scopes.empty(); }
};

/// Fills `e.passes`, `e.scopes` and `e.ops` from `e.all` (which must stay where it is).
void sortEvents(PyTorchEvents& e, const std::string& where) {
    for (const auto& ev : e.all) {
        if (ev.name.starts_with(kNetworkPrefix)) {
            e.passes.push_back(&ev);
        } else if (isScopeName(ev.name)) {
            e.scopes.push_back(&ev);
        } else if (ev.name.starts_with("aten::")) {
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
            unmatchedUs[op->name] += op->dur;
            continue;
        }
        const std::string cls = atenClass(op->name);
        const Event* key = byScopes ? scope : pass;  // in-order counters restart per scope/pass
        if (cls == "pad") {  // TF 'SAME' padding belongs to the conv or pool that follows it
            pendingPadUs[key] += op->dur;
            continue;
        }
        auto& scopeQueues = queues[byScopes ? scope->name : ""];
        auto q = scopeQueues.find(cls);
        size_t& next = taken[key][cls];
        if (cls.empty() || q == scopeQueues.end() || next >= q->second.size()) {
            unmatchedUs[op->name] += op->dur;
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
        if (!scopeUs.count(s->name)) order.push_back(s->name);
        scopeUs[s->name] += s->dur;
    }
    for (const auto& name : order) m.scopeMs.emplace_back(name, scopeUs[name] / 1000.0 / m.passes);
}

TraceMapping mapPyTorch(const json& doc, const std::vector<Layer>& layers,
                        const std::string& where) {
    PyTorchEvents e;
    e.all = completeEvents(doc);
    sortEvents(e, where);
    // Without network annotations, count a pass per "stem" scope; without scopes, one pass.
    int passCount = static_cast<int>(e.passes.size());
    if (!e.annotated())
        passCount = static_cast<int>(std::count_if(
            e.scopes.begin(), e.scopes.end(), [](const Event* s) { return s->name == "stem"; }));
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

TraceMapping mapXProf(const json& doc, const std::vector<Layer>& layers, const std::string& where) {
    // Thread names ("XLA Ops", "Steps") come as metadata events.
    std::map<std::string, std::string> threadNames;
    for (const auto& e : eventArray(doc)) {
        if (e.is_object() && e.value("ph", "") == "M" && e.value("name", "") == "thread_name") {
            threadNames[e.value("pid", json()).dump() + "/" + e.value("tid", json()).dump()] =
                e.contains("args") ? e["args"].value("name", "") : "";
        }
    }
    TraceMapping m;
    m.format = TraceFormat::XProfTraceViewer;
    m.layerMs.assign(layers.size(), std::nullopt);
    std::map<std::string, double> scopeUs, unmatchedUs;
    std::vector<std::string> order;
    int steps = 0;
    bool anyOp = false;
    for (const Event& e : completeEvents(doc)) {
        const std::string thread = threadNames.count(e.thread) ? threadNames[e.thread] : "";
        if (thread == "Steps") {
            ++steps;
            m.passMs.push_back(e.dur / 1000.0);
            continue;
        }
        const bool xlaThread = thread == "XLA Ops" || thread.empty();
        if (!xlaThread || !e.args || !e.args->contains("tf_op")) continue;
        anyOp = true;
        const std::string scope = tfScope(e.args->value("tf_op", ""));
        if (scope.empty()) {
            unmatchedUs[e.name] += e.dur;
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

void validateTraceEvents(const json& doc, const std::string& where) {
    const json& events = eventArray(doc);
    if (events.size() > kMaxTraceEvents) {
        throw ArchError(where + ": " + std::to_string(events.size()) +
                        " trace events; the cap is " + std::to_string(kMaxTraceEvents));
    }
    const std::string list = doc.is_array() ? "" : "traceEvents";
    for (size_t i = 0; i < events.size(); ++i) {
        const json& e = events[i];
        if (!e.is_object()) continue;  // the trace event format lets readers skip these
        const std::string at = list + "[" + std::to_string(i) + "].";
        auto bad = [&](const std::string& field, const std::string& what) {
            throw ArchError(where + ": field \"" + at + field + "\": " + what);
        };
        for (const char* key : {"ph", "name", "cat"}) {
            auto it = e.find(key);
            if (it != e.end() && !it->is_string()) {
                bad(key, "expected a string, got " + std::string(it->type_name()) + " " +
                             jsonin::quote(*it));
            }
        }
        if (auto a = e.find("args"); a != e.end()) {
            if (!a->is_object())
                bad("args", "expected an object, got " + std::string(a->type_name()));
            for (const char* key : {"tf_op", "name"}) {
                auto it = a->find(key);
                if (it != a->end() && !it->is_string()) {
                    bad(std::string("args.") + key, "expected a string, got " +
                                                        std::string(it->type_name()) + " " +
                                                        jsonin::quote(*it));
                }
            }
        }
        // Times in microseconds: finite, a duration never negative (an 11-day op is a typo).
        if (auto it = e.find("ts"); it != e.end()) {
            jsonin::numberValue(*it, where, at + "ts", -1e18, 1e18);
        }
        if (auto it = e.find("dur"); it != e.end()) {
            jsonin::numberValue(*it, where, at + "dur", 0.0, 1e12);
        }
    }
}

std::optional<TraceFormat> detectTraceFormat(const json& doc) {
    const json& events = eventArray(doc);
    if (events.empty()) return std::nullopt;
    bool aten = false;
    for (const auto& e : events) {
        if (!e.is_object()) continue;
        if (auto a = e.find("args"); a != e.end() && a->is_object() && a->contains("tf_op")) {
            return TraceFormat::XProfTraceViewer;
        }
        const std::string name = e.value("name", "");
        const std::string cat = e.value("cat", "");
        if (name.starts_with("aten::") || cat == "cpu_op" || cat == "user_annotation") aten = true;
    }
    if (aten) return TraceFormat::PyTorchChrome;
    return std::nullopt;
}

std::optional<TraceNetwork> traceNetwork(const json& doc) {
    for (const auto& e : eventArray(doc)) {
        if (!e.is_object()) continue;
        const std::string name = e.value("name", "");
        if (!name.starts_with(kNetworkPrefix)) continue;
        const std::string rest = name.substr(kNetworkPrefix.size());
        const auto colon = rest.rfind(':');
        if (colon == std::string::npos) return TraceNetwork{rest, {}};
        return TraceNetwork{rest.substr(0, colon), rest.substr(colon + 1)};
    }
    return std::nullopt;
}

TraceMapping mapTrace(const json& doc, const std::vector<Layer>& layers, const std::string& where) {
    const auto format = detectTraceFormat(doc);
    if (!format) {
        throw ArchError(where +
                        ": not a PyTorch profiler Chrome trace or an XProf trace-viewer "
                        "JSON (no aten:: or tf_op events)");
    }
    return *format == TraceFormat::PyTorchChrome ? mapPyTorch(doc, layers, where)
                                                 : mapXProf(doc, layers, where);
}

}  // namespace archscope::store
