#include "engine/jobcontroller.h"

#include <algorithm>
#include <condition_variable>

#include "store/lease.h"
#include "store/records.h"

namespace archscope::engine {

JobContext::JobContext(int64_t runId, std::stop_token stop, PauseGate& gate, StoreWriter& writer,
                       EventSink sink, int workers)
    : m_runId(runId),
      m_stop(std::move(stop)),
      m_gate(gate),
      m_writer(writer),
      m_sink(std::move(sink)),
      m_workers(workers),
      m_start(std::chrono::steady_clock::now()) {}

void JobContext::emit(const JobEvent& event) {
    if (m_sink) m_sink(event);
}

void JobContext::started(const std::string& kind, int64_t total, int64_t alreadyDone) {
    m_total = total;
    m_doneAtStart = alreadyDone;
    m_start = std::chrono::steady_clock::now();
    m_lastProgress = {};
    emit(Started{m_runId, kind, total, alreadyDone});
}

void JobContext::progress(int64_t done) {
    const auto now = std::chrono::steady_clock::now();
    if (done < m_total && now - m_lastProgress < std::chrono::milliseconds(100)) return;
    m_lastProgress = now;
    Progress p{done, m_total, std::nullopt};
    const int64_t doneHere = done - m_doneAtStart;
    if (doneHere > 0) {
        const double elapsed = std::chrono::duration<double>(now - m_start).count();
        p.etaSeconds = elapsed / double(doneHere) * double(std::max<int64_t>(0, m_total - done));
    }
    emit(p);
}

JobController::JobController(std::unique_ptr<Job> job, std::shared_ptr<StoreWriter> writer,
                             int64_t runId, EventSink sink, int workers)
    : m_job(std::move(job)),
      m_writer(std::move(writer)),
      m_runId(runId),
      m_sink(std::move(sink)),
      m_workers(workers > 0 ? workers : std::max(1, int(std::thread::hardware_concurrency()))) {}

JobController::~JobController() {
    cancel();
    wait();
}

void JobController::start() {
    // The job's token comes from m_stop, not from the jthread: the job may emit events (and a
    // sink may cancel()) before the new thread object has been moved into m_thread.
    m_thread = std::jthread([this, stop = m_stop.get_token()] { body(stop); });
}

void JobController::pause() {
    // Under the lock the job thread cannot store the final status between the check and the
    // post, so "paused" never lands on a finished run.
    std::lock_guard lock(m_statusMutex);
    if (m_finalPosted || m_gate.paused()) return;
    m_gate.pause();
    m_writer->post(
        [id = m_runId](store::ResultStore& s) { s.setRunStatus(id, store::kStatusPaused); });
}

void JobController::resume() {
    std::lock_guard lock(m_statusMutex);
    if (!m_gate.paused()) return;
    m_gate.resume();
    if (!m_finalPosted)
        m_writer->post(
            [id = m_runId](store::ResultStore& s) { s.setRunStatus(id, store::kStatusRunning); });
}

void JobController::postFinalStatus(std::function<void(store::ResultStore&)> write) {
    std::lock_guard lock(m_statusMutex);
    m_finalPosted = true;
    m_writer->post(std::move(write));
}

void JobController::heartbeat(std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any cv;
    std::unique_lock lock(mutex);
    while (!cv.wait_for(lock, stop, std::chrono::seconds(store::kLeaseHeartbeatSeconds),
                        [] { return false; })) {
        if (stop.stop_requested()) break;
        try {
            // call(), not post(): a failed write's error is this thread's, and must not linger
            // for a later thread that happens to get the same id.
            m_writer->call([id = m_runId](store::ResultStore& s) { s.renewRunLease(id); });
        } catch (...) {
            // A missed heartbeat only makes the lease look older; the next one renews it.
        }
    }
}

void JobController::cancel() {
    m_stop.request_stop();
}

void JobController::wait() {
    if (m_thread.joinable()) m_thread.join();
}

void JobController::body(std::stop_token stop) {
    const auto t0 = std::chrono::steady_clock::now();
    JobContext ctx(m_runId, stop, m_gate, *m_writer, m_sink, m_workers);
    const int64_t id = m_runId;
    std::jthread beat([this](std::stop_token s) { heartbeat(s); });
    try {
        m_writer->call([id](store::ResultStore& s) { s.setRunStatus(id, store::kStatusRunning); });
        m_job->run(ctx);
        m_writer->flush();  // Finished promises that every result is committed
        const bool cancelled = stop.stop_requested();
        beat = {};  // stops and joins: no heartbeat after the lease ends
        postFinalStatus([id, cancelled](store::ResultStore& s) {
            s.setRunStatus(id, cancelled ? store::kStatusCancelled : store::kStatusFinished);
        });
        m_writer->flush();
        const int64_t count =
            m_writer->call([id](store::ResultStore& s) { return s.evaluationCount(id); });
        m_done = true;
        ctx.emit(Finished{
            id, count, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
            cancelled});
    } catch (const std::exception& e) {
        try {
            m_writer->flush();  // keep what was computed before the failure
        } catch (...) {
        }
        beat = {};
        try {
            postFinalStatus([id, msg = std::string(e.what())](store::ResultStore& s) {
                s.setRunStatus(id, store::kStatusFailed, msg);
            });
            m_writer->flush();
        } catch (...) {
            // The store itself failed; the event still tells the user why.
        }
        m_done = true;
        ctx.emit(Failed{id, e.what()});
    }
}

}  // namespace archscope::engine
