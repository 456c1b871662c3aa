#pragma once

#include <QObject>
#include <QString>

namespace archscope::ui {

/// What the whole window shares: the result store file and the current platform profile.
/// GUI thread only.
class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);

    QString databasePath() const { return m_db; }
    QString profileName() const { return m_profile; }
    void setDatabasePath(const QString& path);
    void setProfileName(const QString& name);

Q_SIGNALS:
    void databaseChanged(const QString& path);
    void profileChanged(const QString& name);

private:
    QString m_db;
    QString m_profile = QStringLiteral("tpuv3");
};

}  // namespace archscope::ui
