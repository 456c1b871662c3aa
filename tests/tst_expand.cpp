// Expansion into layers: shapes (TF 'SAME'), hand-computed costs, space-to-depth bookkeeping.
#include <QtTest>

#include "arch/error.h"
#include "arch/expand.h"
#include "zoo/zoo.h"

using namespace archscope;

namespace {

const Layer* find(const std::vector<Layer>& layers, const std::string& name) {
    for (const auto& l : layers) {
        if (l.name == name) return &l;
    }
    return nullptr;
}

NetworkSpec tiny(const std::string& block) {
    NetworkSpec s;
    s.name = "tiny";
    s.blocks = {parseBlockString(block)};
    s.scaling.resolution = 32;
    s.stem.filters = 16;
    s.headFilters = 64;
    s.numClasses = 10;
    return s;
}

}  // namespace

class TestExpand : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void spaceToDepthStageOfXB0() {
        const auto layers = expandLayers(buildNetwork(*zooSpec("efficientnet-x-tpu-b0")));
        const Layer* s2d = find(layers, "block0/s2d");
        QVERIFY(s2d);
        QVERIFY(s2d->kind == OpKind::SpaceToDepthConv);
        QCOMPARE(s2d->in, (Shape{1, 112, 112, 32}));
        QCOMPARE(s2d->out, (Shape{1, 56, 56, 128}));
        QCOMPARE(s2d->kernelH, 2);
        QCOMPARE(s2d->strideH, 2);
        const Layer* dw = find(layers, "block0/dw");
        QVERIFY(dw);
        QCOMPARE(dw->kernelH, 2);
        QCOMPARE(dw->out, (Shape{1, 56, 56, 128}));
        QCOMPARE(dw->groups, 128);
        const Layer* project = find(layers, "block0/project");
        QCOMPARE(project->in.c, 128);
        QCOMPARE(project->out, (Shape{1, 56, 56, 64}));
        // SE width 128 * 0.25 * 4 (se_coefficient) // 4 (space-to-depth) = 32.
        QCOMPARE(find(layers, "block0/se-reduce")->out.c, 32);
        // Next stage (d2, s22 in the string) runs at stride 1 on 64 input channels, 16*6 expanded.
        const Layer* fused = find(layers, "block1/fused");
        QCOMPARE(fused->in, (Shape{1, 56, 56, 64}));
        QCOMPARE(fused->out, (Shape{1, 56, 56, 96}));
        QCOMPARE(fused->strideH, 1);
        QCOMPARE(find(layers, "block1/project")->out.c, 24);
        QVERIFY(!find(layers, "block0/add"));  // 32 channels in, 64 out: no skip
        QVERIFY(find(layers, "block2/add"));   // second repeat of the fused stage: 24 -> 24
    }

    void spaceToDepthContinuesWithDepth() {
        // X-B1 has depth 1.09: stage 0 gets 2 repeats, the second continues as d2 (64 -> 64, k2).
        const Network net = buildNetwork(*zooSpec("efficientnet-x-tpu-b1"));
        QCOMPARE(net.blocks[1].stage, 0);
        QCOMPARE(net.blocks[1].spaceToDepth, 2);
        QCOMPARE(net.blocks[1].inChannels, 64);
        QCOMPARE(net.blocks[1].outChannels, 64);
        QCOMPARE(net.blocks[1].kernel, 2);
        QVERIFY(net.blocks[1].hasResidual());
    }

    void samePaddingShapes_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("finalSpatial");
        QTest::newRow("b0 224") << "efficientnet-b0" << 7;
        QTest::newRow("b4 380") << "efficientnet-b4" << 12;             // 190 95 48 24 12
        QTest::newRow("x-tpu-b1 229") << "efficientnet-x-tpu-b1" << 8;  // 115 58 29 15 8
        QTest::newRow("resnet-50") << "resnet-50" << 7;
    }
    void samePaddingShapes() {
        QFETCH(QString, model);
        QFETCH(int, finalSpatial);
        const auto layers = expandLayers(buildNetwork(*zooSpec(model.toStdString())));
        const Layer* pool = find(layers, "head/avgpool");
        QVERIFY(pool);
        QCOMPARE(pool->in.h, finalSpatial);
        QCOMPARE(pool->in.w, finalSpatial);
        // Shapes chain: every layer's input is the previous layer's output, except where a
        // block restarts from its input (SE multiply, shortcut).
        for (size_t i = 1; i < layers.size(); ++i) {
            QVERIFY(layers[i].in.n == 1);
            QVERIFY(layers[i].out.c > 0 && layers[i].out.h > 0);
        }
    }

    void handComputedCosts() {
        // One MBConv on a 32x32x16 stem output: expand 1x1 16->96, dw 3x3, SE 4, project 96->16.
        const auto layers = expandLayers(buildNetwork(tiny("r1_k3_s11_e6_i16_o16_se0.25")));
        const Layer* stem = find(layers, "stem/conv");
        QCOMPARE(stem->out, (Shape{1, 16, 16, 16}));
        QCOMPARE(stem->macs, int64_t(16 * 16 * 16 * 3 * 3 * 3));
        QCOMPARE(stem->params, int64_t(3 * 3 * 3 * 16));
        const Layer* expand = find(layers, "block0/expand");
        QCOMPARE(expand->macs, int64_t(16 * 16 * 96 * 16));
        QCOMPARE(expand->params, int64_t(16 * 96));
        const Layer* dw = find(layers, "block0/dw");
        QCOMPARE(dw->macs, int64_t(16 * 16 * 96 * 9));
        QCOMPARE(dw->params, int64_t(96 * 9));
        const Layer* reduce = find(layers, "block0/se-reduce");
        QCOMPARE(reduce->out.c, 4);  // int(16 * 0.25)
        QCOMPARE(reduce->params, int64_t(96 * 4 + 4));
        QCOMPARE(find(layers, "block0/se-mul")->macs, int64_t(16 * 16 * 96));
        QCOMPARE(find(layers, "block0/bn")->params, int64_t(2 * 96));
        const Layer* add = find(layers, "block0/add");
        QVERIFY(add);
        QCOMPARE(add->inputElements, int64_t(2 * 16 * 16 * 16));
        const Layer* fc = find(layers, "head/fc");
        QCOMPARE(fc->params, int64_t(64 * 10 + 10));
        QCOMPARE(fc->bytesRead(2), int64_t((64 + 64 * 10 + 10) * 2));
        QCOMPARE(fc->bytesWritten(4), int64_t(10 * 4));
    }

    void asymmetricStrides() {
        // s21: stride 2 in height only; the output halves H and keeps W.
        const auto layers = expandLayers(buildNetwork(tiny("r1_k3_s21_e6_i16_o24")));
        const Layer* dw = find(layers, "block0/dw");
        QCOMPARE(dw->strideH, 2);
        QCOMPARE(dw->strideW, 1);
        QCOMPARE(dw->out, (Shape{1, 8, 16, 96}));
        QVERIFY(!find(layers, "block0/add"));
    }

    void batchScalesMacsNotParams() {
        const Network net = buildNetwork(*zooSpec("efficientnet-b0"));
        const NetworkCost one = totalCost(expandLayers(net, 1));
        const NetworkCost eight = totalCost(expandLayers(net, 8));
        QCOMPARE(eight.macs, 8 * one.macs);
        QCOMPARE(eight.params, one.params);
    }

    void blockAndStageTags() {
        const auto layers = expandLayers(buildNetwork(*zooSpec("efficientnet-b0")));
        QCOMPARE(layers.front().block, -1);
        QCOMPARE(layers.back().block, -2);
        int maxBlock = 0, maxStage = 0;
        for (const auto& l : layers) {
            maxBlock = std::max(maxBlock, l.block);
            maxStage = std::max(maxStage, l.stage);
        }
        QCOMPARE(maxBlock, 15);  // 16 blocks in B0
        QCOMPARE(maxStage, 6);
    }

    void invalidNetworks() {
        NetworkSpec s = tiny("r1_k3_s11_e6_i16_o16");
        s.scaling.width = -1;
        QVERIFY_THROWS_EXCEPTION(ArchError, buildNetwork(s));
        s = tiny("r1_k3_s11_e6_i16_o16");
        s.blocks.clear();
        QVERIFY_THROWS_EXCEPTION(ArchError, buildNetwork(s));
        QVERIFY_THROWS_EXCEPTION(ArchError,
                                 expandLayers(buildNetwork(tiny("r1_k3_s11_e6_i16_o16")), 0));
    }

    /// Networks at the edge of the caps: the costs are either exact and non-negative or an
    /// ArchError naming the network; never a wrapped number (issue 16: -197e15 parameters).
    void costsNeverWrap_data() {
        QTest::addColumn<QString>("block");
        QTest::addColumn<double>("width");
        QTest::addColumn<int>("resolution");
        QTest::addColumn<int>("batch");
        QTest::addColumn<bool>("fits");
        QTest::newRow("issue 16 params")
            << "r1_k3_s11_e64_i1048576_o1048576" << 100.0 << 224 << 1 << false;
        QTest::newRow("wide at the channel cap")
            << "r1_k31_s11_e64_i262144_o262144" << 1.0 << 4096 << 65536 << false;
        QTest::newRow("large but exact") << "r1_k3_s11_e6_i1024_o1024" << 1.0 << 512 << 64 << true;
    }
    void costsNeverWrap() {
        QFETCH(QString, block);
        QFETCH(double, width);
        QFETCH(int, resolution);
        QFETCH(int, batch);
        QFETCH(bool, fits);
        NetworkSpec s = tiny(block.toStdString());
        s.name = "edge";
        s.scaling.width = width;
        s.scaling.resolution = resolution;
        try {
            const auto cost = totalCost(expandLayers(buildNetwork(s), batch));
            QVERIFY(fits);
            QVERIFY(cost.macs > 0 && cost.params > 0 && cost.activationElements > 0);
            QVERIFY(cost.macs <= kMaxCost);
        } catch (const ArchError& e) {
            QVERIFY2(!fits, e.what());
            QVERIFY2(std::string(e.what()).find("network \"edge\"") != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestExpand)
#include "tst_expand.moc"
