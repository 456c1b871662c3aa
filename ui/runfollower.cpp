#include "runfollower.h"

#include <QtConcurrent>

#include "store/store.h"

namespace archscope::ui {
namespace {

bool isTerminal(const std::string& status) {
    return status == store::kStatusFinished || status == store::kStatusCancelled ||
           status == store::kStatusFailed;
}

RunSnapshot readSnapshot(const QString& db, qint64 runId, qint64 afterId, quint64 token) {
    RunSnapshot s;
    s.runId = runId;
    s.token = token;
    try {
        store::StoreReader reader(db.toStdString());
        // The status first: when it is terminal, every evaluation before it is committed, so
        // the read that follows is complete and the follower can stop after it.
        s.run = reader.requireRun(runId);
        s.newTrials = readTrials(reader, runId, afterId);
    } catch (const std::exception& e) {
        s.error = QString::fromUtf8(e.what());
    }
    return s;
}

}  // namespace

RunFollower::RunFollower(QObject* parent) : QObject(parent) {
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &RunFollower::poll);
    connect(&m_watcher, &QFutureWatcher<RunSnapshot>::finished, this, &RunFollower::onPolled);
}

void RunFollower::follow(const QString& dbPath, qint64 runId) {
    m_db = dbPath;
    m_runId = runId;
    m_lastEvaluationId = 0;
    m_delivered = false;
    ++m_token;
    m_timer.start();
    poll();
}

void RunFollower::stop() {
    ++m_token;
    m_timer.stop();
}

void RunFollower::poll() {
    if (m_watcher.isRunning()) return;  // one read at a time; the next tick catches up
    m_watcher.setFuture(
        QtConcurrent::run(readSnapshot, m_db, m_runId, m_lastEvaluationId, m_token));
}

void RunFollower::onPolled() {
    RunSnapshot s = m_watcher.result();
    if (s.token != m_token) {  // a newer follow() or stop(): read again for it
        if (m_timer.isActive()) poll();
        return;
    }
    if (!s.error.isEmpty()) {
        m_timer.stop();
        Q_EMIT failed(s.runId, s.error);
        return;
    }
    if (!s.newTrials.empty()) m_lastEvaluationId = s.newTrials.back().evaluationId;
    Q_EMIT runUpdated(s.run);
    if (!s.newTrials.empty() || !m_delivered) Q_EMIT trialsArrived(s.runId, s.newTrials);
    m_delivered = true;
    if (isTerminal(s.run.status)) m_timer.stop();
}

}  // namespace archscope::ui
