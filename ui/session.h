#pragma once

#include <QObject>
#include <QString>

#include "arch/network.h"

namespace archscope::ui {

/// What the whole window shares: the result store file, the current platform profile and the
/// batch the views start at (the CLI's default unless `archscope --batch N`).
/// GUI thread only.
class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);

    QString databasePath() const { return m_db; }
    QString profileName() const { return m_profile; }
    void setDatabasePath(const QString& path);
    void setProfileName(const QString& name);
    int batch() const { return m_batch; }
    void setBatch(int batch);

Q_SIGNALS:
    void databaseChanged(const QString& path);
    void profileChanged(const QString& name);
    void batchChanged(int batch);

private:
    QString m_db;
    QString m_profile = QStringLiteral("tpuv3");
    int m_batch = kDefaultBatch;
};

}  // namespace archscope::ui
