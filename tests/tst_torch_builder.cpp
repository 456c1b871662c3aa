// The LibTorch builder reproduces the IR: parameter counts equal for every zoo model, and the
// output shape of every stage (stem, each block, head) equals expandLayers()'s.
#include <QtTest>

#include "arch/blockstring.h"
#include "arch/error.h"
#include "arch/expand.h"
#include "torch/torchnetwork.h"
#include "zoo/zoo.h"

using namespace archscope;

namespace {

/// A small network touching every builder path: SE, fused MBConv with ReLU6, space-to-depth,
/// 5x5 stride 2, a bottleneck, at an odd resolution (asymmetric 'SAME' padding).
NetworkSpec customSpec() {
    NetworkSpec spec;
    spec.name = "custom-small";
    spec.blocks = parseBlockStrings({"r1_k3_s11_e1_i16_o16_se0.25", "r2_k3_s22_e4_i16_o24_f1_a2",
                                     "r2_k3_s22_e4_i24_o32_se0.25_d1",
                                     "r1_k5_s22_e6_i32_o48_se0.25", "r2_k3_s22_e4_i48_o64_b1_a0"});
    spec.scaling.resolution = 67;
    spec.stem.filters = 16;
    spec.headFilters = 256;
    spec.numClasses = 10;
    return spec;
}

/// The IR's output shape of each stage: the last layer whose name starts with "<stage>/".
Shape irStageShape(const std::vector<Layer>& layers, const std::string& stage) {
    Shape s;
    for (const auto& l : layers) {
        if (l.name.rfind(stage + "/", 0) == 0) s = l.out;
    }
    return s;
}

QString text(const Shape& s) {
    return QString("%1x%2x%3x%4").arg(s.n).arg(s.h).arg(s.w).arg(s.c);
}

}  // namespace

class TestTorchBuilder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parameterCountsMatchIr_data() {
        QTest::addColumn<QString>("model");
        for (const auto& name : zooModelNames())
            QTest::newRow(name.c_str()) << QString::fromStdString(name);
        QTest::newRow("custom-small") << QString("custom-small");
    }
    void parameterCountsMatchIr() {
        QFETCH(QString, model);
        const NetworkSpec spec =
            model == "custom-small" ? customSpec() : *zooSpec(model.toStdString());
        const Network net = buildNetwork(spec);
        const int64_t irParams = totalCost(expandLayers(net, 1)).params;
        TorchNetwork built(net, TorchOptions{});
        QCOMPARE(built.parameterCount(), irParams);
    }
    void zooHasForty() { QCOMPARE(int(zooModelNames().size()), 40); }

    void stageShapesMatchIr_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("batch");
        QTest::addColumn<bool>("channelsLast");
        QTest::newRow("efficientnet-b0") << "efficientnet-b0" << 1 << false;
        QTest::newRow("efficientnet-x-tpu-b0") << "efficientnet-x-tpu-b0" << 1 << false;
        QTest::newRow("resnet-50") << "resnet-50" << 1 << false;
        QTest::newRow("mobilenet-v2") << "mobilenet-v2" << 1 << true;
        QTest::newRow("custom-small batch 3") << "custom-small" << 3 << false;
        QTest::newRow("custom-small channels-last") << "custom-small" << 2 << true;
    }
    void stageShapesMatchIr() {
        QFETCH(QString, model);
        QFETCH(int, batch);
        QFETCH(bool, channelsLast);
        const NetworkSpec spec =
            model == "custom-small" ? customSpec() : *zooSpec(model.toStdString());
        const Network net = buildNetwork(spec);
        const auto layers = expandLayers(net, batch);
        TorchOptions opts;
        opts.batch = batch;
        opts.channelsLast = channelsLast;
        TorchNetwork built(net, opts);

        const auto shapes = built.stageOutputShapes();
        QCOMPARE(int(shapes.size()), int(net.blocks.size()) + 2);
        QCOMPARE(shapes.front().name, std::string("stem"));
        QCOMPARE(shapes.back().name, std::string("head"));
        for (const auto& stage : shapes) {
            const Shape expected = irStageShape(layers, stage.name);
            QVERIFY2(stage.shape == expected,
                     qPrintable(QString::fromStdString(stage.name) + ": " + text(stage.shape) +
                                " vs IR " + text(expected)));
        }
        const auto out = built.forwardShape();
        QCOMPARE(out, (std::vector<int64_t>{batch, spec.numClasses}));
    }

    void otherResolution() {
        TorchOptions opts;
        opts.resolution = 96;
        TorchNetwork built(buildNetwork(*zooSpec("efficientnet-b0")), opts);
        QCOMPARE(built.network().resolution, 96);
        const auto shapes = built.stageOutputShapes();
        QCOMPARE(shapes.front().shape, (Shape{1, 48, 48, 32}));
        QCOMPARE(shapes[shapes.size() - 2].shape, (Shape{1, 3, 3, 320}));
    }

    void badOptionsAreArchErrors() {
        const Network net = buildNetwork(customSpec());
        TorchOptions zeroBatch;
        zeroBatch.batch = 0;
        QVERIFY_THROWS_EXCEPTION(ArchError, TorchNetwork(net, zeroBatch));
        TorchOptions bf16;
        bf16.dtype = TorchDtype::BFloat16;
        QVERIFY_THROWS_EXCEPTION(ArchError, TorchNetwork(net, bf16));
    }
};

QTEST_GUILESS_MAIN(TestTorchBuilder)
#include "tst_torch_builder.moc"
