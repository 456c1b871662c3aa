// `calibrate-from`: a profile fitted to measurements imported from elsewhere loads and predicts;
// runs without measurements are refused with a message.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "support/cliprocess.h"

using archscope::testing::Run;
using archscope::testing::runCli;

class TestCliCalibrateFrom : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fitsImportedMeasurements() {
        QTemporaryDir dir;
        const QString db = dir.filePath("m.db");
        const QString data = QStringLiteral(ARCHSCOPE_TEST_DATA_DIR "/import/measure-cpu.json");
        QCOMPARE(runCli({"import", data, "--db", db, "--platform", "cpu"}).exitCode, 0);
        const QString out = dir.filePath("cpu-remote.json");
        Run r = runCli({"calibrate-from", "--db", db, "--run", "1", "--out", out, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["base"].toString(), QString("cpu"));
        QCOMPARE(o["fit_networks"].toInt(), 2);
        QVERIFY(!o["parameters"].toArray().isEmpty());
        // The written profile is a real profile: predict runs on it.
        Run p = runCli({"predict", "efficientnet-b0", "--hw", out, "--json"});
        QVERIFY2(p.exitCode == 0, p.err.constData());
        const QJsonObject pj = QJsonDocument::fromJson(p.out).object();
        QVERIFY(pj["models"].toArray()[0].toObject()["latency_ms"].toDouble() > 0);
    }

    void refusesRunsWithoutMeasurements() {
        QTemporaryDir dir;
        const QString db = dir.filePath("s.db");
        QCOMPARE(runCli({"sweep", "--db", db, "--models", "efficientnet-b0"}).exitCode, 0);
        Run r = runCli({"calibrate-from", "--db", db, "--run", "1", "--base", "cpu", "--out",
                        dir.filePath("x.json")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("no measured latency"), r.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("x.json")));
    }
};

QTEST_GUILESS_MAIN(TestCliCalibrateFrom)
#include "tst_cli_calibrate_from.moc"
