#pragma once
// One owner per run: the process working on a run holds its lease (pid, host, heartbeat) in
// the runs table. A lease whose process is gone (same host) or whose heartbeat is old counts
// as stale: the run shows as "interrupted" and `resume` may take it over.
#include <cstdint>
#include <string>

namespace archscope::store {

/// A lease older than this (no heartbeat) is stale even when its pid still exists: the pid may
/// have been reused, or the owner runs on another host and cannot be asked.
inline constexpr int64_t kLeaseStaleSeconds = 120;
/// How often a live owner renews its heartbeat (well inside kLeaseStaleSeconds).
inline constexpr int kLeaseHeartbeatSeconds = 15;

struct RunOwner {
    int64_t pid = 0;
    std::string host;
    int64_t heartbeatUnix = 0;  ///< seconds since the epoch
    bool operator==(const RunOwner&) const = default;
};

int64_t unixNow();
/// This process as an owner, with a heartbeat of now.
RunOwner thisProcess();
bool isThisProcess(const RunOwner& owner);
/// Live: a fresh heartbeat and, on this host, a process with that pid still exists.
bool ownerAlive(const RunOwner& owner, int64_t nowUnix);

}  // namespace archscope::store
