// `calibrate-from`: a profile fitted to measurements imported from elsewhere loads, predicts and
// says what it was fitted to; fits that would mislead (another kind of device, fewer networks
// than parameters, runs without measurements) are refused with a message and write nothing.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "support/cliprocess.h"

using archscope::testing::Run;
using archscope::testing::runCli;

namespace {

const QString kMeasureCpu = QStringLiteral(ARCHSCOPE_TEST_DATA_DIR "/import/measure-cpu.json");

/// measure-cpu.json with every time scaled by `factor` and, if given, another device (written
/// into `dir`).
QString scaledMeasure(const QTemporaryDir& dir, double factor, const QString& deviceKind = {},
                      const QString& device = {}) {
    QFile in(kMeasureCpu);
    if (!in.open(QIODevice::ReadOnly)) return {};
    QJsonObject doc = QJsonDocument::fromJson(in.readAll()).object();
    QJsonArray models = doc["models"].toArray();
    for (int i = 0; i < models.size(); ++i) {
        QJsonObject m = models[i].toObject();
        for (const char* key : {"median_ms", "p10_ms", "p90_ms", "min_ms", "mean_ms"}) {
            if (m.contains(key)) m[key] = m[key].toDouble() * factor;
        }
        QJsonArray layers = m["layers"].toArray();
        for (int k = 0; k < layers.size(); ++k) {
            QJsonObject l = layers[k].toObject();
            l["median_ms"] = l["median_ms"].toDouble() * factor;
            layers[k] = l;
        }
        m["layers"] = layers;
        models[i] = m;
    }
    doc["models"] = models;
    if (!deviceKind.isEmpty()) {
        QJsonObject context = doc["context"].toObject();
        context["device_kind"] = deviceKind;
        context["device"] = device;
        doc["context"] = context;
    }
    const QString path = dir.filePath("scaled.json");
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly)) return {};
    out.write(QJsonDocument(doc).toJson());
    return path;
}

QJsonObject readJsonFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

}  // namespace

class TestCliCalibrateFrom : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fitsImportedMeasurements() {
        QTemporaryDir dir;
        const QString db = dir.filePath("m.db");
        QCOMPARE(runCli({"import", kMeasureCpu, "--db", db, "--platform", "cpu"}).exitCode, 0);
        const QString out = dir.filePath("cpu-remote.json");
        Run r = runCli({"calibrate-from", "--db", db, "--run", "1", "--out", out, "--params",
                        "matrix.efficiency,memory.efficiency", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["base"].toString(), QString("cpu"));
        QCOMPARE(o["fit_networks"].toInt(), 2);
        QCOMPARE(o["parameters"].toArray().size(), 2);
        // Without a hold-out the command says plainly that the fit error predicts nothing.
        QVERIFY(o["holdout"].isNull());
        QVERIFY2(o["holdout_note"].toString().contains("not a prediction error"),
                 r.out.constData());
        // The written profile is a real profile: predict runs on it.
        Run p = runCli({"predict", "efficientnet-b0", "--hw", out, "--json"});
        QVERIFY2(p.exitCode == 0, p.err.constData());
        const QJsonObject pj = QJsonDocument::fromJson(p.out).object();
        QVERIFY(pj["models"].toArray()[0].toObject()["latency_ms"].toDouble() > 0);

        // Provenance: each fitted parameter's source and the display name name the store file,
        // the run, the networks, the date and the base profile.
        const QJsonObject prof = readJsonFile(out);
        const QRegularExpression date("\\d{4}-\\d\\d-\\d\\d");
        for (const char* section : {"matrix", "memory"}) {
            const QString source =
                prof[section].toObject()["efficiency"].toObject()["source"].toString();
            for (const QString& part :
                 {db, QString("run 1"), QString("2 networks: mobilenet-v2, efficientnet-b0"),
                  QString("base profile cpu"), QString("no held-out networks")}) {
                QVERIFY2(source.contains(part), qPrintable(part + " not in: " + source));
            }
            QVERIFY2(date.match(source).hasMatch(), qPrintable(source));
        }
        const QString display = prof["display_name"].toString();
        for (const QString& part : {QString("m.db"), QString("run 1"), QString("2 networks"),
                                    QString("mobilenet-v2"), QString("base cpu")}) {
            QVERIFY2(display.contains(part), qPrintable(part + " not in: " + display));
        }
        QVERIFY2(date.match(display).hasMatch(), qPrintable(display));
        // A parameter that was not fitted keeps its own source.
        QVERIFY(!prof["vector"].toObject()["efficiency"].toObject()["source"].toString().contains(
            "calibrate-from"));
    }

