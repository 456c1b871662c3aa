// archscope-cli validate as a user runs it: every shipped table, its statistics and its points.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include "support/cliprocess.h"

using archscope::testing::jsonOf;
using archscope::testing::Run;
using archscope::testing::runCli;

namespace {

QSet<QString> keysOf(const QJsonObject& o) {
    const QStringList keys = o.keys();
    return {keys.begin(), keys.end()};
}

}  // namespace

class TestCliValidate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void allTablesJson() {
        const Run r = runCli({"validate", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = jsonOf(r);
        QCOMPARE(keysOf(o), (QSet<QString>{"tables", "skipped"}));
        const QJsonArray tables = o["tables"].toArray();
        QVERIFY2(tables.size() >= 6, r.out.left(300));
        const QSet<QString> tableKeys = {
            "name", "platform", "runtime", "dtype", "role", "n", "tau_model", "tau_macs",
            "tau_activations", "median_abs_error", "points",
            // The runtime predicted under can differ from the table's own (--runtime).
            "table_runtime", "software"};
        const QSet<QString> pointKeys = {
            "model",        "batch", "resolution",         "measured_ms",
            "predicted_ms", "macs",  "activation_elements"};
        QSet<QString> names;
        for (const auto& v : tables) {
            const QJsonObject t = v.toObject();
            QCOMPARE(keysOf(t), tableKeys);
            names.insert(t["name"].toString());
            const QJsonArray points = t["points"].toArray();
            QCOMPARE(t["n"].toInt(), int(points.size()));
            QVERIFY(points.size() >= 4);
            QVERIFY(qAbs(t["tau_model"].toDouble()) <= 1.0);
            QVERIFY(t["median_abs_error"].toDouble() >= 0.0);
            for (const auto& p : points) {
                const QJsonObject point = p.toObject();
                QCOMPARE(keysOf(point), pointKeys);
                QVERIFY(point["predicted_ms"].toDouble() > 0.0);
                QVERIFY(point["macs"].toDouble() > 0.0);
            }
        }
        QVERIFY(names.contains("dle-tf2-a100-fp16"));
        QCOMPARE(tables[0].toObject()["runtime"].toString().isEmpty(), false);
        // A table whose profile is missing is listed with its reason, never dropped silently.
        QSet<QString> all = names;
        for (const auto& v : o["skipped"].toArray()) {
            const QJsonObject s = v.toObject();
            QVERIFY(!s["reason"].toString().isEmpty());
            all.insert(s["name"].toString());
        }
        QVERIFY(all.contains("paddleclas-t4-fp16"));
        QVERIFY(all.contains("timm-rtx3090-pt240-nhwc-fp16"));
    }

    void oneTableText() {
        const Run r = runCli({"validate", "--table", "dle-tf2-v100-fp16"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("dle-tf2-v100-fp16") && r.out.contains("xla"), r.out);
        QVERIFY(!r.out.contains("dle-tf2-a100-fp16"));
        QVERIFY(r.out.contains("tau"));
    }

    void oneTableJsonPoints() {
        const Run r = runCli({"validate", "--table", "dle-tf2-a100-fp16", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray tables = jsonOf(r)["tables"].toArray();
        QCOMPARE(tables.size(), 1);
        const QJsonObject t = tables[0].toObject();
        QCOMPARE(t["platform"].toString(), QString("a100"));
        QCOMPARE(t["dtype"].toString(), QString("fp16"));
        QCOMPARE(t["n"].toInt(), 8);
        // The first row of the source: EfficientNet v1-B0, batch 1, 224 px, 9.09 ms.
        const QJsonObject first = t["points"].toArray()[0].toObject();
        QCOMPARE(first["model"].toString(), QString("efficientnet-b0"));
        QCOMPARE(first["batch"].toInt(), 1);
        QCOMPARE(first["resolution"].toInt(), 224);
        QCOMPARE(first["measured_ms"].toDouble(), 9.09);
    }

    void modelRanksAtLeastAsWellAsTheProxies() {
        const Run r = runCli({"validate", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray tables = jsonOf(r)["tables"].toArray();
        QVERIFY(tables.size() >= 6);
        for (const auto& v : tables) {
            const QJsonObject t = v.toObject();
            const double model = t["tau_model"].toDouble();
            QVERIFY2(model + 1e-9 >= t["tau_macs"].toDouble(), qPrintable(t["name"].toString()));
            QVERIFY2(model + 1e-9 >= t["tau_activations"].toDouble(),
                     qPrintable(t["name"].toString()));
        }
    }

    void runtimeOverrideAndFit() {
        // Every table under another runtime: the runtime shown is the one predicted under.
        Run r = runCli({"validate", "--table", "timm-rtx3090-pt240-nchw-fp16", "--runtime",
                        "tensorrt", "--json"});
        QCOMPARE(r.exitCode, 0);
        QJsonObject t = jsonOf(r)["tables"].toArray()[0].toObject();
        QCOMPARE(t["runtime"].toString(), QString("tensorrt"));
        QCOMPARE(t["table_runtime"].toString(), QString("pytorch-eager"));
        const double fusedError = t["median_abs_error"].toDouble();
        r = runCli({"validate", "--table", "timm-rtx3090-pt240-nchw-fp16", "--json"});
        t = jsonOf(r)["tables"].toArray()[0].toObject();
        QVERIFY(t["median_abs_error"].toDouble() < fusedError);  // eager is what timm measured

        // A fit on the tables marked "fit", written as a runtime file that loads.
        QTemporaryDir dir;
        const QString out = dir.filePath("eager.json");
        r = runCli({"validate", "--fit-runtime", "pytorch-eager", "--params",
                    "overhead.per_kernel_launch,efficiency.dense_conv", "--out", out, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject fit = jsonOf(r)["fit"].toObject();
        QCOMPARE(fit["runtime"].toString(), QString("pytorch-eager"));
        QCOMPARE(fit["parameters"].toArray().size(), 2);
        QVERIFY(QFile::exists(out));
        r = runCli({"predict", "efficientnet-b0", "--hw", "h200", "--runtime", out, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // No table is marked "fit" for tensorrt: a clear error, nothing written.
        const QString none = dir.filePath("trt.json");
        r = runCli({"validate", "--fit-runtime", "tensorrt", "--out", none});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("role") && r.err.contains("fit"), r.err.constData());
        QVERIFY(!QFile::exists(none));
    }

    void unknownTable() {
        const Run r = runCli({"validate", "--table", "no-such-table"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("keras-a100-tf32"), r.err);
    }
};

QTEST_GUILESS_MAIN(TestCliValidate)
#include "tst_cli_validate.moc"
