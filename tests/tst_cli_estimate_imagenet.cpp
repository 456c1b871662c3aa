// archscope-cli estimate --accuracy imagenet as a user runs it: value and uncertainty in JSON,
// the out-of-range flag, an unknown recipe refused, and the --report figures.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "support/cliprocess.h"

using archscope::testing::Run;
using archscope::testing::runCli;

class TestCliEstimateImagenet : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonHasValueAndUncertainty() {
        Run r = runCli({"estimate", "efficientnet-b3", "efficientnet-x-tpu-b7", "--accuracy",
                        "imagenet", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray results = QJsonDocument::fromJson(r.out).object()["results"].toArray();
        QCOMPARE(results.size(), 2);
        const QJsonObject b3 = results[0].toObject();
        QCOMPARE(b3["estimator"].toString(), QString("imagenet"));
        QVERIFY(b3["value"].toDouble() > 78 && b3["value"].toDouble() < 85);
        QVERIFY(b3["uncertainty"].toDouble() > 0);
        QCOMPARE(b3["out_of_range"].toBool(), false);
        const QJsonObject far = results[1].toObject();
        QCOMPARE(far["out_of_range"].toBool(), true);
        QVERIFY(far["uncertainty"].toDouble() > b3["uncertainty"].toDouble());
    }

    void unknownRecipeFails() {
        Run r = runCli({"estimate", "efficientnet-b0", "--accuracy", "imagenet", "--recipe", "x"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(QString::fromUtf8(r.err).contains("unknown recipe"));
    }

    void reportHasEveryFamily() {
        Run r = runCli({"estimate", "--accuracy", "imagenet", "--report", "--json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(doc["lofo"].toArray().size(), 6);
        QVERIFY(doc["lofo_mae"].toDouble() > 0 && doc["lofo_mae"].toDouble() < 3);
        QVERIFY(doc["loo_mae"].toDouble() > 0 && doc["loo_mae"].toDouble() < 2);
    }
};

QTEST_GUILESS_MAIN(TestCliEstimateImagenet)
#include "tst_cli_estimate_imagenet.moc"
