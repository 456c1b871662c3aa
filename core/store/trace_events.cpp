#include "trace_events.h"

#include <istream>

#include "arch/error.h"
#include "util/json_input.h"

namespace archscope::store {
namespace {

using nlohmann::json;

constexpr std::string_view kNetworkPrefix = "archscope-network:";

/// Throws ArchError for the first field of `e` the readers would misread. `at` is the event's
/// dotted position ("traceEvents[12].").
void validateEvent(const json& e, const std::string& where, const std::string& at) {
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
        if (!a->is_object()) bad("args", "expected an object, got " + std::string(a->type_name()));
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

}  // namespace

TraceEventFolder::TraceEventFolder(std::string where, std::string list)
    : m_where(std::move(where)), m_list(std::move(list)) {}

void TraceEventFolder::reset(std::string list) {
    m_list = std::move(list);
    m_error.reset();
    m_ids.clear();
    m_events = {};
}

void TraceEventFolder::add(const json& element) {
    const size_t index = m_events.count++;
    // Past the cap or the first error only the count matters (finish() reports them).
    if (m_error || m_events.count > kMaxTraceEvents) return;
    if (!element.is_object()) return;  // the trace event format lets readers skip these
    try {
        validateEvent(element, m_where, m_list + "[" + std::to_string(index) + "].");
        fold(element);
    } catch (const ArchError& e) {
        m_error = e.what();
    }
}

uint32_t TraceEventFolder::intern(const std::string& s) {
    auto [it, added] = m_ids.try_emplace(s, static_cast<uint32_t>(m_events.strings.size()));
    if (added) m_events.strings.push_back(s);
    return it->second;
}

void TraceEventFolder::fold(const json& e) {
    const auto args = e.find("args");
    const bool tfOp = args != e.end() && args->contains("tf_op");  // validated: an object
    const std::string name = e.value("name", "");
    const std::string cat = e.value("cat", "");
    const std::string ph = e.value("ph", "");
    m_events.anyTfOp = m_events.anyTfOp || tfOp;
    if (name.starts_with("aten::") || cat == "cpu_op" || cat == "user_annotation") {
        m_events.anyAten = true;
    }
    if (!m_events.network && name.starts_with(kNetworkPrefix)) {
        const std::string rest = name.substr(kNetworkPrefix.size());
        const auto colon = rest.rfind(':');
        m_events.network = colon == std::string::npos
                               ? TraceNetwork{rest, {}}
                               : TraceNetwork{rest.substr(0, colon), rest.substr(colon + 1)};
    }
    if (ph != "M" && ph != "X") return;
    const uint32_t thread =
        intern(e.value("pid", json()).dump() + "/" + e.value("tid", json()).dump());
    if (ph == "M") {
        if (name == "thread_name") {
            m_events.threadNames[thread] = args != e.end() ? args->value("name", "") : "";
        }
        return;
    }
    const auto n = e.find("name");
    const auto ts = e.find("ts");
    const auto dur = e.find("dur");
    if (n == e.end() || ts == e.end() || !ts->is_number() || dur == e.end() || !dur->is_number()) {
        return;
    }
    CompactEvent c;
    c.name = intern(name);
    c.thread = thread;
    c.tfOp = tfOp ? static_cast<int32_t>(intern(args->value("tf_op", ""))) : -1;
    c.ts = ts->get<double>();
    c.dur = dur->get<double>();
    m_events.complete.push_back(c);
}

TraceEvents TraceEventFolder::finish() && {
    if (m_events.count > kMaxTraceEvents) {
        throw ArchError(m_where + ": " + std::to_string(m_events.count) +
                        " trace events; the cap is " + std::to_string(kMaxTraceEvents));
    }
    if (m_error) throw ArchError(*m_error);
    return std::move(m_events);
}

TraceEvents foldTraceEvents(const json& doc, const std::string& where) {
    const json* list = nullptr;
    if (doc.is_array()) {
        list = &doc;
    } else if (doc.is_object()) {
        auto it = doc.find("traceEvents");
        if (it != doc.end() && it->is_array()) list = &*it;
    }
    TraceEventFolder folder(where, doc.is_array() ? "" : "traceEvents");
    if (list) {
        for (const auto& e : *list) folder.add(e);
    }
    return std::move(folder).finish();
}

StreamedTrace parseTraceStream(std::istream& in, const std::string& where) {
    using Event = json::parse_event_t;
    TraceEventFolder folder(where, "");
    bool inEvents = false;     // inside the event list
    int eventDepth = 0;        // the depth of its elements: 1 for a bare array, 2 under a key
    bool eventsValue = false;  // the next top-level value is that of a "traceEvents" key
    // nlohmann calls back with the depth of the value being built; returning false drops it.
    auto callback = [&](int depth, Event event, json& parsed) -> bool {
        if (inEvents) {
            if (depth == eventDepth && (event == Event::object_end || event == Event::array_end ||
                                        event == Event::value)) {
                folder.add(parsed);
                return false;  // folded: the tree never holds more than one event
            }
            if (depth == eventDepth - 1 && event == Event::array_end) inEvents = false;
            return true;
        }
        if (depth == 0 && event == Event::array_start) {
            inEvents = true;
            eventDepth = 1;
        } else if (depth == 1 && event == Event::key) {
            eventsValue = parsed == "traceEvents";
            if (eventsValue) folder.reset("traceEvents");  // a repeated key: the last one counts
        } else if (depth == 1 && eventsValue) {
            eventsValue = false;
            if (event == Event::array_start) {
                inEvents = true;
                eventDepth = 2;
            }
        }
        return true;
    };
    StreamedTrace out;
    out.doc = json::parse(in, callback);
    out.events = std::move(folder).finish();
    return out;
}

}  // namespace archscope::store
