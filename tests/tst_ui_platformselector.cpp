// The platform row: the runtime combo follows the profile's kind (a TPU runs under xla only, a
// GPU under tensorrt, pytorch-eager or xla), resets to the default on another profile, and the
// selected runtime changes the profile and the prediction the pages use.
#include <QSignalSpy>
#include <QtTest>

#include "hw/model.h"
#include "jobbridge.h"
#include "pages/runpage.h"
#include "session.h"
#include "widgets/platformselector.h"
#include "zoo/zoo.h"

using namespace archscope;
using namespace archscope::ui;

class TestUiPlatformSelector : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runtimesFollowTheKind_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("defaultRuntime");
        QTest::addColumn<QStringList>("runtimes");
        QTest::newRow("tpuv3") << "tpuv3"
                               << "xla" << QStringList{"xla"};
        QTest::newRow("h200") << "h200"
                              << "tensorrt" << QStringList{"pytorch-eager", "tensorrt", "xla"};
    }
    void runtimesFollowTheKind() {
        QFETCH(QString, profile);
        QFETCH(QString, defaultRuntime);
        QFETCH(QStringList, runtimes);
        PlatformSelector selector;
        QVERIFY(selector.setProfileName(profile));
        QCOMPARE(selector.runtimeChoices(), runtimes);
        QCOMPARE(selector.runtimeName(), QString());  // the default entry
        QCOMPARE(QString::fromStdString(selector.profile().runtime.name), defaultRuntime);
        QVERIFY(selector.method().contains(defaultRuntime + " runtime"));
        QVERIFY(!selector.setRuntimeName("no-such-runtime"));
    }

    void runtimeChangesThePrediction() {
        PlatformSelector selector;
        QVERIFY(selector.setProfileName("h200"));
        const NetworkSpec spec = *zooSpec("efficientnet-b0");
        const double byDefault =
            predictModel(selector.profile(), spec, selector.batch(), selector.dtype())
                .latencySeconds;
        QSignalSpy changed(&selector, &PlatformSelector::changed);
        QVERIFY(selector.setRuntimeName("pytorch-eager"));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(selector.runtimeName(), QString("pytorch-eager"));
        QCOMPARE(selector.profile().runtime.name, std::string("pytorch-eager"));
        QVERIFY(selector.method().contains("pytorch-eager runtime"));
        const double eager =
            predictModel(selector.profile(), spec, selector.batch(), selector.dtype())
                .latencySeconds;
        QVERIFY2(eager != byDefault, qPrintable(QString("%1 vs %2").arg(eager).arg(byDefault)));

        // Another profile resets the runtime to its default.
        QVERIFY(selector.setProfileName("a100"));
        QCOMPARE(selector.runtimeName(), QString());
        QCOMPARE(selector.profile().runtime.name, selector.profile().defaultRuntime);
        QVERIFY(selector.setProfileName("tpuv3"));
        QCOMPARE(selector.runtimeChoices(), QStringList{"xla"});
        QCOMPARE(selector.profile().runtime.name, std::string("xla"));
    }

    void runPageOffersTheProfilesRuntimes() {
        Session session;
        JobBridge bridge;
        session.setProfileName("tpuv3");
        RunPage page(&session, &bridge);
        QCOMPARE(page.runtimeChoices(), QStringList{"xla"});
        QVERIFY(!page.setRuntime("tensorrt"));
        session.setProfileName("h200");
        QCOMPARE(page.runtimeChoices(), (QStringList{"pytorch-eager", "tensorrt", "xla"}));
        QVERIFY(page.setRuntime("tensorrt"));
    }
};

QTEST_MAIN(TestUiPlatformSelector)
#include "tst_ui_platformselector.moc"
