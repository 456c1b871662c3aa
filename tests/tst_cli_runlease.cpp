// One owner per run: the run lease (store/lease.h) refuses a second process without touching
// the run, shows a dead owner's run as "interrupted", and lets `resume` take it over.
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "arch/error.h"
#include "store/lease.h"
#include "store/store.h"
#include "support/cliprocess.h"

using namespace archscope;
using archscope::testing::jsonOf;
using archscope::testing::runCli;

namespace {

void setOwner(const QString& db, int64_t run, int64_t pid, const std::string& host,
              int64_t heartbeat) {
    sqlite3* c = nullptr;
    QCOMPARE(sqlite3_open(db.toUtf8().constData(), &c), SQLITE_OK);
    const std::string sql = "UPDATE runs SET owner_pid=" + std::to_string(pid) + ", owner_host='" +
                            host + "', heartbeat_unix=" + std::to_string(heartbeat) +
                            " WHERE id=" + std::to_string(run);
    QCOMPARE(sqlite3_exec(c, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(c);
}

QString statusOf(const QString& db, int64_t run) {
    store::StoreReader r(db.toStdString());
    return QString::fromStdString(r.requireRun(run).status);
}

}  // namespace

class TestCliRunLease : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void leaseStates() {
        QTemporaryDir dir;
        const QString db = dir.filePath("l.db");
        int64_t run = 0;
        {
            store::ResultStore s(db.toStdString());
            run = s.createRun("sweep", nlohmann::json::object(), nlohmann::json::object(), 1);
        }
        QCOMPARE(statusOf(db, run), QString("running"));  // this process owns it
        const std::string host = store::thisProcess().host;

        // A live process on this host owns it: refused, and the run is left as it was.
        QProcess sleeper;
        sleeper.start("sleep", {"60"});
        QVERIFY(sleeper.waitForStarted());
        setOwner(db, run, sleeper.processId(), host, store::unixNow());
        QCOMPARE(statusOf(db, run), QString("running"));
        {
            store::ResultStore s(db.toStdString());
            try {
                s.takeRunLease(run);
                QFAIL("a second owner was accepted");
            } catch (const ArchError& e) {
                const QString m = e.what();
                QVERIFY2(m.contains(QString("run %1 is being worked on by pid %2 on host %3")
                                        .arg(run)
                                        .arg(sleeper.processId())
                                        .arg(QString::fromStdString(host))),
                         e.what());
            }
        }
        // The owner dies: interrupted, and the lease can be taken over.
        sleeper.kill();
        sleeper.waitForFinished();
        QCOMPARE(statusOf(db, run), QString("interrupted"));
        {
            store::ResultStore s(db.toStdString());
            s.takeRunLease(run);
            QCOMPARE(s.requireRun(run).owner->pid, int64_t(getpid()));
        }
        // Another host: trusted while its heartbeat is fresh, stale after kLeaseStaleSeconds.
        setOwner(db, run, 1, "elsewhere", store::unixNow());
        QCOMPARE(statusOf(db, run), QString("running"));
        setOwner(db, run, 1, "elsewhere", store::unixNow() - store::kLeaseStaleSeconds - 5);
        QCOMPARE(statusOf(db, run), QString("interrupted"));
        // A final status ends the lease.
        {
            store::ResultStore s(db.toStdString());
            s.takeRunLease(run);
            s.setRunStatus(run, store::kStatusFinished);
            QVERIFY(!s.requireRun(run).owner);
        }
        QCOMPARE(statusOf(db, run), QString("finished"));
    }

    void secondProcessRefusedThenResumeTakesOver() {
        QTemporaryDir dir;
        const QString db = dir.filePath("r.db");
        const QStringList search = {
            "search",   "--space",  "efficientnet-x", "--hw",   "tpuv3", "--accuracy",
            "imagenet", "--budget", "4000",           "--seed", "5",     "--db",
            db};
        // The reference: the same search uninterrupted.
        const QString refDb = dir.filePath("ref.db");
        QStringList refArgs = search;
        refArgs.last() = refDb;
        const auto ref = runCli(refArgs);
        QVERIFY2(ref.exitCode == 0, ref.err.constData());

        QProcess first;
        first.start(ARCHSCOPE_CLI_PATH, search);
        QVERIFY(first.waitForStarted());
        // Wait until the run is stored with a few evaluations.
        for (int i = 0; i < 200; ++i) {
            QThread::msleep(50);
            const auto runs = runCli({"runs", "--db", db, "--json"});
            if (runs.exitCode == 0 && !jsonOf(runs)["runs"].toArray().isEmpty() &&
                jsonOf(runs)["runs"].toArray()[0].toObject()["evaluations"].toInt() > 10) {
                break;
            }
        }
        QCOMPARE(first.state(), QProcess::Running);
        const auto second = runCli({"resume", "--db", db, "--run", "1"});
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains("run 1 is being worked on by pid " +
                                     QByteArray::number(first.processId())),
                 second.err.constData());
        QCOMPARE(statusOf(db, 1), QString("running"));  // untouched, still the first's

        ::kill(pid_t(first.processId()), SIGKILL);
        first.waitForFinished();
        QCOMPARE(statusOf(db, 1), QString("interrupted"));
        const auto resumed = runCli({"resume", "--db", db, "--run", "1"});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QCOMPARE(statusOf(db, 1), QString("finished"));
        store::StoreReader a(db.toStdString()), b(refDb.toStdString());
        QCOMPARE(a.evaluationCount(1), b.evaluationCount(1));
        QCOMPARE(a.front(1).size(), b.front(1).size());
    }
};

QTEST_GUILESS_MAIN(TestCliRunLease)
#include "tst_cli_runlease.moc"
