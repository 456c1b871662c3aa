#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "engine/job.h"

namespace archscope::engine {

/// Runs one Job for one stored run on its own std::jthread: marks the run running, runs the job,
/// flushes the writer, stores the final status (finished / cancelled / failed) and emits
/// Finished or Failed as the very last event.
/// Threading: control it (start/pause/resume/cancel/wait) from one owner thread; the sink is
/// called on the job thread.
class JobController {
public:
    JobController(std::unique_ptr<Job> job, std::shared_ptr<StoreWriter> writer, int64_t runId,
                  EventSink sink, int workers = 0);
    /// Cancels and joins a job that is still running.
    ~JobController();
    JobController(const JobController&) = delete;
    JobController& operator=(const JobController&) = delete;

    void start();
    /// Workers stop taking new items until resume(); the run is stored as "paused" meanwhile.
    void pause();
    void resume();
    /// Cooperative: items in flight finish and are stored; the run is stored as "cancelled".
    void cancel();
    bool paused() const { return m_gate.paused(); }
    bool done() const { return m_done.load(); }
    void wait();
    int64_t runId() const { return m_runId; }

private:
    void body(std::stop_token stop);

    std::unique_ptr<Job> m_job;
    std::shared_ptr<StoreWriter> m_writer;
    int64_t m_runId;
    EventSink m_sink;
    int m_workers;
    PauseGate m_gate;
    std::atomic<bool> m_done{false};
    std::jthread m_thread;
};

}  // namespace archscope::engine
