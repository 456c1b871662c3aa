#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QTimer>
#include <vector>

#include "search/trials.h"
#include "store/records.h"

namespace archscope::ui {

/// What one poll of a run found: the run as stored now and the trials stored since the last poll.
struct RunSnapshot {
    qint64 runId = 0;
    quint64 token = 0;
    store::RunRecord run;
    std::vector<Trial> newTrials;
    QString error;
};

/// Follows one stored run through the store, whoever writes it: this window's own job or another
/// process (`archscope-cli search --db F`, an MPI job). Each poll reads only the evaluations
/// stored since the last one, through a fresh StoreReader on a worker thread (a WAL reader never
/// blocks the writer); it stops once the run has a terminal status and everything up to it has
/// been read. A new follow() replaces the old one (the latest request wins).
/// Threading: GUI thread only; signals are emitted on the GUI thread.
class RunFollower : public QObject {
    Q_OBJECT
public:
    explicit RunFollower(QObject* parent = nullptr);

    void follow(const QString& dbPath, qint64 runId);
    void stop();
    /// The poll interval while a run is running (default 1000 ms).
    void setInterval(int ms) { m_timer.setInterval(ms); }
    qint64 runId() const { return m_runId; }
    bool following() const { return m_timer.isActive() || m_watcher.isRunning(); }

Q_SIGNALS:
    /// New trials, in evaluation order; the first batch holds everything stored so far.
    void trialsArrived(qint64 runId, const std::vector<archscope::Trial>& trials);
    void runUpdated(const archscope::store::RunRecord& run);
    void failed(qint64 runId, const QString& message);

private:
    void poll();
    void onPolled();

    QString m_db;
    qint64 m_runId = 0;
    qint64 m_lastEvaluationId = 0;
    bool m_delivered = false;  ///< the first batch (possibly empty) went out
    quint64 m_token = 0;
    QTimer m_timer;
    QFutureWatcher<RunSnapshot> m_watcher;
};

}  // namespace archscope::ui
