#include "jobbridge.h"

#include <QMetaObject>
#include <QPointer>

#include "arch/error.h"
#include "engine/jobcontroller.h"
#include "engine/runkinds.h"
#include "engine/storewriter.h"

namespace archscope::ui {

JobBridge::JobBridge(QObject* parent) : QObject(parent) {
    qRegisterMetaType<archscope::engine::Result>();
}

JobBridge::~JobBridge() {
    cancelAndWait();
}

qint64 JobBridge::startNew(const QString& dbPath, const std::string& kind,
                           const nlohmann::json& params, qint64 planned) {
    if (running()) throw ArchError("a run is already in progress; cancel it first");
    auto writer = std::make_shared<engine::StoreWriter>(dbPath.toStdString());
    const int64_t runId = engine::createRun(*writer, kind, params, planned);
    launch(std::move(writer), runId);
    return runId;
}

void JobBridge::resumeRun(const QString& dbPath, qint64 runId) {
    if (running()) throw ArchError("a run is already in progress; cancel it first");
    auto writer = std::make_shared<engine::StoreWriter>(dbPath.toStdString());
    writer->call([runId](store::ResultStore& s) { return s.requireRun(runId); });
    launch(std::move(writer), runId);
}

void JobBridge::launch(std::shared_ptr<engine::StoreWriter> writer, qint64 runId) {
    if (m_controller) m_controller->wait();
    m_writer = std::move(writer);
    m_runId = runId;
    QPointer<JobBridge> self(this);
    // Called on the job thread: hop to the GUI thread with a copy of the event.
    auto sink = [self](const engine::JobEvent& event) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, event] {
                if (self) self->deliver(event);
            },
            Qt::QueuedConnection);
    };
    m_controller = engine::controllerForRun(m_writer, runId, sink, 1);
    m_controller->start();
    Q_EMIT runningChanged(true);
}

void JobBridge::deliver(const engine::JobEvent& event) {
    std::visit(
        [this](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, engine::Started>) {
                Q_EMIT started(e.runId, QString::fromStdString(e.kind), e.total, e.alreadyDone);
            } else if constexpr (std::is_same_v<T, engine::Progress>) {
                Q_EMIT progress(e.done, e.total, e.etaSeconds.value_or(-1.0));
            } else if constexpr (std::is_same_v<T, engine::Result>) {
                Q_EMIT result(e);
            } else if constexpr (std::is_same_v<T, engine::Finished>) {
                if (m_controller) m_controller->wait();
                Q_EMIT finished(e.runId, e.evaluations, e.cancelled);
                Q_EMIT runningChanged(false);
            } else if constexpr (std::is_same_v<T, engine::Failed>) {
                if (m_controller) m_controller->wait();
                Q_EMIT failed(e.runId, QString::fromStdString(e.message));
                Q_EMIT runningChanged(false);
            }
        },
        event);
}

void JobBridge::pause() {
    if (running()) m_controller->pause();
}

void JobBridge::resume() {
    if (running()) m_controller->resume();
}

void JobBridge::cancel() {
    if (running()) m_controller->cancel();
}

void JobBridge::cancelAndWait() {
    if (!m_controller) return;
    m_controller->cancel();
    m_controller->wait();
    if (m_writer) m_writer->flush();
}

bool JobBridge::running() const {
    return m_controller && !m_controller->done();
}

bool JobBridge::paused() const {
    return running() && m_controller->paused();
}

}  // namespace archscope::ui
