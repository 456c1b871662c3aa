// archscope-cli profiles / predict / compare / show --hw as a user runs them.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "support/cliprocess.h"

using archscope::testing::jsonOf;
using archscope::testing::Run;
using archscope::testing::runCli;

class TestCliHw : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void predictJson() {
        Run r = runCli({"predict", "efficientnet-b0", "efficientnet-x-tpu-b0", "--hw", "tpuv3",
                        "--batch", "8", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = jsonOf(r);
        QCOMPARE(o["profile"].toString(), QString("tpuv3"));
        QCOMPARE(o["batch"].toInt(), 8);
        QCOMPARE(o["dtype"].toString(), QString("bf16"));
        QCOMPARE(o["method"].toString(),
                 QString("predicted by the tpuv3 analytical model (profile v2) under the xla "
                         "runtime (v1)"));
        QCOMPARE(o["runtime"].toString(), QString("xla"));
        const QJsonArray models = o["models"].toArray();
        QCOMPARE(models.size(), 2);
        const QJsonObject b0 = models[0].toObject();
        QCOMPARE(b0["name"].toString(), QString("efficientnet-b0"));
        QCOMPARE(b0["params"].toInteger(), 5288548);
        QVERIFY(b0["macs"].toInteger() > 380000000);
        QVERIFY(b0["latency_ms"].toDouble() > 0.0);
        QVERIFY(qAbs(b0["throughput_ips"].toDouble() - 8000.0 / b0["latency_ms"].toDouble()) <
                1e-6 * b0["throughput_ips"].toDouble());
    }

    void predictDtypeAndErrors() {
        Run fp32 =
            runCli({"predict", "efficientnet-b0", "--hw", "v100", "--dtype", "fp32", "--json"});
        QCOMPARE(fp32.exitCode, 0);
        QCOMPARE(jsonOf(fp32)["dtype"].toString(), QString("fp32"));
        Run bf16 = runCli({"predict", "efficientnet-b0", "--hw", "v100", "--dtype", "bf16"});
        QCOMPARE(bf16.exitCode, 1);
        QVERIFY2(bf16.err.contains("bf16") && bf16.err.contains("fp16"), bf16.err);
        Run unknown = runCli({"predict", "efficientnet-b0", "--hw", "tpuv9"});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains("tpuv3"), unknown.err);
        QVERIFY(unknown.out.isEmpty());
    }

