#include "mpi/pool.h"

#include <signal.h>

#include <cerrno>

namespace archscope::mpi {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

WorkerPool::WorkerPool(const Session& session, std::chrono::duration<double> heartbeatTimeout)
    : m_session(session), m_timeout(heartbeatTimeout) {
    for (int r = 1; r < session.size(); ++r) {
        Worker w;
        w.rank = r;
        m_workers.push_back(w);
    }
}

std::string WorkerPool::name(const Worker& w) const {
    std::string text = "MPI rank " + std::to_string(w.rank);
    if (w.said) text += " (pid " + std::to_string(w.pid) + " on " + w.host + ")";
    return text;
}

std::string WorkerPool::describe() const {
    std::string text;
    for (const auto& w : m_workers) text += (text.empty() ? "" : ", ") + name(w).substr(4);
    return text;
}

void WorkerPool::start(const json& setup) {
    const auto begin = Clock::now();
    Backoff backoff;
    for (auto& w : m_workers) w.lastHeard = begin;
    auto allSaid = [&] {
        for (const auto& w : m_workers)
            if (!w.said) return false;
        return true;
    };
    while (!allSaid()) {
        if (auto m = receive()) {
            handle(std::move(*m), nullptr);
            backoff.reset();
            continue;
        }
        if (Clock::now() - begin > m_timeout) {
            for (const auto& w : m_workers)
                if (!w.said)
                    throw WorkerLost(w.rank, name(w) + " did not report for work within " +
                                                 std::to_string(int(m_timeout.count())) + " s");
        }
        backoff.sleep();
    }
    const std::string text = setup.dump();
    for (const auto& w : m_workers) send(w.rank, Tag::Setup, text, transferCheck());
}

bool WorkerPool::anyLost() const {
    for (const auto& w : m_workers)
        if (w.lost) return true;
    return false;
}

std::vector<int> WorkerPool::idle() const {
    std::vector<int> ranks;
    for (const auto& w : m_workers)
        if (!w.busy && !w.lost) ranks.push_back(w.rank);
    return ranks;
}

void WorkerPool::submit(int rank, const std::string& task) {
    Worker& w = worker(rank);
    send(rank, Tag::Task, task, transferCheck());
    w.busy = true;
}

void WorkerPool::handle(Message m, std::vector<std::pair<int, std::string>>* outcomes) {
    if (m.source < 1 || m.source > int(m_workers.size())) return;
    Worker& w = worker(m.source);
    w.lastHeard = Clock::now();
    switch (m.tag) {
        case Tag::Hello: {
            const json hello = json::parse(m.text, nullptr, false);
            if (hello.is_object()) {
                w.pid = hello.value("pid", 0L);
                w.host = hello.value("host", std::string());
            }
            w.said = true;
            break;
        }
        case Tag::SetupFailed:
            throw ArchError(name(w) + " cannot evaluate this run: " + m.text);
        case Tag::Outcome:
            w.busy = false;
            if (outcomes) outcomes->emplace_back(w.rank, std::move(m.text));
            break;
        default:
            break;  // heartbeats only refresh lastHeard
    }
}

bool WorkerPool::processGone(const Worker& w) const {
    // A worker on this host can be checked directly (its parent reaps it at once when it dies).
    return w.said && w.host == m_session.host() && w.pid > 0 && kill(pid_t(w.pid), 0) != 0 &&
           errno == ESRCH;
}

std::string WorkerPool::goneOnThisHost() const {
    std::string text;
    for (const auto& w : m_workers)
        if (processGone(w)) text += (text.empty() ? "" : ", ") + name(w);
    return text;
}

PeerCheck WorkerPool::transferCheck() {
    const auto begin = Clock::now();
    return [this, begin](int peer) {
        if (peer < 1 || peer > int(m_workers.size())) return;
        Worker& w = m_workers[size_t(peer - 1)];
        const bool gone = processGone(w);
        if (gone || Clock::now() - begin > m_timeout) w.lost = true;
        if (gone)
            throw WorkerLost(w.rank, name(w) +
                                         " was lost: its process exited in the middle of "
                                         "a message");
        if (Clock::now() - begin > m_timeout)
            throw WorkerLost(w.rank, name(w) +
                                         " was lost: a message to or from it did not "
                                         "complete within " +
                                         std::to_string(int(m_timeout.count())) + " s");
    };
}

void WorkerPool::checkAlive() {
    const auto now = Clock::now();
    for (auto& w : m_workers) {
        if (w.lost) continue;
        const bool gone = processGone(w);
        const bool silent = now - w.lastHeard > m_timeout;
        if (!gone && !silent) continue;
        w.lost = true;
        const std::string why = gone ? "its process exited"
                                     : "it sent nothing for " +
                                           std::to_string(int(m_timeout.count())) +
                                           " s (--mpi-heartbeat-timeout)";
        throw WorkerLost(w.rank,
                         name(w) + " was lost: " + why +
                             (w.busy ? "; the candidate it was evaluating is not stored" : ""));
    }
}

std::vector<std::pair<int, std::string>> WorkerPool::collect(std::stop_token stop) {
    std::vector<std::pair<int, std::string>> outcomes;
    Backoff backoff;
    for (;;) {
        // Drain everything waiting first: after a long pause, queued heartbeats prove life.
        while (auto m = receive()) handle(std::move(*m), &outcomes);
        if (!outcomes.empty() || stop.stop_requested()) return outcomes;
        checkAlive();
        backoff.sleep();
    }
}

bool WorkerPool::shutdown(std::chrono::duration<double> timeout) {
    try {
        return stopAll(timeout);
    } catch (const WorkerLost&) {
        return false;  // one died on the way out: only MPI_Abort ends the job now
    }
}

bool WorkerPool::stopAll(std::chrono::duration<double> timeout) {
    std::vector<bool> waiting(m_workers.size(), false);
    for (auto& w : m_workers) {
        if (w.lost) continue;
        send(w.rank, Tag::Stop, "", transferCheck());
        waiting[size_t(w.rank - 1)] = true;
    }
    const auto begin = Clock::now();
    Backoff backoff;
    auto anyWaiting = [&] {
        for (bool b : waiting)
            if (b) return true;
        return false;
    };
    while (anyWaiting()) {
        if (auto m = receive()) {
            if (m->tag == Tag::Bye && m->source >= 1 && m->source <= int(m_workers.size()))
                waiting[size_t(m->source - 1)] = false;
            backoff.reset();
            continue;
        }
        if (Clock::now() - begin > timeout) return false;
        backoff.sleep();
    }
    return true;
}

}  // namespace archscope::mpi