    void holdsOutWholeNetworks() {
        QTemporaryDir dir;
        const QString db = dir.filePath("m.db");
        QCOMPARE(runCli({"import", kMeasureCpu, "--db", db, "--platform", "cpu"}).exitCode, 0);
        const QString out = dir.filePath("h.json");
        Run r = runCli({"calibrate-from", "--db", db, "--run", "1", "--out", out, "--params",
                        "matrix.efficiency", "--holdout", "1", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["fit_networks"].toInt(), 1);
        QCOMPARE(o["holdout_networks"].toArray().size(), 1);
        QCOMPARE(o["holdout"].toObject()["count"].toInt(), 1);
        QVERIFY(o["holdout"].toObject()["mean_abs_error_pct"].toDouble() > 0.0);
        QVERIFY(o["source"].toString().contains("hold-out error"));
        // Deterministic: the same held-out network each time.
        Run again = runCli({"calibrate-from", "--db", db, "--run", "1", "--out", out, "--params",
                            "matrix.efficiency", "--holdout", "1", "--json"});
        QCOMPARE(QJsonDocument::fromJson(again.out).object()["holdout_networks"],
                 o["holdout_networks"]);
        // A share of the distinct networks: half of two is one, the same one.
        Run frac = runCli({"calibrate-from", "--db", db, "--run", "1", "--out", out, "--params",
                           "matrix.efficiency", "--holdout-fraction", "0.5", "--json"});
        QVERIFY2(frac.exitCode == 0, frac.err.constData());
        QCOMPARE(QJsonDocument::fromJson(frac.out).object()["holdout_networks"],
                 o["holdout_networks"]);
        r = runCli({"calibrate-from", "--db", db, "--run", "1", "--out", dir.filePath("b.json"),
                    "--params", "matrix.efficiency", "--holdout", "1", "--holdout-fraction",
                    "0.5"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("not both"), r.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("b.json")));
        // Holding out every network leaves nothing to fit.
        r = runCli({"calibrate-from", "--db", db, "--run", "1", "--out", dir.filePath("n.json"),
                    "--params", "matrix.efficiency", "--holdout", "2"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("at least one must remain"), r.err.constData());
        QVERIFY(!QFile::exists(dir.filePath("n.json")));
    }

    /// CPU timings fitted into a GPU profile (and a TPU trace into the CPU's) are refused.
    void refusesAnotherKindOfDevice_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("importArgs");
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("measuredKind");
        QTest::newRow("cpu measure, h100 base")
            << kMeasureCpu << QStringList{"--platform", "h100"} << "h100"
            << "taken on a cpu device";
        QTest::newRow("cpu measure, platform h100 as default base")
            << kMeasureCpu << QStringList{"--platform", "h100"} << ""
            << "taken on a cpu device";
        QTest::newRow("cpu measure, tpuv3 base") << kMeasureCpu << QStringList{} << "tpuv3"
                                                 << "taken on a cpu device";
        QTest::newRow("xprof trace, cpu base")
            << QStringLiteral(ARCHSCOPE_TEST_DATA_DIR
                              "/import/efficientnet-b0-synthetic.xprof-trace.json")
            << QStringList{"--model", "efficientnet-b0"} << "cpu"
            << "taken on a tpu device";
        QTest::newRow("cpu pytorch trace, h100 base")
            << QStringLiteral(ARCHSCOPE_TEST_DATA_DIR
                              "/import/efficientnet-b0-cpu.pytorch-trace.json")
            << QStringList{} << "h100"
            << "taken on a cpu device";
    }
    void refusesAnotherKindOfDevice() {
        QFETCH(QString, file);
        QFETCH(QStringList, importArgs);
        QFETCH(QString, base);
        QFETCH(QString, measuredKind);
        QTemporaryDir dir;
        const QString db = dir.filePath("k.db");
        Run im = runCli(QStringList{"import", file, "--db", db} + importArgs);
        QVERIFY2(im.exitCode == 0, im.err.constData());
        const QString out = dir.filePath("wrong.json");
        QStringList args{"calibrate-from",   "--db", db, "--run", "1", "--out", out, "--params",
                         "matrix.efficiency"};
        if (!base.isEmpty()) args << "--base" << base;
        Run r = runCli(args);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(measuredKind.toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains("Pass --base with a"), r.err.constData());
        QVERIFY(!QFile::exists(out));
    }

    /// CUDA timings are a GPU's: refused with a CPU or TPU base, accepted with a GPU's.
    void cudaMeasurementsNeedAGpuProfile() {
        QTemporaryDir dir;
        const QString cuda = scaledMeasure(dir, 0.1, "cuda", "NVIDIA H100 80GB HBM3");
        const QString db = dir.filePath("cuda.db");
        QCOMPARE(runCli({"import", cuda, "--db", db}).exitCode, 0);
        const QString out = dir.filePath("g.json");
        for (const char* base : {"cpu", "tpuv3"}) {
            Run r = runCli({"calibrate-from", "--db", db, "--run", "1", "--base", base, "--out",
                            out, "--params", "matrix.efficiency"});
            QVERIFY(r.exitCode != 0);
            QVERIFY2(
                r.err.contains("taken on a gpu device") && r.err.contains("device_kind \"cuda\""),
                r.err.constData());
            QVERIFY(!QFile::exists(out));
        }
        Run r = runCli({"calibrate-from", "--db", db, "--run", "1", "--base", "h100", "--out", out,
                        "--params", "matrix.efficiency", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(QFile::exists(out));
    }

    void refusesMixedDevices() {
        QTemporaryDir dir;
        const QString db = dir.filePath("mix.db");
        QCOMPARE(runCli({"import", kMeasureCpu, "--db", db}).exitCode, 0);
        QCOMPARE(
            runCli({"import",
                    ARCHSCOPE_TEST_DATA_DIR "/import/efficientnet-b0-synthetic.xprof-trace.json",
                    "--db", db, "--model", "efficientnet-b0"})
                .exitCode,
            0);
        const QString out = dir.filePath("mix.json");
        Run r = runCli({"calibrate-from", "--db", db, "--run", "1", "--run", "2", "--base", "cpu",
                        "--out", out, "--params", "matrix.efficiency"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("different kinds of device"), r.err.constData());
        QVERIFY(!QFile::exists(out));
    }

    /// The CPU defaults fit 7 parameters; two networks cannot pin them down.
    void refusesFewerNetworksThanParameters() {
        QTemporaryDir dir;
        const QString db = dir.filePath("few.db");
        QCOMPARE(runCli({"import", kMeasureCpu, "--db", db, "--platform", "cpu"}).exitCode, 0);
        const QString out = dir.filePath("few.json");
        Run r = runCli({"calibrate-from", "--db", db, "--run", "1", "--out", out});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("7 parameters") && r.err.contains("only 2 distinct networks") &&
                     r.err.contains("--params"),
                 r.err.constData());
        QVERIFY(!QFile::exists(out));
        // Three parameters are still one too many.
        r = runCli({"calibrate-from", "--db", db, "--run", "1", "--out", out, "--params",
                    "matrix.efficiency,memory.efficiency,overhead.per_fused_op"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("3 parameters"), r.err.constData());
        QVERIFY(!QFile::exists(out));
        // The same network imported twice is still one network.
        QCOMPARE(runCli({"import", kMeasureCpu, "--db", db, "--platform", "cpu"}).exitCode, 0);
        r = runCli({"calibrate-from", "--db", db, "--run", "1", "--run", "2", "--out", out,
                    "--params", "matrix.efficiency,memory.efficiency,overhead.per_fused_op"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("only 2 distinct networks"), r.err.constData());
        QVERIFY(!QFile::exists(out));
    }

    /// Measurements 20x faster than the profile's peaks would want efficiencies far above 1:
    /// the fitted fractions stop at 1.
    void fractionsStayWithinBounds() {
        QTemporaryDir dir;
        const QString fast = scaledMeasure(dir, 0.05);
        QVERIFY(!fast.isEmpty());
        const QString db = dir.filePath("fast.db");
        QCOMPARE(runCli({"import", fast, "--db", db, "--platform", "cpu"}).exitCode, 0);
        const QString out = dir.filePath("fast-cpu.json");
        Run r = runCli({"calibrate-from", "--db", db, "--run", "1", "--out", out, "--params",
                        "matrix.efficiency,memory.efficiency", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        for (const auto& v : o["parameters"].toArray()) {
            const QJsonObject p = v.toObject();
            QVERIFY2(
                p["fitted"].toDouble() > 0.0 && p["fitted"].toDouble() <= 1.0,
                qPrintable(p["name"].toString() + " " + QString::number(p["fitted"].toDouble())));
            QCOMPARE(p["bounds"].toArray()[1].toDouble(), 1.0);
        }
        const QJsonObject prof = readJsonFile(out);
        const double matrix =
            prof["matrix"].toObject()["efficiency"].toObject()["value"].toDouble();
        const double memory =
            prof["memory"].toObject()["efficiency"].toObject()["value"].toDouble();
        QVERIFY2(matrix <= 1.0 && memory <= 1.0,
                 qPrintable(QString::number(matrix) + " " + QString::number(memory)));
        // The data did push: at least one fraction sits on its bound.
        QVERIFY(matrix == 1.0 || memory == 1.0);
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
