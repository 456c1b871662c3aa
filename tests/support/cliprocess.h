#pragma once

// Running archscope-cli (or any program) from a test as a user would: exit code, stdout, stderr.
#include <QByteArray>
#include <QDebug>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace archscope::testing {

struct Run {
    int exitCode;  ///< -1 if the program crashed or timed out
    QByteArray out;
    QByteArray err;
};

inline Run runProgram(const QString& program, const QStringList& args, int timeoutMs = 300000) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) p.kill();
    p.waitForFinished();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

/// The run's stdout as one JSON object (empty, with a warning showing the output, if it is not).
inline QJsonObject jsonOf(const Run& r) {
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(r.out, &error);
    if (error.error != QJsonParseError::NoError) qWarning() << r.out.left(500) << r.err;
    return doc.object();
}

#ifdef ARCHSCOPE_CLI_PATH
inline Run runCli(const QStringList& args, int timeoutMs = 300000) {
    return runProgram(QStringLiteral(ARCHSCOPE_CLI_PATH), args, timeoutMs);
}
#endif

#ifdef ARCHSCOPE_GUI_PATH
/// Runs the GUI binary (e.g. with --screenshot under QT_QPA_PLATFORM=offscreen).
inline Run runGui(const QStringList& args, int timeoutMs = 120000) {
    return runProgram(QStringLiteral(ARCHSCOPE_GUI_PATH), args, timeoutMs);
}
#endif

}  // namespace archscope::testing
