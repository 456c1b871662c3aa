// archscope-cli import: measure --json from another machine, PyTorch profiler traces (committed,
// and generated here from an exported PyTorch file) and XProf trace-viewer JSON into a store;
// files that do not parse or name unknown networks leave the database unchanged.
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "arch/expand.h"
#include "store/store.h"
#include "zoo/zoo.h"

#include "support/cliprocess.h"

using archscope::testing::Run;
using archscope::testing::runCli;
using archscope::testing::runProgram;

namespace {

QString data(const QString& name) {
    return QStringLiteral(ARCHSCOPE_TEST_DATA_DIR "/import/") + name;
}

QByteArray fileHash(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

int64_t irParams(const std::string& model) {
    return archscope::totalCost(
               archscope::expandLayers(archscope::buildNetwork(*archscope::zooSpec(model)), 1))
        .params;
}

/// Checks one imported PyTorch-trace evaluation against the IR of `model`.
void checkTraceEvaluation(const QString& db, const QJsonObject& reply, const std::string& model) {
    archscope::store::StoreReader reader(db.toStdString());
    const auto run = reader.requireRun(reply["run_id"].toInteger());
    QCOMPARE(QString::fromStdString(run.kind), QString("import"));
    QCOMPARE(QString::fromStdString(run.status), QString("finished"));
    const auto evaluations = reader.evaluations(run.id);
    QCOMPARE(evaluations.size(), size_t(1));
    const auto& e = evaluations.front();
    QCOMPARE(*e.params, irParams(model));
    QVERIFY(e.measured && e.measured->medianMs > 0.0);
    const auto layers = reader.layerCosts(e.id);
    const auto ir = archscope::expandLayers(archscope::buildNetwork(*archscope::zooSpec(model)), 1);
    QCOMPARE(layers.size(), ir.size());
    double sum = 0.0;
    for (size_t i = 0; i < layers.size(); ++i) {
        QCOMPARE(layers[i].name, ir[i].name);
        QVERIFY2(layers[i].measuredMs.has_value(), layers[i].name.c_str());
        sum += *layers[i].measuredMs;
    }
    const QJsonObject m = reply["models"].toArray()[0].toObject();
    QCOMPARE(m["rows_measured"].toInt(), int(ir.size()));
    QVERIFY(qAbs(sum - m["matched_ms"].toDouble()) < 1e-6 * sum + 1e-9);
    // Op time that no layer took stays small for an exported network (dropout, allocations).
    QVERIFY2(m["unmatched_ms"].toDouble() < 0.05 * sum, qPrintable(QString::number(sum)));
    // The layers' share of each pass: the rest is Python overhead between ops.
    QVERIFY(sum <= e.measured->p90Ms * 1.0001);
}

}  // namespace

class TestCliImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void committedPyTorchTrace() {
        QTemporaryDir dir;
        const QString db = dir.filePath("store.db");
        Run r = runCli({"import", data("efficientnet-b0-cpu.pytorch-trace.json"), "--db", db,
                        "--platform", "cpu", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject reply = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(reply["format"].toString(), QString("pytorch-chrome-trace"));
        QCOMPARE(reply["models"].toArray()[0].toObject()["reps"].toInt(), 2);
        checkTraceEvaluation(db, reply, "efficientnet-b0");
        archscope::store::StoreReader reader(db.toStdString());
        QCOMPARE(*reader.evaluations(reply["run_id"].toInteger()).front().platform,
                 std::string("cpu"));
    }

    /// export-arch -> python3-torch profiles it -> import: the full round trip, on this machine.
    void generatedTraceRoundTrip() {
        QString python;
        for (const QString& c : {QStringLiteral("/usr/bin/python3"), QStringLiteral("python3")}) {
            if (runProgram(c, {"-c", "import torch"}, 60000).exitCode == 0) {
                python = c;
                break;
            }
        }
        if (python.isEmpty()) QSKIP("no python3 with torch; install Debian's python3-torch");
        QTemporaryDir dir;
        const QString py = dir.filePath("net.py");
        const QString trace = dir.filePath("trace.json");
        QCOMPARE(
            runCli({"export-arch", "mobilenet-v2", "--format", "pytorch", "--out", py}).exitCode,
            0);
        Run p = runProgram(python, {py, "--threads", "1", "--passes", "2", "--trace", trace});
        QVERIFY2(p.exitCode == 0, p.err.constData());
        const QString db = dir.filePath("store.db");
        Run r = runCli({"import", trace, "--db", db, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        checkTraceEvaluation(db, QJsonDocument::fromJson(r.out).object(), "mobilenet-v2");
    }

    void measureJsonFromAnotherMachine() {
        QTemporaryDir dir;
        const QString db = dir.filePath("store.db");
        Run r = runCli({"import", data("measure-cpu.json"), "--db", db, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject reply = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(reply["format"].toString(), QString("archscope-measure"));
        QFile f(data("measure-cpu.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray source = QJsonDocument::fromJson(f.readAll()).object()["models"].toArray();

        archscope::store::StoreReader reader(db.toStdString());
        const auto evaluations = reader.evaluations(reply["run_id"].toInteger());
        QCOMPARE(int(evaluations.size()), int(source.size()));
        for (int i = 0; i < source.size(); ++i) {
            const QJsonObject m = source[i].toObject();
            const auto& e = evaluations[size_t(i)];
            QCOMPARE(e.measured->medianMs, m["median_ms"].toDouble());
            QCOMPARE(e.measured->reps, m["reps"].toInteger());
            QCOMPARE(*e.params, m["params"].toInteger());
            const auto rows = reader.layerCosts(e.id);
            const QJsonArray stages = m["layers"].toArray();
            QCOMPARE(int(rows.size()), int(stages.size()));
            QCOMPARE(QString::fromStdString(rows.front().name), QString("stem"));
            QCOMPARE(*rows.back().measuredMs, stages.last().toObject()["median_ms"].toDouble());
        }
    }

    void xprofTraceNeedsModelThenMapsStages() {
        QTemporaryDir dir;
        const QString db = dir.filePath("store.db");
        const QString trace = data("efficientnet-b0-synthetic.xprof-trace.json");
        Run r = runCli({"import", trace, "--db", db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("--model"));
        QVERIFY2(!QFileInfo::exists(db), "a failed import must not create the database");

        r = runCli({"import", trace, "--db", db, "--model", "efficientnet-b0", "--platform",
                    "tpuv3", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject m =
            QJsonDocument::fromJson(r.out).object()["models"].toArray()[0].toObject();
        QCOMPARE(m["reps"].toInt(), 2);  // two steps on the "Steps" thread
        QCOMPARE(m["rows"].toInt(), 5);  // stem, block0, block1, block15, head
        QCOMPARE(m["unmatched"].toArray()[0].toObject()["op"].toString(), QString("copy.8"));
        // Per step: 40+25+5+30+20+15+5 us matched, 2 us unmatched.
        QCOMPARE(m["matched_ms"].toDouble(), 0.140);
        QCOMPARE(m["unmatched_ms"].toDouble(), 0.002);
    }

    void badFilesLeaveTheDatabaseUnchanged_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << QByteArray("{\"models\": [") << "not valid JSON";
        QTest::newRow("unknown format") << QByteArray("{\"hello\": 1}") << "neither";
        QTest::newRow("unknown network")
            << QByteArray(R"({"context": {"batch": 1}, "models": [{"name": "efficientnet-b9",
                 "median_ms": 3.0}]})")
            << "efficientnet-b9";
        QTest::newRow("params differ")
            << QByteArray(R"({"context": {}, "models": [{"name": "efficientnet-b0",
                 "median_ms": 3.0, "params": 12}]})")
            << "not the same network";
        QTest::newRow("wrong trace hash")
            << QByteArray(R"([{"name": "archscope-network:efficientnet-b0:0000000000000000",
                 "ph": "X", "ts": 0, "dur": 10, "tid": 1, "pid": 1},
                {"name": "aten::conv2d", "ph": "X", "ts": 1, "dur": 5, "tid": 1, "pid": 1}])")
            << "not the same network";
        QTest::newRow("trace without ops")
            << QByteArray(
                   R"({"traceEvents": [{"name": "archscope-network:efficientnet-b0:c3934cf9465207b1",
                 "cat": "user_annotation", "ph": "X", "ts": 0, "dur": 1, "tid": 1, "pid": 1}]})")
            << "no aten::";
    }
    void badFilesLeaveTheDatabaseUnchanged() {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString db = dir.filePath("store.db");
        QCOMPARE(runCli({"import", data("measure-cpu.json"), "--db", db}).exitCode, 0);
        const QByteArray before = fileHash(db);
        const QString bad = dir.filePath("bad.json");
        writeFile(bad, content);
        Run r = runCli({"import", bad, "--db", db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
        QVERIFY(r.err.contains("bad.json"));
        QCOMPARE(fileHash(db), before);
        archscope::store::StoreReader reader(db.toStdString());
        QCOMPARE(int(reader.listRuns().size()), 1);
    }
};

QTEST_GUILESS_MAIN(TestCliImport)
#include "tst_cli_import.moc"
