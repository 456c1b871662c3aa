// archscope-cli zoo/show as a user runs them: tables, JSON documents, errors and exit codes.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "support/cliprocess.h"

using archscope::testing::Run;
using archscope::testing::runCli;

class TestCliArch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void zooJson() {
        Run r = runCli({"zoo", "--json"});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error;
        auto doc = QJsonDocument::fromJson(r.out, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonArray models = doc.object()["models"].toArray();
        QCOMPARE(models.size(), 40);
        QJsonObject b0 = models[0].toObject();
        QCOMPARE(b0["name"].toString(), QString("efficientnet-b0"));
        QCOMPARE(b0["resolution"].toInt(), 224);
        QCOMPARE(b0["params"].toInteger(), 5288548);
    }

    void showXB0PrintsSpaceToDepthStage() {
        Run r = runCli({"show", "efficientnet-x-tpu-b0"});
        QCOMPARE(r.exitCode, 0);
        const QString text = QString::fromUtf8(r.out);
        QRegularExpression s2dRow(R"(block0/s2d\s+s2d-conv\s+112x112x32\s+56x56x128\s+2x2)");
        QVERIFY2(s2dRow.match(text).hasMatch(), qPrintable(text.left(2000)));
        QRegularExpression dwRow(R"(block0/dw\s+dwconv\s+56x56x128\s+56x56x128\s+2x2)");
        QVERIFY(dwRow.match(text).hasMatch());
        QRegularExpression projectRow(R"(block0/project\s+conv1x1\s+56x56x128\s+56x56x64)");
        QVERIFY(projectRow.match(text).hasMatch());
    }

    void showJsonWithBatch() {
        Run r = runCli({"show", "mobilenet-v2", "--json", "--batch", "4"});
        QCOMPARE(r.exitCode, 0);
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o["batch"].toInt(), 4);
        const QJsonArray layers = o["layers"].toArray();
        QVERIFY(layers.size() > 50);
        QCOMPARE(layers[0].toObject()["in"].toArray()[0].toInt(), 4);
    }

    void errorsGoToStderrWithNonZeroExit_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown model")
            << QStringList{"show", "efficientnet-b9"} << "efficientnet-b9";
        QTest::newRow("missing file")
            << QStringList{"show", "/nonexistent/net.json"} << "cannot open";
        QTest::newRow("bad batch")
            << QStringList{"show", "efficientnet-b0", "--batch", "0"} << "batch";
    }
    void errorsGoToStderrWithNonZeroExit() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        Run r = runCli(args);
        QVERIFY(r.exitCode != 0);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(QString::fromUtf8(r.err).contains(mentions), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliArch)
#include "tst_cli_arch.moc"
