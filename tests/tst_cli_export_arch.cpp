// archscope-cli export-arch: the JSON and block-string round trips, and the PyTorch file run with
// a real Python + PyTorch, whose parameter count and shapes must equal the IR's.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include "arch/expand.h"
#include "arch/json.h"
#include "zoo/zoo.h"

#include "support/cliprocess.h"

using archscope::testing::Run;
using archscope::testing::runCli;
using archscope::testing::runProgram;

namespace {

/// A Python 3 that can import torch: Debian's python3-torch lives in /usr/bin/python3, which a
/// pyenv or venv python3 earlier on PATH does not see.
QString pythonWithTorch() {
    for (const QString& candidate :
         {QStringLiteral("/usr/bin/python3"), QStringLiteral("python3")}) {
        Run r = runProgram(candidate, {"-c", "import torch"}, 60000);
        if (r.exitCode == 0) return candidate;
    }
    return {};
}

QString customNetPath() {
    return QStringLiteral(ARCHSCOPE_TEST_DATA_DIR "/export/custom-mixed.json");
}

archscope::NetworkSpec specFor(const QString& model) {
    return archscope::resolveModel(model.toStdString());
}

}  // namespace

class TestCliExportArch : public QObject {
    Q_OBJECT
private:
    QString m_python;

private Q_SLOTS:
    void initTestCase() { m_python = pythonWithTorch(); }

    void jsonRoundTrips() {
        QTemporaryDir dir;
        const QString out = dir.filePath("b3.json");
        Run r = runCli({"export-arch", "efficientnet-x-tpu-b3", "--format", "json", "--out", out});
        QCOMPARE(r.exitCode, 0);
        const auto loaded = archscope::loadNetworkSpecFile(out.toStdString());
        QVERIFY(loaded == *archscope::zooSpec("efficientnet-x-tpu-b3"));
        // The exported file is itself a model argument.
        QCOMPARE(runCli({"show", out}).exitCode, 0);
    }

    void blocksListStagesAndScaling() {
        Run r = runCli({"export-arch", "efficientnet-b4", "--format", "blocks"});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = QString::fromUtf8(r.out).split('\n', Qt::SkipEmptyParts);
        QStringList blocks;
        for (const auto& l : lines) {
            if (!l.startsWith('#')) blocks << l;
        }
        QCOMPARE(blocks.size(), 7);
        QCOMPARE(blocks.first(), QString("r1_k3_s11_e1_i32_o16_se0.25"));
        QVERIFY2(r.out.contains("width=1.4 depth=1.8 resolution=380"), r.out.constData());
        QVERIFY(r.out.contains("activation=swish"));
    }

    void unknownModelAndBadFormatFail() {
        Run r = runCli({"export-arch", "efficientnet-b9", "--format", "pytorch"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("efficientnet-b9"));
        QVERIFY(r.out.isEmpty());
        r = runCli({"export-arch", "efficientnet-b0", "--format", "onnx"});
        QVERIFY(r.exitCode != 0);
        QVERIFY(r.err.contains("onnx"));
    }

    void pytorchMatchesIr_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("batch");
        QTest::newRow("efficientnet-b0") << "efficientnet-b0" << 1;
        QTest::newRow("efficientnet-x-tpu-b0") << "efficientnet-x-tpu-b0" << 2;
        QTest::newRow("efficientnet-x-gpu-b1") << "efficientnet-x-gpu-b1" << 1;
        QTest::newRow("resnet-50") << "resnet-50" << 1;
        QTest::newRow("mobilenet-v2") << "mobilenet-v2" << 1;
        QTest::newRow("custom-mixed (odd 97px input)") << customNetPath() << 3;
    }
    void pytorchMatchesIr() {
        QFETCH(QString, model);
        QFETCH(int, batch);
        if (m_python.isEmpty()) {
            QSKIP(
                "no python3 with torch found; install Debian's python3-torch "
                "(scripts/install-deps.sh) to run the generated PyTorch files");
        }
        QTemporaryDir dir;
        const QString file = dir.filePath("net.py");
        Run r = runCli({"export-arch", model, "--format", "pytorch", "--out", file});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        Run py = runProgram(m_python, {file, "--batch", QString::number(batch), "--threads", "1"},
                            300000);
        QVERIFY2(py.exitCode == 0, py.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(py.out.trimmed().split('\n').last()).object();

        const auto layers = archscope::expandLayers(archscope::buildNetwork(specFor(model)), batch);
        const auto cost = archscope::totalCost(layers);
        archscope::Shape features;
        for (const auto& l : layers) {
            if (l.kind == archscope::OpKind::GlobalPool) features = l.in;
        }
        QCOMPARE(o["params"].toInteger(), cost.params);
        const QVariantList expectedFeatures{batch, features.c, features.h, features.w};
        QCOMPARE(o["feature_shape"].toVariant().toList(), expectedFeatures);
        const QVariantList expectedOut{batch, layers.back().out.c};
        QCOMPARE(o["output_shape"].toVariant().toList(), expectedOut);
    }
};

QTEST_GUILESS_MAIN(TestCliExportArch)
#include "tst_cli_export_arch.moc"
