// archscope-cli lacs: every member on its target in the JSON, --db stores a run of kind "lacs"
// (listed by `runs`), a run killed with SIGKILL resumes to the same evaluations as an
// uninterrupted one, and bad input is refused before anything is written.
// The runs use the zero-cost estimator on Gaussian input, so they need LibTorch (skipped
// without it) but no dataset.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <map>

#include "store/store.h"
#include "support/cliprocess.h"

using namespace archscope;

namespace {

using testing::runCli;
using CliResult = testing::Run;

// A small but real run: grid step 0.1 (395 points), 3 members, NASWOT at 64 px on noise.
QStringList lacsArgs(const QString& db) {
    QStringList a{"lacs",
                  "--base",
                  "efficientnet-x-tpu-b0",
                  "--hw",
                  "tpuv3",
                  "--accuracy",
                  "zero-cost",
                  "--accuracy-settings",
                  R"({"gaussian_input":true,"resolution":64,"batch":32})",
                  "--grid-step",
                  "0.1",
                  "--steps",
                  "3"};
    if (!db.isEmpty()) a << "--db" << db;
    return a;
}

bool torchMissing(const CliResult& r) {
    return r.exitCode != 0 && r.err.contains("unknown accuracy estimator");
}

struct Stored {
    std::string hash;
    double predictedMs = 0;
    std::optional<double> accuracy;
    std::string method;
};

std::map<int64_t, Stored> storedBySeq(const QString& db, int64_t run) {
    store::StoreReader reader(db.toStdString());
    std::map<int64_t, Stored> out;
    for (const auto& e : reader.evaluations(run)) {
        Stored s{e.archHash, e.predictedMs.value_or(-1),
                 e.accuracy ? std::optional<double>(e.accuracy->value) : std::nullopt, e.method};
        [&] { QVERIFY2(out.emplace(*e.seq, s).second, "a seq stored twice"); }();
    }
    return out;
}

}  // namespace

class TestCliLacs : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const char* name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void storedRunHoldsItsTargets() {
        const QString db = path("whole.db");
        auto r = runCli(lacsArgs(db) << "--json", 600000);
        if (torchMissing(r)) QSKIP("LibTorch is not built in: no zero-cost estimator");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto doc = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(doc["runtime"].toString(), QString("xla"));
        QVERIFY(doc["latency_method"].toString().startsWith("predicted by the tpuv3"));
        QCOMPARE(doc["metric"].toString(), QString("NASWOT score"));
        QVERIFY(doc["warnings"].isArray());
        QCOMPARE(doc["run"].toInt(), 1);
        const auto family = doc["family"].toArray();
        QCOMPARE(family.size(), 4);
        const double b0 = doc["base_latency_ms"].toDouble();
        for (int k = 1; k < 4; ++k) {
            const auto m = family[k].toObject();
            QCOMPARE(m["target_ms"].toDouble(), b0 * (1 << k));
            QVERIFY(std::abs(m["deviation"].toDouble()) <= 0.10);
            QVERIFY(std::abs(m["latency_ms"].toDouble() / m["target_ms"].toDouble() - 1.0 -
                             m["deviation"].toDouble()) < 1e-9);
            QVERIFY(m["estimate"].isDouble());
        }
        // The same figures from an in-memory run.
        auto mem = runCli(lacsArgs({}) << "--json");
        QVERIFY2(mem.exitCode == 0, mem.err.constData());
        const auto memDoc = QJsonDocument::fromJson(mem.out).object();
        QCOMPARE(memDoc["family"].toArray(), family);
        QCOMPARE(memDoc["warnings"].toArray(), doc["warnings"].toArray());

