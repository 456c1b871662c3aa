#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>

#include "engine/events.h"
#include "engine/pool.h"
#include "engine/storewriter.h"

namespace archscope::engine {

/// What a running job sees: its run, the stop token, the pause gate, the store writer, and the
/// event sink. Threading: created and used on the job's thread (workers only use stopToken(),
/// pauseGate() and writer()).
class JobContext {
public:
    JobContext(int64_t runId, std::stop_token stop, PauseGate& gate, StoreWriter& writer,
               EventSink sink, int workers);

    int64_t runId() const { return m_runId; }
    std::stop_token stopToken() const { return m_stop; }
    bool stopRequested() const { return m_stop.stop_requested(); }
    PauseGate& pauseGate() { return m_gate; }
    StoreWriter& writer() { return m_writer; }
    int workers() const { return m_workers; }

    void emit(const JobEvent& event);
    /// Emits Started and starts the ETA clock.
    void started(const std::string& kind, int64_t total, int64_t alreadyDone);
    /// Emits Progress (with ETA), at most every 100 ms, and always for the last one.
    void progress(int64_t done);

private:
    int64_t m_runId;
    std::stop_token m_stop;
    PauseGate& m_gate;
    StoreWriter& m_writer;
    EventSink m_sink;
    int m_workers;
    int64_t m_total = 0;
    int64_t m_doneAtStart = 0;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_lastProgress;
};

/// A long piece of work for one run: it reads what the run already has from the store (resume),
/// computes the rest, posts results to ctx.writer() and emits Started/Progress/Result. The
/// JobController emits Finished or Failed. Check ctx.stopToken() between items.
class Job {
public:
    virtual ~Job() = default;
    virtual void run(JobContext& ctx) = 0;
};

}  // namespace archscope::engine
