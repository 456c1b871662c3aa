// `archscope-cli measure` as a user runs it: one JSON document with the context and per-stage
// figures, and errors that exit 1 with a message instead of crashing.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "torch/measure.h"

#include "support/cliprocess.h"

using archscope::testing::Run;
using archscope::testing::runCli;

class TestTorchCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void measureJson() {
        const Run r =
            runCli({"measure", "mobilenet-v2", "efficientnet-b0", "--resolution", "64", "--reps",
                    "3", "--warmup", "1", "--threads", "1", "--per-layer", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QJsonParseError error;
        const QJsonObject doc = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(!doc["device"].toString().isEmpty());
        const QJsonObject c = doc["context"].toObject();
        QCOMPARE(c["device_kind"].toString(), QString("cpu"));
        QCOMPARE(c["threads"].toInt(), 1);
        QCOMPARE(c["dtype"].toString(), QString("fp32"));
        QCOMPARE(c["batch"].toInt(), 1);
        QVERIFY(!c["libtorch"].toString().isEmpty());
        QVERIFY(c.contains("channels_last"));
        const QJsonArray models = doc["models"].toArray();
        QCOMPARE(models.size(), 2);
        const QJsonObject m = models[0].toObject();
        QCOMPARE(m["name"].toString(), QString("mobilenet-v2"));
        QCOMPARE(m["resolution"].toInt(), 64);
        QCOMPARE(m["params"].toInteger(), 3504872);
        QCOMPARE(m["reps"].toInt(), 3);
        QVERIFY(m["p10_ms"].toDouble() <= m["median_ms"].toDouble());
        QVERIFY(m["median_ms"].toDouble() <= m["p90_ms"].toDouble());
        QVERIFY(m["graph"].isNull());
        const QJsonArray layers = m["layers"].toArray();
        QCOMPARE(layers.size(), 17 + 2);  // stem, 17 blocks, head
        QCOMPARE(layers[0].toObject()["name"].toString(), QString("stem"));
        QCOMPARE(layers[3].toObject()["name"].toString(), QString("block2"));
        QCOMPARE(layers[18].toObject()["name"].toString(), QString("head"));
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("bf16 on cpu")
            << QStringList{"measure", "efficientnet-b0", "--dtype", "bf16"} << "CUDA only";
        QTest::newRow("unknown dtype")
            << QStringList{"measure", "efficientnet-b0", "--dtype", "int3"}
            << "unknown --dtype \"int3\"; use bf16, fp16, fp32 or tf32 (also accepted: bfloat16, "
               "float16, half, float32, float)";
        QTest::newRow("unknown calibrate dtype")
            << QStringList{"calibrate", "--out", "/tmp/never-written.json", "--dtype", "int3"}
            << "unknown --dtype \"int3\"; use bf16, fp16, fp32 or tf32";
        QTest::newRow("unknown model")
            << QStringList{"measure", "efficientnet-b99"} << "efficientnet-b99";
        QTest::newRow("too large")
            << QStringList{"measure", "efficientnet-b7", "--batch", "60000"} << "GiB";
        if (!archscope::cudaAvailable()) {
            QTest::newRow("no cuda")
                << QStringList{"measure", "efficientnet-b0", "--device", "cuda"}
                << "no CUDA device";
        }
    }
    void errors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    // `ulimit -v` caps the address space whatever MemAvailable says: the check must refuse up
    // front (before building or allocating anything) with the limit named, not fail later inside
    // LibTorch. B0 at batch 1000 needs about 18.5 GiB; 4 GB of address space cannot hold it.
    void addressSpaceLimitIsRefusedUpFront() {
        if (ARCHSCOPE_TESTS_SANITIZED)
            QSKIP(
                "ASan reserves terabytes of shadow address space: no sanitized process starts "
                "under ulimit -v");
        const Run r = archscope::testing::runProgram(
            "bash",
            {"-c", "ulimit -v 4000000 && exec \"$0\" \"$@\"", QStringLiteral(ARCHSCOPE_CLI_PATH),
             "measure", "efficientnet-b0", "--batch", "1000"},
            60000);
        QCOMPARE(r.exitCode, 1);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains("ulimit -v") && err.contains("RLIMIT_AS") &&
                     err.contains("use a smaller --batch") && !err.contains("LibTorch"),
                 r.err.constData());
        QVERIFY(r.out.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTorchCli)
#include "tst_torch_cli.moc"
