// Latency measurement: statistics, the context stored with every figure, per-stage times named
// like the IR, and clear ArchErrors (never a crash) for what cannot run here. No timing is
// asserted: speed belongs to bench/.
#include <QtTest>

#include "arch/blockstring.h"
#include "arch/error.h"
#include "torch/measure.h"
#include "torch/memoryestimate.h"
#include "torch/torchnetwork.h"
#include "zoo/zoo.h"

using namespace archscope;

namespace {

Network tinyNetwork() {
    NetworkSpec spec;
    spec.name = "tiny";
    spec.blocks = parseBlockStrings({"r1_k3_s11_e1_i8_o8_se0.25", "r1_k3_s22_e4_i8_o16_f1"});
    spec.scaling.resolution = 32;
    spec.stem.filters = 8;
    spec.headFilters = 32;
    spec.numClasses = 10;
    return buildNetwork(spec);
}

template <typename F>
QString archErrorOf(F&& f) {
    try {
        f();
    } catch (const ArchError& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

}  // namespace

class TestTorchMeasure : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void percentilesInterpolate() {
        const LatencyStats s = summarizeLatencies({10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
        QCOMPARE(s.reps, 10);
        QCOMPARE(s.medianMs, 5.5);
        QVERIFY(qFuzzyCompare(s.p10Ms, 1.9));
        QVERIFY(qFuzzyCompare(s.p90Ms, 9.1));
        QCOMPARE(s.minMs, 1.0);
        QCOMPARE(s.meanMs, 5.5);
        QCOMPARE(summarizeLatencies({}).reps, 0);
    }

    void measuresWithContextAndStages() {
        MeasureOptions m;
        m.warmup = 1;
        m.reps = 5;
        m.threads = 1;
        m.perLayer = true;
        const Network net = tinyNetwork();
        const Measurement r = measureNetwork(net, TorchOptions{}, m);
        QCOMPARE(r.model, std::string("tiny"));
        QVERIFY(r.params > 0);
        QCOMPARE(r.eager.reps, 5);
        QVERIFY(r.eager.p10Ms > 0.0);
        QVERIFY(r.eager.p10Ms <= r.eager.medianMs && r.eager.medianMs <= r.eager.p90Ms);
        QVERIFY(!r.graph.has_value());
        QVERIFY(!r.graphNote.empty());
        // The shared defaults: wall clock, the median as the headline, a steady heap.
        QCOMPARE(int(r.context.clock), int(TimingClock::Wall));
        QCOMPARE(r.latencyMs, r.eager.medianMs);
        QCOMPARE(r.eagerWall.medianMs, r.eager.medianMs);
        QVERIFY(r.context.steadyAllocator ||
                ARCHSCOPE_TESTS_SANITIZED);  // ASan replaces malloc: mallopt has nothing to pin
        QCOMPARE(r.context.reps, 5);

        // Thread CPU time at one thread, p10 as the headline.
        MeasureOptions cpu = m;
        cpu.clock = TimingClock::ThreadCpu;
        cpu.statistic = TimingStatistic::P10;
        cpu.perLayer = false;
        const Measurement t = measureNetwork(net, TorchOptions{}, cpu);
        QCOMPARE(int(t.context.clock), int(TimingClock::ThreadCpu));
        QCOMPARE(t.latencyMs, t.eager.p10Ms);
        QVERIFY(t.eagerWall.medianMs > 0.0);
        // More than one thread: the thread's CPU time is not the latency, so the wall clock is
        // used.
        cpu.threads = 2;
        QCOMPARE(int(measureNetwork(net, TorchOptions{}, cpu).context.clock),
                 int(TimingClock::Wall));
        const MeasureContext& c = r.context;
        QVERIFY(!c.device.empty());
        QCOMPARE(c.deviceKind, std::string("cpu"));
        QVERIFY(c.libtorchVersion.rfind("1.", 0) == 0 || c.libtorchVersion.rfind("2.", 0) == 0);
        QCOMPARE(c.threads, 1);
        QCOMPARE(c.dtype, std::string("fp32"));
        QCOMPARE(c.batch, 1);
        QCOMPARE(c.resolution, 32);
        QCOMPARE(c.timestamp.size(), size_t(20));
        QCOMPARE(r.layers.size(), size_t(4));
        QCOMPARE(r.layers[0].name, std::string("stem"));
        QCOMPARE(r.layers[1].name, std::string("block0"));
        QCOMPARE(r.layers[2].name, std::string("block1"));
        QCOMPARE(r.layers[3].name, std::string("head"));
        for (const auto& l : r.layers) QVERIFY(l.medianMs > 0.0);
    }

    void unsupportedDtypeOnCpu() {
        TorchOptions opts;
        opts.dtype = TorchDtype::Float16;
        const QString msg = archErrorOf([&] { measureNetwork(tinyNetwork(), opts, {}); });
        QVERIFY2(msg.contains("fp16") && msg.contains("CUDA only"), qPrintable(msg));
    }

    void missingCudaDevice() {
        if (cudaAvailable()) QSKIP("a CUDA device is present");
        TorchOptions opts;
        opts.device = TorchDevice::Cuda;
        const QString msg = archErrorOf([&] { measureNetwork(tinyNetwork(), opts, {}); });
        QVERIFY2(msg.contains("no CUDA device"), qPrintable(msg));
    }

    void tooLargeIsRefusedBeforeAllocating() {
        TorchOptions opts;
        opts.batch = 65536;  // the largest batch accepted; EfficientNet-B7 at 600 px: terabytes
        const QString msg = archErrorOf(
            [&] { measureNetwork(buildNetwork(*zooSpec("efficientnet-b7")), opts, {}); });
        QVERIFY2(msg.contains("GiB") && msg.contains("available") && msg.contains("--batch"),
                 qPrintable(msg));
        // With a known budget the refusal is deterministic.
        const Network net = tinyNetwork();
        const MemoryEstimate e = estimateInferenceMemory(net, TorchOptions{});
        QVERIFY(e.weightBytes > 0 && e.activationBytes > 0);
        QVERIFY_THROWS_EXCEPTION(ArchError, checkFitsInMemory(net, {}, e.total() - 1, "RAM"));
        checkFitsInMemory(net, {}, e.total(), "RAM");
        checkFitsInMemory(net, {}, std::nullopt, "RAM");
    }

    void tightestBudgetNamesTheBindingLimit_data() {
        QTest::addColumn<qint64>("ram");
        QTest::addColumn<qint64>("asLimit");  // -1: unlimited
        QTest::addColumn<qint64>("asUsed");
        QTest::addColumn<qint64>("dataLimit");
        QTest::addColumn<qint64>("dataUsed");
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("name");
        const qint64 G = qint64(1) << 30;
        QTest::newRow("no limits") << 20 * G << -1LL << G << -1LL << G << 20 * G << "MemAvailable";
        QTest::newRow("ulimit -v binds")
            << 20 * G << 4 * G << G << -1LL << G << 3 * G << "ulimit -v";
        QTest::newRow("ulimit -v loose")
            << 2 * G << 64 * G << G << -1LL << G << 2 * G << "MemAvailable";
        QTest::newRow("ulimit -d binds")
            << 20 * G << 8 * G << G << 3 * G << G << 2 * G << "ulimit -d";
        QTest::newRow("over the limit already")
            << 20 * G << G << 2 * G << -1LL << 0LL << 0LL << "ulimit -v";
    }
    void tightestBudgetNamesTheBindingLimit() {
        QFETCH(qint64, ram);
        QFETCH(qint64, asLimit);
        QFETCH(qint64, asUsed);
        QFETCH(qint64, dataLimit);
        QFETCH(qint64, dataUsed);
        QFETCH(qint64, bytes);
        QFETCH(QString, name);
        ProcessMemory m;
        m.memAvailable = ram;
        if (asLimit >= 0) m.addressSpaceLimit = asLimit;
        m.addressSpaceUsed = asUsed;
        if (dataLimit >= 0) m.dataLimit = dataLimit;
        m.dataUsed = dataUsed;
        const auto budget = tightestBudget(m);
        QVERIFY(budget);
        QCOMPARE(qint64(budget->bytes), bytes);
        QVERIFY2(QString::fromStdString(budget->name).contains(name), budget->name.c_str());
        QVERIFY(!tightestBudget(ProcessMemory{}));
        // This process: the reading is consistent with the limits it runs under.
        const ProcessMemory self = readProcessMemory();
        QVERIFY(self.addressSpaceUsed > 0);
    }

    void badRepsAreArchErrors() {
        MeasureOptions m;
        m.reps = 0;
        QVERIFY_THROWS_EXCEPTION(ArchError, measureNetwork(tinyNetwork(), {}, m));
    }
};

QTEST_GUILESS_MAIN(TestTorchMeasure)
#include "tst_torch_measure.moc"
