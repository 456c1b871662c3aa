#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include "engine/job.h"

namespace archscope::engine {

/// Runs one Job for one stored run on its own std::jthread: marks the run running, runs the job,
/// flushes the writer, stores the final status (finished / cancelled / failed) and emits
/// Finished or Failed as the very last event.
/// While the job runs it renews the run's lease (store/lease.h) every kLeaseHeartbeatSeconds;
/// the final status ends the lease.
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
    void heartbeat(std::stop_token stop);
    /// Posts the final status unless a pause/resume is being posted (m_statusMutex).
    void postFinalStatus(std::function<void(store::ResultStore&)> write);

    std::unique_ptr<Job> m_job;
    std::shared_ptr<StoreWriter> m_writer;
    int64_t m_runId;
    EventSink m_sink;
    int m_workers;
    PauseGate m_gate;
    /// Orders pause/resume status writes against the final one: none is posted after it.
    std::mutex m_statusMutex;
    bool m_finalPosted = false;  ///< guarded by m_statusMutex
    std::atomic<bool> m_done{false};
    std::stop_source m_stop;  ///< cancel(): safe from any thread, even before start() returns
    std::jthread m_thread;
};

}  // namespace archscope::engine
