// The zoo reproduces the reference networks: all 24 EfficientNet rows of
// ../shared/reference/efficientnet-x.md within 0.5%, the 14 networks of its "other reference
// families" exactly as an independent count derives them, and the two peers.
#include <QtTest>
#include <set>

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
        struct Row {
            const char* name;
            double params, gmacs;
            int res;
        };
        // Reference table: efficientnet-x.md "Expected counts" (params in M, GMACs at batch 1).
        const Row rows[] = {
            {"efficientnet-b0", 5.29, 0.388, 224},
            {"efficientnet-b1", 7.79, 0.691, 240},
            {"efficientnet-b2", 9.11, 0.999, 260},
            {"efficientnet-b3", 12.23, 1.836, 300},
            {"efficientnet-b4", 19.34, 4.413, 380},
            {"efficientnet-b5", 30.39, 10.307, 456},
            {"efficientnet-b6", 43.04, 19.137, 528},
            {"efficientnet-b7", 66.35, 37.869, 600},
            {"efficientnet-x-tpu-b0", 7.58, 0.923, 224},
            {"efficientnet-x-gpu-b0", 7.58, 0.923, 224},
            {"efficientnet-x-tpu-b1", 10.42, 1.597, 229},
            {"efficientnet-x-gpu-b1", 10.42, 1.597, 229},
            {"efficientnet-x-tpu-b2", 11.49, 2.703, 244},
            {"efficientnet-x-tpu-b3", 15.77, 4.215, 263},
            {"efficientnet-x-tpu-b4", 33.98, 10.949, 299},
            {"efficientnet-x-tpu-b5", 59.92, 24.415, 332},
            {"efficientnet-x-tpu-b6", 137.20, 53.877, 328},
            {"efficientnet-x-tpu-b7", 198.64, 85.543, 350},
            {"efficientnet-x-gpu-b2", 10.75, 2.535, 237},
            {"efficientnet-x-gpu-b3", 16.81, 4.270, 255},
            {"efficientnet-x-gpu-b4", 37.11, 10.058, 282},
            {"efficientnet-x-gpu-b5", 72.09, 24.562, 306},
            {"efficientnet-x-gpu-b6", 122.19, 46.895, 328},
            {"efficientnet-x-gpu-b7", 196.73, 84.627, 350},
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

    // The reference gives no counts for these; scripts/zoo_counts.py derives them twice without
    // Archscope (pure arithmetic and a PyTorch module of its own), after reproducing the 24 rows
    // above, and checks them against `archscope-cli zoo --json` and the export-arch module.
    void derivedCounts_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<qint64>("params");
        QTest::addColumn<qint64>("macs");
        QTest::addColumn<int>("resolution");
        struct Row {
            const char* name;
            qint64 params, macs;
            int res;
        };
        const Row rows[] = {
            {"efficientnet-x-b0", 7584104, 922727616, 224},
            {"efficientnet-x-b1", 9571024, 1610301152, 240},
            {"efficientnet-x-b2", 9974470, 2312125008, 260},
            {"efficientnet-x-b3", 13293970, 4342608944, 300},
            {"efficientnet-x-b4", 21144322, 10541245552, 380},
            {"efficientnet-x-b5", 33433452, 24597029168, 456},
            {"efficientnet-x-b6", 47653344, 47545802112, 528},
            {"efficientnet-x-b7", 73156704, 91910032096, 600},
            {"efficientnet-h-b5", 45876724, 28754586176, 456},
            {"efficientnet-h-b6", 64652902, 51827823360, 528},
            {"efficientnet-h-b7", 99745876, 101496339552, 600},
            {"efficientnet-h-tpu-b5", 77506246, 26249014560, 332},
            {"efficientnet-h-tpu-b6", 152999020, 48573943392, 328},
            {"efficientnet-h-tpu-b7", 228143260, 79243778576, 350},
        };
        for (const Row& r : rows) QTest::newRow(r.name) << r.name << r.params << r.macs << r.res;
    }
    void derivedCounts() {
        QFETCH(QString, model);
        QFETCH(qint64, params);
        QFETCH(qint64, macs);
        QFETCH(int, resolution);
        auto spec = zooSpec(model.toStdString());
        QVERIFY(spec.has_value());
        const Network net = buildNetwork(*spec);
        QCOMPARE(net.resolution, resolution);
        const NetworkCost cost = totalCost(expandLayers(net, 1));
        QCOMPARE(qint64(cost.params), params);
        QCOMPARE(qint64(cost.macs), macs);
    }

    void versionTwoBlocks() {
        // Block version 2 differs from version 1 only in the expansion of stages 2-4 (e4, not e6).
        const auto h = zooSpec("efficientnet-h-b5")->blocks;
        const auto x = zooSpec("efficientnet-x-b5")->blocks;
        QCOMPARE(h.size(), x.size());
        for (size_t i = 0; i < h.size(); ++i) {
            BlockArgs expected = x[i];
            if (i >= 1 && i <= 3) expected.expand = 4;
            QVERIFY2(h[i] == expected, qPrintable(QString("stage %1").arg(i)));
        }
        QCOMPARE(x[1].expand, 6);
        QCOMPARE(zooSpec("efficientnet-h-tpu-b7")->blocks, h);
        QCOMPARE(zooSpec("efficientnet-x-b0")->blocks, zooSpec("efficientnet-x-tpu-b0")->blocks);
        QCOMPARE(int(zooSpec("efficientnet-h-b6")->defaultActivation), int(Activation::Relu));
        const ScalingParams s = zooSpec("efficientnet-h-tpu-b6")->scaling;
        QCOMPARE(s, (ScalingParams{3.0, 3.01, 328, 0.5, 1}));
        QCOMPARE(zooSpec("efficientnet-x-b0")->scaling, (ScalingParams{1.0, 1.0, 224, 0.2, 4}));
    }

    void familiesAndLevels() {
        const std::vector<std::string> expected = {"efficientnet",       "efficientnet-x-tpu",
                                                   "efficientnet-x-gpu", "efficientnet-x",
                                                   "efficientnet-h",     "efficientnet-h-tpu"};
        QCOMPARE(zooFamilies(), expected);
        QCOMPARE(familyLevels("efficientnet-x"), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
        QCOMPARE(familyLevels("efficientnet-h"), (std::vector<int>{5, 6, 7}));
        QCOMPARE(familyLevels("efficientnet-h-tpu"), (std::vector<int>{5, 6, 7}));
        QVERIFY(familyLevels("resnet").empty());
        QVERIFY(!zooSpec("efficientnet-h-b4").has_value());
        QVERIFY(!zooSpec("efficientnet-h-tpu-b0").has_value());
        QVERIFY(!zooSpec("efficientnet-x-b8").has_value());
        QCOMPARE(zooFamilyOf("efficientnet-x-b3").value_or(""), std::string("efficientnet-x"));
        QCOMPARE(zooFamilyOf("efficientnet-x-tpu-b3").value_or(""),
                 std::string("efficientnet-x-tpu"));
        QCOMPARE(zooFamilyOf("efficientnet-h-tpu-b5").value_or(""),
                 std::string("efficientnet-h-tpu"));
        QCOMPARE(zooFamilyOf("efficientnet-b7").value_or(""), std::string("efficientnet"));
        QVERIFY(!zooFamilyOf("resnet-50").has_value());
        QVERIFY(!zooFamilyOf("efficientnet-h-b0").has_value());
        for (const auto& family : zooFamilies()) {
            for (int level : familyLevels(family)) {
                const std::string name = familyMemberName(family, level);
                QVERIFY2(zooSpec(name).has_value(), name.c_str());
                QCOMPARE(zooFamilyOf(name).value_or(""), family);
            }
        }
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
        // 4 families x B0..B7, 2 families x B5..B7, 2 peers.
        QCOMPARE(int(names.size()), 40);
        QCOMPARE(std::set<std::string>(names.begin(), names.end()).size(), names.size());
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
        // No source gives these; a name that merely starts like EfficientNet's gets nothing.
        for (const char* n : {"efficientnet-x-b0", "efficientnet-x-b7", "efficientnet-h-b5",
                              "efficientnet-h-tpu-b7"})
            QVERIFY2(!publishedTop1(n).has_value(), n);
        QCOMPARE(publishedTop1("efficientnet-b7")->top1, 84.3);
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
