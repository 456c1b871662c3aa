// The analytical platform model on hand-computed cases: MXU tiling, vector-bound depthwise,
// overhead-bound tiny layers, fusion, batch splitting, and the fast path against the detailed one.
#include <QtTest>

#include <algorithm>

#include "arch/error.h"
#include "arch/expand.h"
#include "hw/explain.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "zoo/zoo.h"

using namespace archscope;

namespace {

/// A convolution layer with the same bookkeeping as expandLayers (stride 1, SAME padding).
Layer conv(OpKind kind, Shape in, int cout, int k, int groups = 1) {
    Layer l;
    l.name = "test/conv";
    l.kind = kind;
    l.in = in;
    l.out = {in.n, in.h, in.w, cout};
    l.kernelH = l.kernelW = k;
    l.groups = groups;
    const int64_t perOutput = int64_t(in.c / groups) * k * k;
    l.macs = l.out.elements() * perOutput;
    l.params = perOutput * cout;
    l.inputElements = in.elements();
    l.outputElements = l.out.elements();
    return l;
}

Layer elementwise(OpKind kind, Shape s, Activation a = Activation::Relu) {
    Layer l;
    l.name = "test/ew";
    l.kind = kind;
    l.in = l.out = s;
    l.activation = a;
    l.inputElements = l.outputElements = s.elements();
    return l;
}

const Profile& tpuv3() {
    static const Profile p = loadProfile("tpuv3");
    return p;
}

const Profile& tpuv4i() {
    static const Profile p = loadProfile("tpuv4i");
    return p;
}

/// `p` without its on-chip memory, as a profile file without memory.on_chip loads.
Profile withoutOnChip(Profile p) {
    p.memory.onChipCapacityBytes = 0.0;
    p.memory.onChipBandwidthBytesPerSecond = 0.0;
    return p;
}

}  // namespace

class TestHwModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pointwise128FillsTheMxu() {
        // 1x1 conv 128 -> 128 on 56x56, batch 2 (one image per TensorCore): K = N = 128, one
        // weight tile; 3136 rows over 2 MXUs = 1568 cycles at 940 MHz; 100% of the array busy.
        const Layer l = conv(OpKind::PointwiseConv, {2, 56, 56, 128}, 128, 1);
        const auto g = predictGroups(tpuv3(), {l}, Dtype::Bf16);
        QCOMPARE(g.size(), size_t(1));
        QCOMPARE(g[0].usefulMacs, 3136.0 * 128 * 128);
        QCOMPARE(g[0].issuedMacs, g[0].usefulMacs);
        QVERIFY(qAbs(g[0].matrixSeconds - 1568 / 940e6) < 1e-12);
        const double peakPerCore = 2.0 * 128 * 128 * 940e6;
        QVERIFY(qAbs(g[0].usefulMacs / (g[0].matrixSeconds * peakPerCore) - 1.0) < 1e-9);
        // Yet memory bounds it: 2 x 128 flops per 4 bytes (in + out, bf16) = 64 flop/B, below
        // TPUv3's ridge of 123e12 / 900e9 = 137 flop/B. 3.2 MB / 900 GB/s = 3.57 us > 1.67 us.
        QCOMPARE(g[0].bound, Bound::Memory);
        QVERIFY(qAbs(g[0].memorySeconds - (2.0 * 2 * 3136 * 128 + 128 * 128 * 2) * 2 / 900e9) <
                1e-12);
    }

    void pointwise8ChannelsUsesOneSixteenth() {
        // 8 input channels pad the contraction to 128: 8/128 = 1/16 of the issued MACs are useful.
        const Layer l = conv(OpKind::PointwiseConv, {2, 56, 56, 8}, 128, 1);
        const auto g = predictGroups(tpuv3(), {l}, Dtype::Bf16);
        QCOMPARE(g[0].usefulMacs / g[0].issuedMacs, 1.0 / 16);
        const MatrixTiling t = matrixTiling(tpuv3(), l, Dtype::Bf16);
        QCOMPARE(t.k, int64_t(8));
        QCOMPARE(t.kPadded, int64_t(128));
        QCOMPARE(t.tiles, int64_t(1));
        // Same time as the 128-channel case: the padded tile costs the same cycles.
        QVERIFY(qAbs(g[0].matrixSeconds - 1568 / 940e6) < 1e-12);
    }

    void fewChannelStemFoldsTheWindow() {
        // A 3x3 conv over 3 channels (the stem): XLA folds the window into K, 27 -> 128 (one tile),
        // instead of padding each window 3 -> 128 (9 tiles, K = 1152).
        const Layer l = conv(OpKind::Conv, {1, 112, 112, 3}, 32, 3);
        const MatrixTiling t = matrixTiling(tpuv3(), l, Dtype::Bf16);
        QVERIFY(t.windowFolded);
        QCOMPARE(t.k, int64_t(27));
        QCOMPARE(t.kPadded, int64_t(128));
        QCOMPARE(t.tiles, int64_t(1));
        // Issued MACs: 12544 rows (112 x 112, a multiple of 8) x 128 x 128, 1/9 of the per-window
        // mapping's 12544 x 1152 x 128.
        const auto g = predictGroups(tpuv3(), {l}, Dtype::Bf16);
        QCOMPARE(g[0].issuedMacs, 12544.0 * 128 * 128);
        QCOMPARE(t.issuedMacs, g[0].issuedMacs);
        // One tile streams 12544 rows over 2 MXUs (one image on one TensorCore).
        QVERIFY(qAbs(g[0].matrixSeconds - 6272 / 940e6) < 1e-12);
        // 64 channels, 3x3: 576 -> 640 folded beats 9 x 128 = 1152 per window.
        const MatrixTiling mid =
            matrixTiling(tpuv3(), conv(OpKind::Conv, {1, 28, 28, 64}, 64, 3), Dtype::Bf16);
        QVERIFY(mid.windowFolded);
        QCOMPARE(mid.kPadded, int64_t(640));
    }

    void manyChannelConvKeepsPerWindowPadding() {
        // 256 channels fill the array's rows in every window: K = 256 x 9 = 2304 either way, and
        // the per-window mapping (no relayout of the input) is kept.
        const Layer l = conv(OpKind::Conv, {1, 14, 14, 256}, 128, 3);
        const MatrixTiling t = matrixTiling(tpuv3(), l, Dtype::Bf16);
        QVERIFY(!t.windowFolded);
        QCOMPARE(t.k, int64_t(2304));
        QCOMPARE(t.kPadded, int64_t(2304));
        QCOMPARE(t.tiles, int64_t(18));
        // 1x1 over 8 channels: folding gains nothing (8 -> 128 either way): per window.
        const MatrixTiling pw =
            matrixTiling(tpuv3(), conv(OpKind::PointwiseConv, {1, 8, 8, 8}, 128, 1), Dtype::Bf16);
        QVERIFY(!pw.windowFolded);
        QCOMPARE(pw.kPadded, int64_t(128));
    }

    void spaceToDepthConvFillsTheContraction() {
        // EfficientNet-X's 2x2 stride-2 conv over 32 channels is a space-to-depth + 1x1 conv on
        // 128 channels: K = 32 x 4 = 128, one full tile (per window it would be 4 tiles at 25%).
        const auto layers = expandLayers(buildNetwork(*zooSpec("efficientnet-x-tpu-b0")), 1);
        const auto s2d = std::find_if(layers.begin(), layers.end(), [](const Layer& l) {
            return isConvolution(l.kind) && l.kernelH == 2 && l.strideH == 2;
        });
        QVERIFY(s2d != layers.end());
        QCOMPARE(s2d->in.c, 32);
        const MatrixTiling t = matrixTiling(tpuv3(), *s2d, Dtype::Bf16);
        QVERIFY(t.windowFolded);
        QCOMPARE(t.k, int64_t(128));
        QCOMPARE(t.kPadded, int64_t(128));
        QCOMPARE(t.tiles, int64_t(1));
        QCOMPARE(double(t.mPadded) * t.kPadded * t.nPadded, t.issuedMacs);
        QCOMPARE(t.m * t.k * t.n, s2d->macs);  // no padding at all: every issued MAC is useful
        QCOMPARE(t.mPadded, t.m);
        QCOMPARE(t.nPadded, t.n);
    }

    void onChipMemoryKeepsTheChainOnChip() {
        // TPUv4i: 128 MiB CMEM. Two 1x1 convs on 28x28x128, batch 1: the second reads the
        // first's output (196 kB) from CMEM at 4300.8 GB/s, the rest through HBM at 614 GB/s.
        const Layer a = conv(OpKind::PointwiseConv, {1, 28, 28, 128}, 128, 1);
        const Layer b = conv(OpKind::PointwiseConv, a.out, 128, 1);
        const auto g = predictGroups(tpuv4i(), {a, b}, Dtype::Bf16);
        QCOMPARE(g.size(), size_t(2));
        QCOMPARE(g[0].onChipBytes, 0.0);  // the network's input comes from HBM
        const double fmap = 28.0 * 28 * 128 * 2;
        QCOMPARE(g[1].onChipBytes, fmap);
        const double offChip = g[1].bytes - fmap;  // weights + output
        QCOMPARE(offChip, 128.0 * 128 * 2 + fmap);
        QVERIFY(qAbs(g[1].memorySeconds - (offChip / 614e9 + fmap / 4300.8e9)) < 1e-15);
        // The same chain at batch 128: each op moves 2 x 25.7 MB + weights, which fits; at 56x56
        // x 256 (2 x 205 MB) it does not, and the input comes from HBM.
        const Layer big = conv(OpKind::PointwiseConv, {128, 56, 56, 256}, 256, 1);
        const Layer big2 = conv(OpKind::PointwiseConv, big.out, 256, 1);
        const auto gb = predictGroups(tpuv4i(), {big, big2}, Dtype::Bf16);
        QVERIFY(gb[1].bytes > 128.0 * (1 << 20));
        QCOMPARE(gb[1].onChipBytes, 0.0);
        QCOMPARE(gb[1].memorySeconds, gb[1].bytes / 614e9);
        // An op that reads something else than what the previous op wrote (another shape) reads
        // it from HBM.
        const Layer other = conv(OpKind::PointwiseConv, {1, 14, 14, 128}, 128, 1);
        QCOMPARE(predictGroups(tpuv4i(), {a, other}, Dtype::Bf16)[1].onChipBytes, 0.0);
    }

    void profileWithoutOnChipMemoryPredictsAsBefore() {
        // Without memory.on_chip every byte moves at the HBM rate: memory time = bytes /
        // bandwidth exactly, as before CMEM was modelled; tpuv3 has no on-chip group.
        const auto layers = expandLayers(buildNetwork(*zooSpec("efficientnet-b0")), 8);
        for (const Profile& p : {withoutOnChip(tpuv4i()), tpuv3()}) {
            QCOMPARE(p.memory.onChipCapacityBytes, 0.0);
            for (const auto& g : predictGroups(p, layers, Dtype::Bf16)) {
                QCOMPARE(g.onChipBytes, 0.0);
                QCOMPARE(g.memorySeconds, g.bytes / p.memory.bandwidthBytesPerSecond);
            }
        }
        // With CMEM the network moves fewer bytes through HBM and is no slower.
        double onChip = 0.0;
        for (const auto& g : predictGroups(tpuv4i(), layers, Dtype::Bf16)) onChip += g.onChipBytes;
        QVERIFY(onChip > 0.0);
        QVERIFY(predictNetwork(tpuv4i(), layers, Dtype::Bf16).latencySeconds <=
                predictNetwork(withoutOnChip(tpuv4i()), layers, Dtype::Bf16).latencySeconds);
    }

    void depthwiseIsVectorBound() {
        // 3x3 depthwise on 56x56x128: 3.6 M MACs x 2 ops on 1024 lanes at 940 MHz per core
        // = 7.5 us; memory moves 2 x 0.8 MB at 900 GB/s = 1.8 us.
        const Layer l = conv(OpKind::DepthwiseConv, {1, 56, 56, 128}, 128, 3, 128);
        const auto g = predictGroups(tpuv3(), {l}, Dtype::Bf16);
        QCOMPARE(g[0].bound, Bound::Vector);
        QCOMPARE(g[0].usefulMacs, 0.0);
        const double expected = double(l.macs) * 2 / (1024 * 940e6);
        QVERIFY(qAbs(g[0].vectorSeconds / expected - 1.0) < 1e-4);  // profile rounds to 0.1 Gop/s
        QVERIFY(g[0].memorySeconds < g[0].vectorSeconds);
    }

    void depthwiseOn32ChannelsWastesLanes() {
        // 32 channels fill 32 of 128 lanes: the vector unit issues 4x the useful work.
        const Layer l = conv(OpKind::DepthwiseConv, {1, 56, 56, 32}, 32, 3, 32);
        const auto g = predictGroups(tpuv3(), {l}, Dtype::Bf16);
        QCOMPARE(g[0].issuedVectorOps / g[0].vectorOps, 4.0);
    }

    void tinyLayerIsOverheadBound() {
        // The SE reduce of EfficientNet-B0's first block: 32 -> 8 on a 1x1 map.
        const Layer l = conv(OpKind::SeReduce, {1, 1, 1, 32}, 8, 1);
        const auto g = predictGroups(tpuv3(), {l}, Dtype::Bf16);
        QCOMPARE(g[0].bound, Bound::Overhead);
        QVERIFY(g[0].seconds < 1.2e-6);
    }

    void swishIsFreeAfterMatrixBoundConvButNotAfterDepthwise() {
        const Shape big{2, 28, 28, 512};
        const Layer pw = conv(OpKind::PointwiseConv, big, 512, 1);
        const Layer act = elementwise(OpKind::Act, pw.out, Activation::Swish);
        const auto withConv = predictGroups(tpuv3(), {pw, act}, Dtype::Bf16);
        const auto convAlone = predictGroups(tpuv3(), {pw}, Dtype::Bf16);
        QCOMPARE(withConv.size(), size_t(1));  // fused into the producer
        QCOMPARE(withConv[0].bound, Bound::Matrix);
        QCOMPARE(withConv[0].seconds, convAlone[0].seconds);

        const Layer dw = conv(OpKind::DepthwiseConv, big, 512, 3, 512);
        const Layer dwAct = elementwise(OpKind::Act, dw.out, Activation::Swish);
        const auto withDw = predictGroups(tpuv3(), {dw, dwAct}, Dtype::Bf16);
        const auto dwAlone = predictGroups(tpuv3(), {dw}, Dtype::Bf16);
        QCOMPARE(withDw.size(), size_t(1));
        QVERIFY(withDw[0].seconds > dwAlone[0].seconds * 1.1);
    }

    void fusionRuleNoneSplitsTheGroup() {
        Profile p = tpuv3();
        p.runtime.fusion[int(OpKind::Act)] = FusionRule::None;
        const Layer pw = conv(OpKind::PointwiseConv, {1, 28, 28, 128}, 128, 1);
        const Layer act = elementwise(OpKind::Act, pw.out);
        const auto g = predictGroups(p, {pw, act}, Dtype::Bf16);
        QCOMPARE(g.size(), size_t(2));
        QCOMPARE(g[1].firstLayer, 1);
        // The unfused act reads and writes the feature map.
        QCOMPARE(g[1].bytes, 2.0 * pw.out.elements() * 2);
    }

    void batchSplitsOverTensorCores() {
        // TPUv3 has 2 TensorCores: batch 2 takes as long as batch 1 on the matrix unit.
        const Layer one = conv(OpKind::PointwiseConv, {1, 56, 56, 128}, 128, 1);
        const Layer two = conv(OpKind::PointwiseConv, {2, 56, 56, 128}, 128, 1);
        const auto g1 = predictGroups(tpuv3(), {one}, Dtype::Bf16);
        const auto g2 = predictGroups(tpuv3(), {two}, Dtype::Bf16);
        QCOMPARE(g1[0].matrixSeconds, g2[0].matrixSeconds);
    }

    void fp32TakesThreePassesOnTheMxu() {
        const Layer l = conv(OpKind::PointwiseConv, {2, 56, 56, 128}, 128, 1);
        const auto bf = predictGroups(tpuv3(), {l}, Dtype::Bf16);
        const auto fp = predictGroups(tpuv3(), {l}, Dtype::Fp32);
        QVERIFY(qAbs(fp[0].matrixSeconds / bf[0].matrixSeconds - 123.0 / 41.0) < 1e-9);
        QVERIFY_THROWS_EXCEPTION(ArchError, predictGroups(tpuv3(), {l}, Dtype::Fp16));
    }

    // TF32 Tensor Cores: fp32 storage (4 bytes, like fp32) at the TF32 rate (between fp32 CUDA
    // cores and fp16 Tensor Cores on an A100), so a conv-heavy network lands between the two.
    void tf32BetweenFp32AndFp16() {
        const Profile a100 = loadProfile("a100");
        const auto layers = expandLayers(buildNetwork(resolveModel("resnet-50")), 64);
        const double fp16 = predictNetwork(a100, layers, Dtype::Fp16).latencySeconds;
        const double tf32 = predictNetwork(a100, layers, Dtype::Tf32).latencySeconds;
        const double fp32 = predictNetwork(a100, layers, Dtype::Fp32).latencySeconds;
        QVERIFY2(fp16 < tf32 && tf32 < fp32, qPrintable(QString("fp16 %1 tf32 %2 fp32 %3 ms")
                                                            .arg(fp16 * 1e3)
                                                            .arg(tf32 * 1e3)
                                                            .arg(fp32 * 1e3)));
        // One matrix-bound layer: the time scales with the peak, 312 / 156 TFLOP/s.
        const Layer l = conv(OpKind::Conv, {64, 56, 56, 256}, 256, 3);
        const auto g16 = predictGroups(a100, {l}, Dtype::Fp16);
        const auto g32 = predictGroups(a100, {l}, Dtype::Tf32);
        QVERIFY(qAbs(g32[0].matrixSeconds / g16[0].matrixSeconds - 2.0) < 1e-9);
        // Memory moves fp32 tensors: twice the fp16 bytes.
        QCOMPARE(g32[0].bytes, 2 * g16[0].bytes);
    }

    void tf32RefusedWithoutTf32TensorCores() {
        const Profile t4 = loadProfile("t4");  // Turing: fp16 Tensor Cores only
        const auto layers = expandLayers(buildNetwork(resolveModel("efficientnet-b0")), 1);
        QVERIFY(predictNetwork(t4, layers, Dtype::Fp16).latencySeconds > 0.0);
        try {
            predictNetwork(t4, layers, Dtype::Tf32);
            QFAIL("expected an ArchError");
        } catch (const ArchError& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find("tf32") != std::string::npos, msg.c_str());
            QVERIFY2(msg.find("choose --dtype fp16, fp32") != std::string::npos, msg.c_str());
        }
    }

    void gpuWaveQuantization() {
        // V100: 80 SMs. 1x1 conv, M = 64*64 = 4096 rows, N = 128: with 128x128 tiles 32 tiles
        // fill 32 of 80 SMs in one wave; smaller tiles are picked if faster.
        const Profile v100 = loadProfile("v100");
        const Layer l = conv(OpKind::PointwiseConv, {1, 64, 64, 128}, 128, 1);
        const MatrixTiling t = matrixTiling(v100, l, Dtype::Fp16);
        const int64_t tiles = (4096 + t.tileM - 1) / t.tileM * ((128 + t.tileN - 1) / t.tileN);
        QCOMPARE(t.tiles, tiles);
        QCOMPARE(t.waves, (tiles + 79) / 80);
        const double perSm = 125e12 / 2 / 80;
        QVERIFY(qAbs(t.seconds - double(t.waves) * t.tileM * t.tileN * 128 / perSm) < 1e-15);
    }

    void fastPathMatchesDetailed_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("batch");
        for (const auto& p : listProfiles()) {
            for (const char* m : {"efficientnet-b0", "efficientnet-x-tpu-b3", "resnet-50"}) {
                for (int b : {1, 3}) {
                    QTest::addRow("%s/%s/%d", p.c_str(), m, b)
                        << QString::fromStdString(p) << QString(m) << b;
                }
            }
        }
    }
    void fastPathMatchesDetailed() {
        QFETCH(QString, profile);
        QFETCH(QString, model);
        QFETCH(int, batch);
        const Profile p = loadProfile(profile.toStdString());
        const auto layers = expandLayers(buildNetwork(*zooSpec(model.toStdString())), batch);
        const auto groups = predictGroups(p, layers, p.defaultDtype);
        const NetworkPrediction fast = predictNetwork(p, layers, p.defaultDtype);
        const NetworkPrediction slow = summarize(groups, batch, p.runtime.perStepSeconds);
        QCOMPARE(fast.groups, slow.groups);
        QVERIFY(qAbs(fast.latencySeconds - slow.latencySeconds) < 1e-12);
        QCOMPARE(fast.batch, batch);
        QVERIFY(fast.latencySeconds > 0.0);
        // Groups cover every layer exactly once, in order (a pad copy runs before its op and
        // covers no layer of its own).
        int next = 0;
        for (const auto& g : groups) {
            if (g.padCopy) {
                QCOMPARE(g.anchorLayer, next);
                QVERIFY(layers[size_t(g.anchorLayer)].asymmetricPadding);
                continue;
            }
            QCOMPARE(g.firstLayer, next);
            QVERIFY(g.anchorLayer >= g.firstLayer && g.anchorLayer <= g.lastLayer);
            QVERIFY(g.matrixUtilization <= 1.0 + 1e-9);
            QVERIFY(g.vectorUtilization <= 1.0 + 1e-9);
            QVERIFY(g.memoryUtilization <= 1.0 + 1e-9);
            next = g.lastLayer + 1;
        }
        QCOMPARE(next, int(layers.size()));
    }

    void freeParametersChangeThePrediction() {
        Profile p = tpuv3();
        const auto layers = expandLayers(buildNetwork(*zooSpec("efficientnet-b0")), 1);
        const double before = predictNetwork(p, layers, Dtype::Bf16).latencySeconds;
        QCOMPARE(freeParameter(p, "overhead.per_fused_op"), 1.0);
        setFreeParameter(p, "overhead.per_fused_op", 0.0);
        setFreeParameter(p, "vector.efficiency", 0.5);
        QCOMPARE(freeParameter(p, "vector.efficiency"), 0.5);
        QVERIFY(predictNetwork(p, layers, Dtype::Bf16).latencySeconds != before);
        QVERIFY_THROWS_EXCEPTION(ArchError, setFreeParameter(p, "memory.bandwidth", 1.0));
        QVERIFY_THROWS_EXCEPTION(ArchError, setFreeParameter(p, "matrix.efficiency", -1.0));
        const auto& names = freeParameterNames();
        for (const char* n :
             {"overhead.per_step", "efficiency.depthwise_conv", "efficiency.pool_se"})
            QVERIFY2(std::find(names.begin(), names.end(), n) != names.end(), n);
        // Runtime parameters live with the runtime, hardware ones with the profile.
        setFreeParameter(p, "efficiency.depthwise_conv", 0.5);
        QCOMPARE(p.runtime.efficiency[size_t(OpClass::DepthwiseConv)], 0.5);
        QVERIFY(isRuntimeParameter("overhead.per_step"));
        QVERIFY(!isRuntimeParameter("memory.efficiency"));
    }

    void explainNamesTheNumbers() {
        const Layer l = conv(OpKind::PointwiseConv, {1, 56, 56, 8}, 128, 1);
        const std::vector<Layer> layers{l};
        const auto g = predictGroups(tpuv3(), layers, Dtype::Bf16);
        const std::string text = explainText(explainGroup(tpuv3(), layers, g[0], Dtype::Bf16));
        QVERIFY2(text.find("8 (padded to 128)") != std::string::npos, text.c_str());
        QVERIFY(text.find("tile utilization") != std::string::npos);
        QVERIFY(text.find("6.2 %") != std::string::npos);
        QVERIFY2(text.find("per kernel window") != std::string::npos, text.c_str());
        // The stem says its window is folded into the contraction.
        const std::vector<Layer> stem{conv(OpKind::Conv, {1, 112, 112, 3}, 32, 3)};
        const std::string folded = explainText(
            explainGroup(tpuv3(), stem, predictGroups(tpuv3(), stem, Dtype::Bf16)[0], Dtype::Bf16));
        QVERIFY2(folded.find("27 (padded to 128)") != std::string::npos, folded.c_str());
        QVERIFY2(folded.find("folded into K") != std::string::npos, folded.c_str());
        // On TPUv4i the second op names its on-chip read.
        const Layer a = conv(OpKind::PointwiseConv, {1, 28, 28, 128}, 128, 1);
        const std::vector<Layer> chain{a, conv(OpKind::PointwiseConv, a.out, 128, 1)};
        const auto gc = predictGroups(tpuv4i(), chain, Dtype::Bf16);
        const std::string cmem = explainText(explainGroup(tpuv4i(), chain, gc[1], Dtype::Bf16));
        QVERIFY2(cmem.find("from on-chip memory") != std::string::npos, cmem.c_str());
        QCOMPARE(groupOfLayer(g, 0), 0);
        QCOMPARE(groupOfLayer(g, 5), -1);
    }
};

QTEST_GUILESS_MAIN(TestHwModel)
#include "tst_hw_model.moc"
