// Calibration without measuring: "measurements" are generated from a profile whose parameters
// are known, and the fit must find them again. Also: agreement statistics, the profile writer's
// round trip and its errors.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "arch/error.h"
#include "arch/expand.h"
#include "hw/calibrate.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "hw/profile_writer.h"
#include "search/sampler.h"
#include "search/space.h"
#include "zoo/zoo.h"

using namespace archscope;

namespace {

/// Samples "measured" with `truth`: totals and per-stage times exactly as the model predicts.
std::vector<CalibrationSample> syntheticSamples(const Profile& truth, int batch, Dtype dtype) {
    std::vector<NetworkSpec> specs;
    for (const char* m : {"efficientnet-b0", "efficientnet-x-tpu-b0", "mobilenet-v2", "resnet-50"})
        specs.push_back(*zooSpec(m));
    const SearchSpace space = loadSearchSpace("efficientnet-x");
    SplitMix64 rng(7);
    for (int i = 0; i < 4; ++i) {
        specs.push_back(
            decodeCandidate(space, randomCandidate(space, rng), "r" + std::to_string(i)));
    }
    std::vector<CalibrationSample> out;
    for (const auto& spec : specs) {
        const Network net = buildNetwork(spec);
        CalibrationSample s;
        s.name = spec.name;
        s.layers = expandLayers(net, batch);
        s.measuredMs = predictNetwork(truth, s.layers, dtype).latencySeconds * 1e3;
        s.stages.push_back({"stem", 1.0});
        for (size_t b = 0; b < net.blocks.size(); ++b)
            s.stages.push_back({"block" + std::to_string(b), 1.0});
        s.stages.push_back({"head", 1.0});
        const auto stages = predictStagesMs(truth, s, dtype);
        for (size_t i = 0; i < stages.size(); ++i) s.stages[i].measuredMs = stages[i];
        out.push_back(std::move(s));
    }
    return out;
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const ArchError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

class TestHwCalibrate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stageNames() {
        QCOMPARE(stageBlockIndex("stem"), -1);
        QCOMPARE(stageBlockIndex("head"), -2);
        QCOMPARE(stageBlockIndex("block0"), 0);
        QCOMPARE(stageBlockIndex("block15"), 15);
        QCOMPARE(stageBlockIndex("blockx"), -3);
        QCOMPARE(stageBlockIndex("block"), -3);
        QCOMPARE(stageBlockIndex("pool"), -3);
    }

    void stagesSumToTheNetwork_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("model");
        QTest::newRow("cpu b0") << "cpu"
                                << "efficientnet-b0";
        QTest::newRow("cpu resnet") << "cpu"
                                    << "resnet-50";
        QTest::newRow("tpuv3 x-b0") << "tpuv3"
                                    << "efficientnet-x-tpu-b0";
        // TPUv4i's CMEM: the fast model splits memory into off-chip and on-chip parts.
        QTest::newRow("tpuv4i b0") << "tpuv4i"
                                   << "efficientnet-b0";
        QTest::newRow("tpuv4i x-b0") << "tpuv4i"
                                     << "efficientnet-x-tpu-b0";
        QTest::newRow("v100 mobilenet") << "v100"
                                        << "mobilenet-v2";
    }
    void stagesSumToTheNetwork() {
        QFETCH(QString, profile);
        QFETCH(QString, model);
        const Profile p = loadProfile(profile.toStdString());
        const Network net = buildNetwork(*zooSpec(model.toStdString()));
        CalibrationSample s;
        s.layers = expandLayers(net, 2);
        s.stages.push_back({"stem", 1.0});
        for (size_t b = 0; b < net.blocks.size(); ++b)
            s.stages.push_back({"block" + std::to_string(b), 1.0});
        s.stages.push_back({"head", 1.0});
        double sum = 0.0;
        for (double v : predictStagesMs(p, s, p.defaultDtype)) {
            QVERIFY(v > 0.0);
            sum += v;
        }
        const double total = predictNetwork(p, s.layers, p.defaultDtype).latencySeconds * 1e3;
        QVERIFY2(std::abs(sum - total) < 1e-9 * total, qPrintable(QString::number(sum)));
    }