        r = runCli({"runs", "--db", db, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto runs = QJsonDocument::fromJson(r.out).object()["runs"].toArray();
        QCOMPARE(runs.size(), 1);
        const auto run = runs[0].toObject();
        QCOMPARE(run["kind"].toString(), QString("lacs"));
        QCOMPARE(run["status"].toString(), QString("finished"));
        QCOMPARE(run["evaluations"].toInt(), run["planned"].toInt());
        QCOMPARE(run["evaluations"].toInt(), 395 + 2 * 4);

        const auto stored = storedBySeq(db, 1);
        QCOMPARE(int(stored.size()), 395 + 8);
        int estimated = 0;
        for (const auto& [seq, s] : stored) {
            QVERIFY(s.predictedMs > 0);
            QVERIFY(s.method.find("latency predicted by the tpuv3") != std::string::npos);
            if (s.accuracy) {
                ++estimated;
                QVERIFY(s.method.find("NASWOT score from the zero-cost") != std::string::npos);
            }
        }
        QCOMPARE(estimated, doc["estimates"].toInt());
        for (int64_t seq = 395; seq < 395 + 4; ++seq) {  // the LACS members carry estimates
            QVERIFY(stored.at(seq).accuracy.has_value());
            QVERIFY(stored.at(seq).method.find("LACS member B") == 0);
        }
    }

    void killedRunResumesToTheSameEvaluations() {
        const QString whole = path("whole.db");
        if (!QFile::exists(whole)) QSKIP("needs the stored run of storedRunHoldsItsTargets");
        const QString db = path("killed.db");
        QProcess p;
        p.start(ARCHSCOPE_CLI_PATH, lacsArgs(db) << "--json");
        QVERIFY(p.waitForStarted());
        int64_t seen = 0;
        while (seen < 40 && p.state() == QProcess::Running) {
            p.waitForFinished(20);
            if (!QFile::exists(db)) continue;
            try {
                store::StoreReader reader(db.toStdString());
                if (auto runs = reader.listRuns(); !runs.empty()) seen = runs[0].evaluations;
            } catch (const std::exception&) {
                // created but not yet migrated: try again
            }
        }
        QVERIFY2(p.state() == QProcess::Running, "the run ended before it could be killed");
        p.kill();  // SIGKILL: no handler, no cleanup
        p.waitForFinished();
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);

        int64_t before = 0;
        {
            store::StoreReader reader(db.toStdString());
            const auto run = reader.requireRun(1);
            QCOMPARE(run.kind, std::string("lacs"));
            // Nobody could mark it: stored as running, read as interrupted once the lease's
            // owner is seen dead (store/lease.h).
            QVERIFY2(run.status == "running" || run.status == "interrupted", run.status.c_str());
            before = run.evaluations;
            QVERIFY2(before > 0 && before < 403, std::to_string(before).c_str());
        }
        auto r = runCli({"resume", "--db", db, "--run", "1", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto started = QJsonDocument::fromJson(r.out.split('\n').first()).object();
        QCOMPARE(started["event"].toString(), QString("started"));
        QCOMPARE(started["already_done"].toInteger(), qint64(before));
        const auto fin = QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
        QCOMPARE(fin["event"].toString(), QString("finished"));
        QCOMPARE(fin["evaluations"].toInt(), 403);
        QCOMPARE(int(r.out.count("\"event\":\"result\"")), 403 - int(before));

        // Same evaluations, seq by seq, as the uninterrupted run; nothing lost or doubled.
        const auto a = storedBySeq(whole, 1);
        const auto b = storedBySeq(db, 1);
        QCOMPARE(b.size(), a.size());
        int64_t expect = 0;
        for (const auto& [seq, s] : b) {
            QCOMPARE(seq, expect++);
            const Stored& w = a.at(seq);
            QCOMPARE(s.hash, w.hash);
            QCOMPARE(s.predictedMs, w.predictedMs);
            QCOMPARE(s.accuracy.has_value(), w.accuracy.has_value());
            if (s.accuracy) QCOMPARE(*s.accuracy, *w.accuracy);
        }
        store::StoreReader reader(db.toStdString());
        QCOMPARE(reader.requireRun(1).status, std::string("finished"));
    }

    void badInputWritesNothing() {
        const QString db = path("refused.db");
        const QStringList base{"lacs", "--db", db, "--base", "efficientnet-x-tpu-b0",
                               "--hw", "tpuv3"};
        struct Case {
            QStringList args;
            const char* message;  // in stderr; empty: CLI11's own check
        };
        const QList<Case> cases{
            {{"--targets", "5,abc"}, "--targets: \"abc\" is not a number"},
            {{"--targets", "5,"}, "--targets: \"\" is not a number"},
            {{"--targets", "20,10"}, "targets must increase"},
            {{"--targets", "-1,10"}, "must be a positive number"},
            {{"--targets", "0.0001,10"}, "above the base latency"},
            {{"--targets", "5,10", "--steps", "3"}, "disagree"},
            {{"--ratio", "1.0"}, ""},
            {{"--ratio", "2", "--targets", "5,10"}, ""},
        };
        for (const auto& c : cases) {
            const auto r = runCli(QStringList(base) << c.args);
            if (torchMissing(r)) QSKIP("LibTorch is not built in");
            QVERIFY2(r.exitCode != 0, qPrintable(c.args.join(' ')));
            QVERIFY2(r.err.contains(c.message), r.err.constData());
            QVERIFY2(!QFile::exists(db), qPrintable(c.args.join(' ') + " created the database"));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliLacs)
#include "tst_cli_lacs.moc"
