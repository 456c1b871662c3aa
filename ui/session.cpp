#include "session.h"

#include "store/store.h"

namespace archscope::ui {

Session::Session(QObject* parent)
    : QObject(parent), m_db(QString::fromStdString(store::defaultDatabasePath().string())) {}

void Session::setDatabasePath(const QString& path) {
    if (path == m_db) return;
    m_db = path;
    Q_EMIT databaseChanged(path);
}

void Session::setProfileName(const QString& name) {
    if (name == m_profile) return;
    m_profile = name;
    Q_EMIT profileChanged(name);
}

void Session::setBatch(int batch) {
    if (batch == m_batch) return;
    m_batch = batch;
    Q_EMIT batchChanged(batch);
}

}  // namespace archscope::ui
