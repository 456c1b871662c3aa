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
#include <algorithm>

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

    void initTestCase() {
        // The reference: the search uninterrupted.
        const auto ref = runCli(searchArgs(m_dir.filePath("ref.db")));
        QVERIFY2(ref.exitCode == 0, ref.err.constData());
        m_reference = seqHashes(m_dir.filePath("ref.db"));
        QVERIFY(m_reference.size() > size_t(kBudget));
    }

    /// A second process is refused while the first works (stopped with SIGSTOP so it cannot
    /// end first); SIGKILL after `killAfter` stored
    /// evaluations; `resume` takes over and ends with exactly the uninterrupted run's evaluations.
    void refusedThenKilledThenResumed_data() {
        QTest::addColumn<int>("killAfter");
        QTest::newRow("after 1") << 1;
        QTest::newRow("after 1000") << 1000;
        QTest::newRow("after 3000") << 3000;
    }

    void refusedThenKilledThenResumed() {
        QFETCH(int, killAfter);
        const QString db = m_dir.filePath(QString("kill%1.db").arg(killAfter));
        QProcess first;
        first.start(ARCHSCOPE_CLI_PATH, searchArgs(db));
        QVERIFY(first.waitForStarted());
        int stored = 0;
        while (stored < killAfter && first.state() == QProcess::Running) {
            QThread::msleep(20);
            const auto runs = runCli({"runs", "--db", db, "--json"});
            const auto list = jsonOf(runs)["runs"].toArray();
            if (runs.exitCode == 0 && !list.isEmpty())
                stored = list[0].toObject()["evaluations"].toInt();
        }
        QVERIFY2(first.state() == QProcess::Running, "the search ended before it could be killed");
        // Stopped, not ended: its lease stays live (the pid exists, the heartbeat is fresh), and
        // it cannot finish before the second process asks, however fast the machine.
        ::kill(pid_t(first.processId()), SIGSTOP);
        const auto second = runCli({"resume", "--db", db, "--run", "1"});
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains("run 1 is being worked on by pid " +
                                     QByteArray::number(first.processId())),
                 second.err.constData());
        ::kill(pid_t(first.processId()), SIGKILL);
        first.waitForFinished();
        QCOMPARE(statusOf(db, 1), QString("interrupted"));
        const auto resumed = runCli({"resume", "--db", db, "--run", "1"});
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        QCOMPARE(statusOf(db, 1), QString("finished"));
        QCOMPARE(seqHashes(db), m_reference);
    }

private:
    // Long enough that the search is still running at the last kill point (3000 stored) on a
    // fast machine; a sanitized CLI is several times slower, so a quarter keeps that margin and
    // the reference run and the resumes inside runCli's five minutes.
    static constexpr int kBudget = ARCHSCOPE_TESTS_SANITIZED ? 5000 : 20000;
    QTemporaryDir m_dir;
    std::vector<std::string> m_reference;

    static QStringList searchArgs(const QString& db) {
        return {"search",   "--space",  "efficientnet-x",         "--hw",   "tpuv3", "--accuracy",
                "imagenet", "--budget", QString::number(kBudget), "--seed", "5",     "--db",
                db};
    }
    static std::vector<std::string> seqHashes(const QString& db) {
        store::StoreReader r(db.toStdString());
        std::vector<std::string> out;
        for (const auto& e : r.evaluations(1))
            out.push_back(std::to_string(*e.seq) + ":" + e.archHash);
        std::sort(out.begin(), out.end());
        return out;
    }
};

QTEST_GUILESS_MAIN(TestCliRunLease)
#include "tst_cli_runlease.moc"
