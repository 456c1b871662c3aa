// The zoo reproduces the reference networks: all 24 EfficientNet rows of
// ../shared/reference/efficientnet-x.md within 0.5%, and the two peers.
#include <QtTest>

#include "arch/expand.h"
#include "zoo/zoo.h"

using namespace archscope;

class TestZoo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void referenceCounts_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<double>("paramsM");
        QTest::addColumn<double>("gmacs");
        QTest::addColumn<int>("resolution");
        struct Row { const char* name; double params, gmacs; int res; };
        // Reference table: efficientnet-x.md "Expected counts" (params in M, GMACs at batch 1).
        const Row rows[] = {
            {"efficientnet-b0", 5.29, 0.388, 224},   {"efficientnet-b1", 7.79, 0.691, 240},
            {"efficientnet-b2", 9.11, 0.999, 260},   {"efficientnet-b3", 12.23, 1.836, 300},
            {"efficientnet-b4", 19.34, 4.413, 380},  {"efficientnet-b5", 30.39, 10.307, 456},
            {"efficientnet-b6", 43.04, 19.137, 528}, {"efficientnet-b7", 66.35, 37.869, 600},
            {"efficientnet-x-tpu-b0", 7.58, 0.923, 224}, {"efficientnet-x-gpu-b0", 7.58, 0.923, 224},
            {"efficientnet-x-tpu-b1", 10.42, 1.597, 229}, {"efficientnet-x-gpu-b1", 10.42, 1.597, 229},
            {"efficientnet-x-tpu-b2", 11.49, 2.703, 244}, {"efficientnet-x-tpu-b3", 15.77, 4.215, 263},
            {"efficientnet-x-tpu-b4", 33.98, 10.949, 299}, {"efficientnet-x-tpu-b5", 59.92, 24.415, 332},
            {"efficientnet-x-tpu-b6", 137.20, 53.877, 328}, {"efficientnet-x-tpu-b7", 198.64, 85.543, 350},
            {"efficientnet-x-gpu-b2", 10.75, 2.535, 237}, {"efficientnet-x-gpu-b3", 16.81, 4.270, 255},
            {"efficientnet-x-gpu-b4", 37.11, 10.058, 282}, {"efficientnet-x-gpu-b5", 72.09, 24.562, 306},
            {"efficientnet-x-gpu-b6", 122.19, 46.895, 328}, {"efficientnet-x-gpu-b7", 196.73, 84.627, 350},
        };
        for (const Row& r : rows) QTest::newRow(r.name) << r.name << r.params << r.gmacs << r.res;
    }
    void referenceCounts() {
        QFETCH(QString, model);
        QFETCH(double, paramsM);
        QFETCH(double, gmacs);
        QFETCH(int, resolution);
        auto spec = zooSpec(model.toStdString());
        QVERIFY(spec.has_value());
        const Network net = buildNetwork(*spec);
        QCOMPARE(net.resolution, resolution);
        const NetworkCost cost = totalCost(expandLayers(net, 1));
        const double p = cost.params / 1e6;
        const double m = cost.macs / 1e9;
        QVERIFY2(std::abs(p - paramsM) / paramsM < 0.005,
                 qPrintable(QString("params %1 M vs %2 M").arg(p).arg(paramsM)));
        QVERIFY2(std::abs(m - gmacs) / gmacs < 0.005,
                 qPrintable(QString("GMACs %1 vs %2").arg(m).arg(gmacs)));
    }

    void peers() {
        // torchvision: resnet50 25,557,032 params (~4.1 GMACs); mobilenet_v2 3,504,872 (~0.30).
        auto r50 = totalCost(expandLayers(buildNetwork(*zooSpec("resnet-50"))));
        QCOMPARE(r50.params, int64_t(25557032));
        QVERIFY(std::abs(r50.macs / 1e9 - 4.09) < 0.05);
        auto mv2 = totalCost(expandLayers(buildNetwork(*zooSpec("mobilenet-v2"))));
        QCOMPARE(mv2.params, int64_t(3504872));
        QVERIFY(std::abs(mv2.macs / 1e9 - 0.30) < 0.01);
    }

    void namesResolve() {
        const auto names = zooModelNames();
        QCOMPARE(int(names.size()), 26);
        for (const auto& n : names) QVERIFY2(zooSpec(n).has_value(), n.c_str());
        QVERIFY(!zooSpec("efficientnet-b8").has_value());
        QVERIFY(!zooSpec("efficientnet-b").has_value());
    }

    void publishedAccuracyOnlyWithSource() {
        auto b0 = publishedTop1("efficientnet-b0");
        QVERIFY(b0.has_value());
        QCOMPARE(b0->top1, 77.1);
        QVERIFY(!b0->source.empty());
        QVERIFY(!publishedTop1("efficientnet-x-tpu-b0").has_value());
    }

    void unknownModelErrorListsNames() {
        try {
            resolveModel("efficientnet-b9");
            QFAIL("expected an error");
        } catch (const std::exception& e) {
            QVERIFY(QString(e.what()).contains("efficientnet-b9"));
            QVERIFY(QString(e.what()).contains("efficientnet-x-tpu-b0"));
        }
    }
};

QTEST_GUILESS_MAIN(TestZoo)
#include "tst_zoo.moc"