    void predictTf32() {
        Run tf32 =
            runCli({"predict", "efficientnet-b0", "--hw", "rtx4090", "--dtype", "tf32", "--json"});
        QCOMPARE(tf32.exitCode, 0);
        QCOMPARE(jsonOf(tf32)["dtype"].toString(), QString("tf32"));
        Run t4 = runCli({"predict", "efficientnet-b0", "--hw", "t4", "--dtype", "tf32"});
        QCOMPARE(t4.exitCode, 1);  // Turing has no TF32 Tensor Cores; the error lists what it has
        QVERIFY2(t4.err.contains("tf32") && t4.err.contains("fp16, fp32"), t4.err);
        Run unknown = runCli({"show", "efficientnet-b0", "--hw", "a100", "--dtype", "fp64"});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains("bf16, fp16, fp32 or tf32"), unknown.err);
        // One parser, one message: predict, show and calibrate-from say the same words.
        const QString message = QStringLiteral(
            "unknown --dtype \"fp64\"; use bf16, fp16, fp32 or tf32 (also accepted: bfloat16, "
            "float16, half, float32, float)");
        QVERIFY2(unknown.err.contains(message.toUtf8()), unknown.err);
        Run predict = runCli({"predict", "efficientnet-b0", "--hw", "a100", "--dtype", "fp64"});
        QCOMPARE(predict.exitCode, 1);
        QVERIFY2(predict.err.contains(message.toUtf8()), predict.err);
        Run half =
            runCli({"predict", "efficientnet-b0", "--hw", "a100", "--dtype", "half", "--json"});
        QCOMPARE(half.exitCode, 0);
        QCOMPARE(jsonOf(half)["dtype"].toString(), QString("fp16"));  // printed canonically
    }

    void compareTwoProfilesJson() {
        Run r = runCli({"compare", "--family", "efficientnet", "--family", "efficientnet-x-tpu",
                        "--hw", "tpuv2", "--hw", "tpuv4i", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = jsonOf(r);
        const QJsonArray levels = o["levels"].toArray();
        QCOMPARE(levels.size(), 8);
        const QJsonObject b0 = levels[0].toObject();
        QVERIFY(b0["macs_ratio"].toDouble() > 2.3 && b0["macs_ratio"].toDouble() < 2.5);
        QCOMPARE(b0["platforms"].toArray().size(), 2);
        QVERIFY(b0["speedup"].toObject()["efficientnet-x-tpu"].toDouble() > 0.0);
        QVERIFY(b0["platforms"].toArray()[0].toObject()["latency_ratio"].toDouble() > 0.0);
    }

    void compareFlopsRuleAgainstLacs() {
        // The X base under EfficientNet's scaling vs under TPU LACS: all eight levels, no note.
        Run r = runCli({"compare", "--family", "efficientnet-x", "--family", "efficientnet-x-tpu",
                        "--hw", "tpuv3"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.out.contains("levels compared"), r.out.constData());
        QVERIFY2(r.out.contains("b0") && r.out.contains("b7"), r.out.constData());
        r = runCli({"compare", "--family", "efficientnet-x", "--family", "efficientnet-x-tpu",
                    "--hw", "tpuv3", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray levels = jsonOf(r)["levels"].toArray();
        QCOMPARE(levels.size(), 8);
        // B0 is the same network in both families.
        QCOMPARE(levels[0].toObject()["macs_ratio"].toDouble(), 1.0);
    }

    void compareFamiliesWithFewerLevels() {
        Run r = runCli({"compare", "--family", "efficientnet-h", "--family", "efficientnet-h-tpu",
                        "--hw", "tpuv3", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = jsonOf(r);
        QCOMPARE(o["compared_levels"].toVariant().toList(), (QVariantList{5, 6, 7}));
        const QJsonArray levels = o["levels"].toArray();
        QCOMPARE(levels.size(), 3);
        QCOMPARE(levels[0].toObject()["level"].toInt(), 5);
        QCOMPARE(levels[0].toObject()["efficientnet-h-tpu"].toObject()["name"].toString(),
                 QString("efficientnet-h-tpu-b5"));
        // Against a B0..B7 family only B5..B7 are compared, and the table says so.
        r = runCli({"compare", "--family", "efficientnet-x", "--family", "efficientnet-h", "--hw",
                    "tpuv3"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("levels compared: B5..B7") &&
                     r.out.contains("efficientnet-x: B0..B7") &&
                     r.out.contains("efficientnet-h: B5..B7"),
                 r.out.constData());
        const QRegularExpression row(R"(^\s*b(\d)\s)", QRegularExpression::MultilineOption);
        QStringList rows;
        for (auto it = row.globalMatch(QString::fromUtf8(r.out)); it.hasNext();)
            rows << it.next().captured(1);
        QCOMPARE(rows, (QStringList{"5", "6", "7"}));
    }

    // The core demo from the shell: the "why" and the per-stage split come with the figures.
    void compareTwoModelsJson() {
        Run r = runCli(
            {"compare", "efficientnet-b0", "efficientnet-x-tpu-b0", "--hw", "tpuv3", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = jsonOf(r);
        QCOMPARE(o["a"].toObject()["name"].toString(), QString("efficientnet-b0"));
        const QJsonObject why = o["explanation"].toObject();
        QVERIFY(why["latency_ratio"].toDouble() < 1.0);  // X-TPU-B0 is faster on TPUv3
        QVERIFY(why["macs_ratio"].toDouble() > 2.3 && why["macs_ratio"].toDouble() < 2.5);
        QCOMPARE(why["stages_differing_most"].toArray().size(), 3);
        QVERIFY(why["sentences"].toArray()[0].toString().contains("faster"));
        const QJsonArray stagesA = o["stages"].toObject()["a"].toArray();
        QCOMPARE(stagesA.first().toObject()["stage"].toString(), QString("stem"));
        QCOMPARE(stagesA.last().toObject()["stage"].toString(), QString("head"));
        double sum = 0.0;
        for (const auto& st : stagesA) sum += st.toObject()["seconds"].toDouble();
        const double latency = o["a"].toObject()["latency_ms"].toDouble() * 1e-3;
        QVERIFY2(sum <= latency * (1 + 1e-9) && sum > 0.5 * latency,
                 qPrintable(QString::number(sum)));

        Run text = runCli({"compare", "efficientnet-b0", "efficientnet-x-tpu-b0", "--hw", "tpuv3"});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("Why:") && text.out.contains("by the VPU"), text.out);

        Run twoHw = runCli({"compare", "efficientnet-b0", "efficientnet-x-tpu-b0", "--hw", "tpuv3",
                            "--hw", "tpuv2"});
        QCOMPARE(twoHw.exitCode, 1);
        QVERIFY2(twoHw.err.contains("exactly one --hw"), twoHw.err);
    }

    // Two platforms fit a 100-column terminal; --wide keeps the spelled-out headers.
    void compareTableWidth() {
        const QStringList args = {
            "compare", "--family", "efficientnet", "--family", "efficientnet-x-tpu",
            "--hw",    "tpuv2",    "--hw",         "tpuv4i"};
        auto widest = [](const QByteArray& out) {
            int w = 0;
            for (const QByteArray& line : out.split('\n')) w = std::max(w, int(line.size()));
            return w;
        };
        Run narrow = runCli(args);
        QCOMPARE(narrow.exitCode, 0);
        QVERIFY2(widest(narrow.out) <= 100, narrow.out);
        Run wide = runCli(args + QStringList{"--wide"});
        QCOMPARE(wide.exitCode, 0);
        QVERIFY(widest(wide.out) > 100);
        QVERIFY(wide.out.contains("speed-up efficientnet-x-tpu tpuv2->tpuv4i"));
    }

    void showByBlock() {
        Run r = runCli({"show", "efficientnet-b0", "--hw", "tpuv3", "--by", "block", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray rows = jsonOf(r)["rows"].toArray();
        QCOMPARE(rows.size(), 16 + 2);  // B0's 16 blocks, the stem and the head
        QCOMPARE(rows.first().toObject()["name"].toString(), QString("stem"));
        QCOMPARE(rows[1].toObject()["name"].toString(), QString("block0"));
        Run text = runCli({"show", "efficientnet-b0", "--hw", "tpuv3", "--by", "block"});
        QCOMPARE(text.exitCode, 0);
        const QRegularExpression blockRow(R"(^block\d+\s)", QRegularExpression::MultilineOption);
        int blocks = 0;
        for (auto it = blockRow.globalMatch(QString::fromUtf8(text.out)); it.hasNext(); it.next())
            ++blocks;
        QCOMPARE(blocks, 16);
        Run bad = runCli({"show", "efficientnet-b0", "--hw", "tpuv3", "--by", "layer"});
        QVERIFY(bad.exitCode != 0);
        QVERIFY2(bad.err.contains("--by"), bad.err);
    }

    void compareNeedsTwoFamilies() {
        Run r = runCli({"compare", "--family", "efficientnet", "--hw", "tpuv3"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("two --family"), r.err);
    }

    void profilesJson() {
        Run r = runCli({"profiles", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray list = jsonOf(r)["profiles"].toArray();
        QVERIFY(list.size() >= 8);
        bool sawV3 = false;
        for (const auto& v : list) {
            const QJsonObject p = v.toObject();
            if (p["name"].toString() != "tpuv3") continue;
            sawV3 = true;
            QCOMPARE(p["matrix_peak_tflops"].toObject()["bf16"].toDouble(), 123.0);
            const QJsonObject bw = p["parameters"].toObject()["memory.bandwidth"].toObject();
            QVERIFY(bw["source"].toString().contains("900"));
        }
        QVERIFY(sawV3);
    }

    void showWithHwColumns() {
        Run r = runCli({"show", "efficientnet-b0", "--hw", "tpuv3"});
        QCOMPARE(r.exitCode, 0);
        const QString text = QString::fromUtf8(r.out);
        QVERIFY2(text.contains("MXU %") && text.contains("bound"), qPrintable(text.left(1500)));
        QRegularExpression dwRow(R"(block2/dw\s+dwconv.*\s+vector\s*$)",
                                 QRegularExpression::MultilineOption);
        QVERIFY2(dwRow.match(text).hasMatch(), qPrintable(text.left(3000)));
        QVERIFY(text.contains("fused #"));

        Run j = runCli({"show", "efficientnet-b0", "--hw", "v100", "--json"});
        QCOMPARE(j.exitCode, 0);
        const QJsonObject o = jsonOf(j);
        QCOMPARE(o["hw"].toObject()["profile"].toString(), QString("v100"));
        const QJsonObject stem = o["layers"].toArray()[0].toObject()["hw"].toObject();
        QVERIFY(stem.contains("bound"));
        QVERIFY(stem["time_s"].toDouble() > 0.0);

        Run e = runCli({"show", "efficientnet-b0", "--hw", "tpuv3", "--explain", "31"});
        QCOMPARE(e.exitCode, 0);
        QVERIFY2(e.out.contains("vector-unit time") && e.out.contains("bound"), e.out);

        Run noHw = runCli({"show", "efficientnet-b0", "--explain", "3"});
        QVERIFY(noHw.exitCode != 0);
    }
};

QTEST_GUILESS_MAIN(TestCliHw)
#include "tst_cli_hw.moc"