    /// The fit finds known parameters again from exact synthetic measurements.
    void recoversKnownParameters_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<int>("batch");
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<QList<double>>("truth");
        QTest::addColumn<double>("stageWeight");
        QTest::newRow("cpu, defaults, totals + stages")
            << "cpu" << 1
            << QStringList{"matrix.efficiency",
                           "memory.efficiency",
                           "overhead.per_fused_op",
                           "memory.overlap",
                           "vector.ops_per_element.depthwise_mac",
                           "vector.ops_per_element.swish"}
            << QList<double>{0.45, 0.6, 7.5, 0.4, 10.0, 80.0} << 0.5;
        QTest::newRow("cpu, weight bandwidth")
            << "cpu" << 1
            << QStringList{"matrix.efficiency", "memory.efficiency", "memory.weight_bandwidth",
                           "overhead.per_fused_op", "memory.overlap"}
            << QList<double>{0.5, 0.8, 6.5, 8.0, 0.35} << 0.5;
        QTest::newRow("cpu, bandwidth and vector")
            << "cpu" << 1
            << QStringList{"matrix.efficiency", "memory.bandwidth", "overhead.per_fused_op",
                           "vector.efficiency", "vector.ops_per_element.swish"}
            << QList<double>{0.5, 45.0, 3.0, 0.5, 30.0} << 0.5;
        QTest::newRow("cpu, totals only")
            << "cpu" << 1
            << QStringList{"matrix.efficiency", "memory.efficiency", "overhead.per_fused_op"}
            << QList<double>{0.3, 0.7, 12.0} << 0.0;
        QTest::newRow("tpuv3, batch 8") << "tpuv3" << 8
                                        << QStringList{"matrix.efficiency", "vector.efficiency",
                                                       "memory.efficiency", "overhead.per_fused_op"}
                                        << QList<double>{0.7, 0.55, 0.8, 3.0} << 0.5;
        // A fitted HBM bandwidth must scale only the off-chip bytes, not the CMEM reads.
        QTest::newRow("tpuv4i, batch 16, HBM bandwidth")
            << "tpuv4i" << 16
            << QStringList{"matrix.efficiency", "vector.efficiency", "memory.bandwidth",
                           "overhead.per_fused_op"}
            << QList<double>{0.7, 0.55, 300.0, 3.0} << 0.5;
    }
    void recoversKnownParameters() {
        QFETCH(QString, profile);
        QFETCH(int, batch);
        QFETCH(QStringList, names);
        QFETCH(QList<double>, truth);
        QFETCH(double, stageWeight);
        const Profile base = loadProfile(profile.toStdString());
        Profile truthProfile = base;
        FitOptions opts;
        opts.dtype = base.defaultDtype;
        opts.stageWeight = stageWeight;
        opts.priorWeight = 0.0;  // exact data: nothing to regularize
        for (int i = 0; i < names.size(); ++i) {
            setFittableParameter(truthProfile, names[i].toStdString(), truth[i]);
            opts.parameters.push_back(names[i].toStdString());
        }
        const auto samples = syntheticSamples(truthProfile, batch, opts.dtype);
        const FitResult r = fitProfile(base, samples, opts);
        QVERIFY(r.finalObjective < r.initialObjective);
        QVERIFY2(r.meanAbsErrorPercent < 0.5, qPrintable(QString::number(r.meanAbsErrorPercent)));
        QCOMPARE(int(r.parameters.size()), names.size());
        for (int i = 0; i < names.size(); ++i) {
            const double got = fittableParameter(r.profile, names[i].toStdString());
            QVERIFY2(std::abs(got / truth[i] - 1.0) < 0.02,
                     qPrintable(names[i] + ": got " + QString::number(got) + ", truth " +
                                QString::number(truth[i])));
            QCOMPARE(r.parameters[size_t(i)].fitted, got);
        }
        // The fitted profile says so.
        for (const auto& p : r.profile.parameters) {
            if (names.contains(QString::fromStdString(p.path))) {
                QVERIFY(!p.assumption);
                QCOMPARE(QString::fromStdString(p.source), QString("calibrated"));
            }
        }
    }

    /// Measurements twice as fast as the profile's peaks allow would want efficiencies of 2 and
    /// a bandwidth above the datasheet's; the fit stops at the bounds instead.
    void fitStaysInsideBounds_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QStringList>("names");
        QTest::newRow("cpu, defaults") << "cpu" << QStringList{};
        QTest::newRow("h100, efficiencies and bandwidths")
            << "h100"
            << QStringList{"matrix.efficiency", "vector.efficiency",       "memory.efficiency",
                           "memory.bandwidth",  "memory.weight_bandwidth", "memory.overlap"};
    }
    void fitStaysInsideBounds() {
        QFETCH(QString, profile);
        QFETCH(QStringList, names);
        const Profile base = loadProfile(profile.toStdString());
        FitOptions opts;
        opts.dtype = base.defaultDtype;
        for (const auto& n : names) opts.parameters.push_back(n.toStdString());
        auto samples = syntheticSamples(base, 1, opts.dtype);
        for (auto& s : samples) {
            s.measuredMs *= 0.5;
            for (auto& st : s.stages) st.measuredMs *= 0.5;
        }
        const FitResult r = fitProfile(base, samples, opts);
        QVERIFY(!r.parameters.empty());
        // Deterministic: the same data gives the same values.
        const FitResult again = fitProfile(base, samples, opts);
        for (size_t i = 0; i < r.parameters.size(); ++i)
            QCOMPARE(again.parameters[i].fitted, r.parameters[i].fitted);
        for (const auto& p : r.parameters) {
            const ParameterBounds b = fitBounds(base, p.name);
            QVERIFY2(
                p.fitted >= b.lo && p.fitted <= b.hi,
                qPrintable(QString::fromStdString(p.name) + " = " + QString::number(p.fitted)));
            QCOMPARE(fittableParameter(r.profile, p.name), p.fitted);
        }
        QVERIFY(r.profile.matrix.efficiency <= 1.0 && r.profile.memory.efficiency <= 1.0 &&
                r.profile.vector.efficiency <= 1.0);
        // The data really pushed: the peak-rate efficiency sits at its bound of 1.
        QCOMPARE(r.profile.matrix.efficiency, 1.0);
        QVERIFY(r.profile.memory.bandwidthBytesPerSecond <=
                base.memory.bandwidthBytesPerSecond * (profile == "cpu" ? 10.0 : 1.0));
    }

    void boundsOfParameters() {
        const Profile h100 = loadProfile("h100"), cpu = loadProfile("cpu");
        QCOMPARE(fitBounds(h100, "matrix.efficiency").hi, 1.0);
        QVERIFY(fitBounds(h100, "memory.efficiency").lo > 0.0);
        QCOMPARE(fitBounds(h100, "memory.overlap").lo, 0.0);
        QCOMPARE(fitBounds(h100, "memory.overlap").hi, 1.0);
        QVERIFY(fitBounds(h100, "overhead.per_fused_op").lo >= 0.0);
        // A datasheet bandwidth is a ceiling; the CPU profile's is an assumption a cache beats.
        QCOMPARE(fitBounds(h100, "memory.bandwidth").hi, 3350.0);
        QCOMPARE(fitBounds(h100, "memory.weight_bandwidth").hi, 3350.0);
        QCOMPARE(fitBounds(cpu, "memory.bandwidth").hi, 200.0);
        QVERIFY_THROWS_EXCEPTION(ArchError, fitBounds(cpu, "matrix.speed"));
        // A fraction of peak cannot exceed 1.
        Profile p = cpu;
        setFittableParameter(p, "memory.efficiency", 1.0);
        QVERIFY(!errorOf([&] { setFittableParameter(p, "memory.efficiency", 1.16); }).empty());
        QVERIFY(!errorOf([&] { setFittableParameter(p, "matrix.efficiency", 0.0); }).empty());
        QCOMPARE(p.memory.efficiency, 1.0);
    }

    /// memory.overlap: 1 is the roofline's max(compute, memory), 0 adds them; the file may omit
    /// it (1), must keep it in [0, 1], and the writer lists it once it is set.
    void memoryOverlap() {
        Profile p = loadProfile("cpu");
        QCOMPARE(p.memory.overlap, 1.0);
        const auto layers = expandLayers(buildNetwork(*zooSpec("efficientnet-b0")), 1);
        const auto full = predictGroups(p, layers, Dtype::Fp32);
        setFittableParameter(p, "memory.overlap", 0.0);
        const auto none = predictGroups(p, layers, Dtype::Fp32);
        for (size_t i = 0; i < full.size(); ++i) {
            const auto& g = none[i];
            const double compute = g.matrixSeconds + g.vectorSeconds;  // CPU: shared units
            QVERIFY(std::abs(g.seconds - (compute + g.memorySeconds + g.overheadSeconds)) <
                    1e-15 + 1e-12 * g.seconds);
            QVERIFY(g.seconds >= full[i].seconds);
        }
        QTemporaryDir dir;
        const std::string path = dir.filePath("overlap.json").toStdString();
        setFittableParameter(p, "memory.overlap", 0.25, "calibrated here");
        saveProfile(p, path);
        QCOMPARE(loadProfile(path).memory.overlap, 0.25);
        nlohmann::json j;
        std::ifstream(path) >> j;
        j["memory"]["overlap"]["value"] = 1.5;
        const std::string e = errorOf([&] { profileFromJson(j, "x.json"); });
        QVERIFY2(e.find("memory.overlap") != std::string::npos, e.c_str());
        QVERIFY(!errorOf([&] { setFittableParameter(p, "memory.overlap", -0.1); }).empty());
    }

    /// memory.weight_bandwidth: weights stream at their own rate; unset, they follow the
    /// bandwidth (every shipped profile predicts as before).
    void weightBandwidth() {
        Profile p = loadProfile("cpu");
        QCOMPARE(p.memory.weightBandwidthBytesPerSecond, 0.0);
        const auto layers = expandLayers(buildNetwork(*zooSpec("efficientnet-b0")), 1);
        const double before = predictNetwork(p, layers, Dtype::Fp32).latencySeconds;
        setFittableParameter(p, "memory.weight_bandwidth", 20.0);  // = the bandwidth
        QVERIFY(std::abs(predictNetwork(p, layers, Dtype::Fp32).latencySeconds / before - 1.0) <
                1e-12);
        setFittableParameter(p, "memory.weight_bandwidth", 2.0);
        const auto groups = predictGroups(p, layers, Dtype::Fp32);
        const Layer& fc = layers.back();
        QCOMPARE(fc.kind, OpKind::FullyConnected);
        // The FC at batch 1 is all weights: 1280 x 1000 + 1000 fp32 at 2 GB/s.
        QVERIFY(std::abs(groups.back().memorySeconds -
                         (double(fc.params) * 4 / 2e9 +
                          double(fc.inputElements + fc.outputElements) * 4 / 20e9)) < 1e-9);
        QTemporaryDir dir;
        const std::string path = dir.filePath("w.json").toStdString();
        saveProfile(p, path);
        QCOMPARE(loadProfile(path).memory.weightBandwidthBytesPerSecond, 2e9);
    }

    void fitErrors() {
        const Profile cpu = loadProfile("cpu");
        QVERIFY(errorOf([&] { fitProfile(cpu, {}, FitOptions{}); }).find("at least one") !=
                std::string::npos);
        CalibrationSample s;
        s.name = "b0";
        s.layers = expandLayers(buildNetwork(*zooSpec("efficientnet-b0")), 1);
        s.measuredMs = 0.0;
        QVERIFY(errorOf([&] { fitProfile(cpu, {s}, FitOptions{}); }).find("\"b0\"") !=
                std::string::npos);
        s.measuredMs = 10.0;
        FitOptions o;
        o.parameters = {"matrix.speed"};
        const std::string e = errorOf([&] { fitProfile(cpu, {s}, o); });
        QVERIFY2(e.find("matrix.speed") != std::string::npos &&
                     e.find("vector.ops_per_element.swish") != std::string::npos,
                 e.c_str());
    }

    void agreementShares() {
        const AgreementStats s = compareLatencies({1.05, 2.2, 2.9, 5.0}, {1.0, 2.0, 3.0, 4.0});
        QCOMPARE(s.count, 4);
        QCOMPARE(s.within10, 0.75);  // 5%, 10%, 3.3% in; 25% out
        QCOMPARE(s.within15, 0.75);
        QCOMPARE(s.kendallTau, 1.0);
        QVERIFY(std::abs(s.meanAbsErrorPercent - (5.0 + 10.0 + 10.0 / 3.0 + 25.0) / 4.0) < 1e-9);
        QVERIFY(std::abs(s.medianRatio - (1.05 + 1.1) / 2.0) < 1e-12);
    }

    void profileRoundTrip_data() {
        QTest::addColumn<QString>("name");
        for (const auto& n : listProfiles()) QTest::newRow(n.c_str()) << QString::fromStdString(n);
    }
    void profileRoundTrip() {
        QFETCH(QString, name);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Profile p = loadProfile(name.toStdString());
        setFittableParameter(p, "matrix.efficiency", 0.4321, "calibrated on a test machine");
        setFittableParameter(p, "vector.ops_per_element.swish", 17.5, "calibrated too");
        const std::string path = dir.filePath("round.json").toStdString();
        saveProfile(p, path);
        const Profile back = loadProfile(path);
        QCOMPARE(back.name, p.name);
        QCOMPARE(back.version, p.version);
        QCOMPARE(back.kind, p.kind);
        QCOMPARE(back.parameters.size(), p.parameters.size());
        for (size_t i = 0; i < p.parameters.size(); ++i) {
            const auto &a = p.parameters[i], &b = back.parameters[i];
            QCOMPARE(b.path, a.path);
            QCOMPARE(b.unit, a.unit);
            QCOMPARE(b.source, a.source);
            QCOMPARE(b.assumption, a.assumption);
        }
        QCOMPARE(back.matrix.efficiency, 0.4321);
        QCOMPARE(back.vector.opsPerElement[int(VectorOp::Swish)], 17.5);
        const auto layers = expandLayers(buildNetwork(*zooSpec("efficientnet-b0")), 4);
        QCOMPARE(predictNetwork(back, layers, p.defaultDtype).latencySeconds,
                 predictNetwork(p, layers, p.defaultDtype).latencySeconds);
    }

    void brokenOutputPath() {
        const Profile p = loadProfile("cpu");
        QTemporaryDir dir;
        const std::string missing = dir.filePath("no/such/folder/p.json").toStdString();
        std::string e = errorOf([&] { saveProfile(p, missing); });
        QVERIFY2(
            e.find(missing) != std::string::npos && e.find("does not exist") != std::string::npos,
            e.c_str());
        e = errorOf([&] { saveProfile(p, dir.path().toStdString()); });
        QVERIFY2(e.find("is a folder") != std::string::npos, e.c_str());
        e = errorOf([&] { saveProfile(p, ""); });
        QVERIFY2(e.find("no output path") != std::string::npos, e.c_str());
    }
};

QTEST_GUILESS_MAIN(TestHwCalibrate)
#include "tst_hw_calibrate.moc"
