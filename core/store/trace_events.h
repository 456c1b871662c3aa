#pragma once
// The parts of a profiler trace's events that the import reads, folded one event at a time, so
// that a large trace never sits in memory as a JSON tree: memory grows with the number of
// complete ("ph":"X") events (a few dozen bytes each) and the largest single event, not the file.
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace archscope::store {

/// The most events one trace import reads.
inline constexpr size_t kMaxTraceEvents = 20'000'000;

/// "archscope-network:<name>:<hash>" annotations that exported PyTorch files (export-arch
/// --format pytorch) put around each forward pass: the first one's name and hash.
struct TraceNetwork {
    std::string name;
    std::string hash;
};

/// One complete event, its strings interned in TraceEvents::strings.
struct CompactEvent {
    uint32_t name = 0;
    uint32_t thread = 0;  ///< pid + tid, as printed
    int32_t tfOp = -1;    ///< args.tf_op (XProf), or -1 without one
    double ts = 0.0;      ///< microseconds, as the trace event format defines
    double dur = 0.0;
    /// Events on one thread nest; a start inside is enough, as integer microseconds can put a
    /// child's rounded end one tick past its parent's.
    bool contains(const CompactEvent& e) const {
        return e.ts >= ts && (e.ts < ts + dur || (dur == 0.0 && e.ts == ts));
    }
};

/// What the trace readers need of a trace's event list.
struct TraceEvents {
    std::vector<std::string> strings;
    /// Complete events with a string name and numeric times, in file order (a deque: no
    /// reallocation that would hold the list twice while it grows).
    std::deque<CompactEvent> complete;
    std::map<uint32_t, std::string> threadNames;  ///< from "thread_name" metadata events
    std::optional<TraceNetwork> network;          ///< the first archscope-network annotation
    bool anyTfOp = false;                         ///< an event with args.tf_op: XProf
    bool anyAten = false;  ///< an aten:: name or a cpu_op / user_annotation category: PyTorch
    size_t count = 0;      ///< elements of the event list, objects or not
};

/// Checks and folds events one at a time. Every event's fields that the readers use are checked
/// (strings where strings belong, finite times, no negative or absurd durations); the first
/// problem is kept and thrown by finish(), so that a JSON syntax error later in the file still
/// wins, as it would when the whole document is parsed first.
class TraceEventFolder {
public:
    /// `where` names the file in errors; `list` is "traceEvents" or "" for a bare array.
    TraceEventFolder(std::string where, std::string list);

    /// The next element of the event list.
    void add(const nlohmann::json& element);
    /// Starts over (a repeated "traceEvents" key: the last one counts, as in a parsed document).
    void reset(std::string list);
    /// The folded events; throws ArchError for too many events or the first invalid one.
    TraceEvents finish() &&;

private:
    void fold(const nlohmann::json& event);
    uint32_t intern(const std::string& s);

    std::string m_where;
    std::string m_list;
    std::optional<std::string> m_error;
    std::unordered_map<std::string, uint32_t> m_ids;
    TraceEvents m_events;
};

/// Folds the event list of a parsed document (a bare array or {"traceEvents": [...]}).
TraceEvents foldTraceEvents(const nlohmann::json& doc, const std::string& where);

/// A JSON file parsed with its trace event list folded as it streams past: `doc` is the
/// document without the events (an empty list in their place), `events` what they held.
struct StreamedTrace {
    nlohmann::json doc;
    TraceEvents events;
};
/// Parses `in`; a JSON syntax error throws nlohmann's parse_error (or out_of_range for 1e309)
/// for the caller to word, an invalid event the ArchError of TraceEventFolder::finish().
StreamedTrace parseTraceStream(std::istream& in, const std::string& where);

}  // namespace archscope::store
