// archscope-cli runs / export / sweep / resume, including a sweep killed with SIGKILL mid-way
// and resumed without losing or duplicating an evaluation.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>

#include "arch/json.h"
#include "engine/random_arch.h"
#include "store/store.h"

using namespace archscope;

namespace {

struct CliResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

CliResult runCli(const QStringList& args) {
    QProcess p;
    p.start(ARCHSCOPE_CLI_PATH, args);
    if (!p.waitForFinished(300000)) p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QByteArray lastLine(const QByteArray& text) {
    const auto lines = text.trimmed().split('\n');
    return lines.isEmpty() ? QByteArray() : lines.last();
}

std::string readBytes(const QString& p) {
    std::ifstream in(p.toStdString(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

class TestCliStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const char* name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void sweepModelsThenRunsAndExport() {
        const QString db = path("models.db");
        auto r =
            runCli({"sweep", "--db", db, "--models", "efficientnet-b0,efficientnet-b1", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto fin = QJsonDocument::fromJson(lastLine(r.out)).object();
        QCOMPARE(fin["event"].toString(), QString("finished"));
        QCOMPARE(fin["evaluations"].toInt(), 2);
        const auto first = QJsonDocument::fromJson(r.out.split('\n').first()).object();
        QCOMPARE(first["event"].toString(), QString("started"));

        r = runCli({"runs", "--db", db, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto runs = QJsonDocument::fromJson(r.out).object()["runs"].toArray();
        QCOMPARE(runs.size(), 1);
        const auto run = runs[0].toObject();
        QCOMPARE(run["id"].toInt(), 1);
        QCOMPARE(run["kind"].toString(), QString("sweep"));
        QCOMPARE(run["status"].toString(), QString("finished"));
        QCOMPARE(run["evaluations"].toInt(), 2);

        const QString csv = path("models.csv");
        r = runCli({"export", "--db", db, "--run", "1", "--format", "csv", "--out", csv});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith("run_id,evaluation_id,seq,arch_hash,arch_name"));
        QVERIFY(lines[1].contains(",efficientnet-b0,"));
        QVERIFY(lines[1].contains(",388121280,"));  // B0's MACs at batch 1 (core/arch tests)
        QVERIFY(lines[2].contains(",efficientnet-b1,"));

        r = runCli({"export", "--db", db, "--run", "1", "--format", "json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j["evaluations"].toArray().size(), 2);
        QCOMPARE(j["evaluations"].toArray()[0].toObject()["method"].toString(),
                 QString("IR cost (exact)"));
        QCOMPARE(j["architectures"].toArray().size(), 2);
    }

    void errorsAreClear() {
        auto r = runCli({"export", "--db", path("models.db"), "--run", "99", "--format", "csv"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no run 99"), r.err.constData());

        const QString garbage = path("garbage.db");
        {
            QFile f(garbage);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(3000, 'x'));
        }
        const std::string before = readBytes(garbage);
        for (const QStringList& args :
             {QStringList{"runs", "--db", garbage},
              QStringList{"sweep", "--db", garbage, "--models", "efficientnet-b0"}}) {
            r = runCli(args);
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("not a SQLite database"), r.err.constData());
        }
        QCOMPARE(readBytes(garbage), before);

        r = runCli({"sweep", "--db", path("e.db")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--models"), r.err.constData());
    }

    void killedSweepResumesWithoutLossOrDuplicates() {
        const QString db = path("killed.db");
        constexpr int kTotal = 5000;
        constexpr uint64_t kSeed = 3;
        QProcess p;
        p.start(ARCHSCOPE_CLI_PATH, {"sweep", "--db", db, "--random", QString::number(kTotal),
                                     "--seed", QString::number(kSeed), "--json"});
        QVERIFY(p.waitForStarted());
        int results = 0;
        QByteArray pending;
        while (results < 300 && p.state() == QProcess::Running) {
            p.waitForReadyRead(1000);
            pending += p.readAllStandardOutput();
            results += int(pending.count("\"event\":\"result\""));
            pending = pending.mid(pending.lastIndexOf('\n') + 1);
        }
        // Results are printed before the writer thread commits them: under load the first
        // commit can lag, so wait for one before the kill (else nothing is there to keep).
        for (int i = 0; i < 400 && p.state() == QProcess::Running; ++i) {
            store::StoreReader reader(db.toStdString());
            if (reader.requireRun(1).evaluations > 0) break;
            QTest::qWait(25);
        }
        QVERIFY2(p.state() == QProcess::Running, "the sweep ended before it could be killed");
        p.kill();  // SIGKILL: no handler, no cleanup
        p.waitForFinished();
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);

        int64_t before = 0;
        {
            store::StoreReader reader(db.toStdString());
            const auto run = reader.requireRun(1);
            before = run.evaluations;
            // Nobody could mark it, but its owner's pid is gone: the lease shows it interrupted.
            QCOMPARE(run.status, std::string(store::kStatusInterrupted));
            QVERIFY2(before > 0 && before < kTotal, std::to_string(before).c_str());
        }
        auto r = runCli({"runs", "--db", db, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        r = runCli({"resume", "--db", db, "--run", "1", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto started = QJsonDocument::fromJson(r.out.split('\n').first()).object();
        QCOMPARE(started["event"].toString(), QString("started"));
        QCOMPARE(started["already_done"].toInteger(), qint64(before));
        const auto fin = QJsonDocument::fromJson(lastLine(r.out)).object();
        QCOMPARE(fin["event"].toString(), QString("finished"));
        QCOMPARE(fin["evaluations"].toInt(), kTotal);
        QCOMPARE(int(r.out.count("\"event\":\"result\"")), kTotal - int(before));

        store::StoreReader reader(db.toStdString());
        QCOMPARE(reader.requireRun(1).status, std::string("finished"));
        const auto seqs = reader.finishedSeqs(1);
        QCOMPARE(int(seqs.size()), kTotal);
        for (int i = 0; i < kTotal; ++i) QCOMPARE(seqs[size_t(i)], int64_t(i));
        // Each seq holds the network the generator gives for it, before and after the kill.
        const auto evals = reader.evaluations(1);
        QCOMPARE(int(evals.size()), kTotal);
        for (const auto& e : evals)
            if (*e.seq % 97 == 0 || *e.seq == before || *e.seq == before - 1)
                QCOMPARE(e.archHash, networkHash(engine::randomEfficientNetVariant(kSeed, *e.seq)));
    }
};

QTEST_GUILESS_MAIN(TestCliStore)
#include "tst_cli_store.moc"
