#pragma once

#include <QObject>
#include <QString>
#include <memory>
#include <nlohmann/json.hpp>

#include "engine/events.h"

namespace archscope::engine {
class JobController;
class StoreWriter;
}  // namespace archscope::engine

Q_DECLARE_METATYPE(archscope::engine::Result)

namespace archscope::ui {

/// Runs one engine job at a time for the GUI. The job runs on the engine's own thread; its
/// events arrive here as values through queued calls and leave as signals on the GUI thread, so
/// widgets are only ever touched on the GUI thread. Destroying the bridge cancels the job and
/// waits for it: nothing computed is lost (it is in the store) and the run stays resumable.
class JobBridge : public QObject {
    Q_OBJECT
public:
    explicit JobBridge(QObject* parent = nullptr);
    ~JobBridge() override;

    /// Creates a run in `dbPath` and starts it; returns its id. Throws ArchError (bad params, a
    /// database that cannot be opened) before anything runs.
    qint64 startNew(const QString& dbPath, const std::string& kind, const nlohmann::json& params,
                    qint64 planned);
    /// Continues a stored run.
    void resumeRun(const QString& dbPath, qint64 runId);

    void pause();
    void resume();
    void cancel();
    /// Cancels and waits for the job to store what it has (used when the window closes).
    void cancelAndWait();
    bool running() const;
    bool paused() const;
    qint64 runId() const { return m_runId; }

Q_SIGNALS:
    void started(qint64 runId, const QString& kind, qint64 total, qint64 alreadyDone);
    void progress(qint64 done, qint64 total, double etaSeconds);  ///< eta < 0: unknown
    void result(const archscope::engine::Result& result);
    void finished(qint64 runId, qint64 evaluations, bool cancelled);
    void failed(qint64 runId, const QString& message);
    void runningChanged(bool running);

private:
    void launch(std::shared_ptr<engine::StoreWriter> writer, qint64 runId);
    void deliver(const engine::JobEvent& event);  ///< on the GUI thread

    std::shared_ptr<engine::StoreWriter> m_writer;
    std::unique_ptr<engine::JobController> m_controller;
    qint64 m_runId = 0;
};

}  // namespace archscope::ui
