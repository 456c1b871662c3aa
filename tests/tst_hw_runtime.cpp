// Runtimes: the shipped ones load for every kind they cover, they change predictions the way
// the software they describe does, a broken runtime file is rejected naming file and field, and
// a calibrated profile carries its runtime through a save and a load.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "arch/expand.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "hw/profile_writer.h"
#include "hw/runtime_io.h"
#include "util/resources.h"
#include "zoo/zoo.h"

using namespace archscope;
using nlohmann::json;

namespace {

json shippedRuntime(const std::string& name) {
    std::ifstream in(findResource("runtimes/" + name + ".json"));
    return json::parse(in);
}

std::string errorOf(const json& j, const std::string& kind) {
    try {
        runtimeFromJson(j, "broken.json", kind);
    } catch (const ArchError& e) {
        return e.what();
    }
    return "";
}

std::vector<Layer> b0(int batch) {
    return expandLayers(buildNetwork(*zooSpec("efficientnet-b0")), batch);
}

}  // namespace

class TestHwRuntime : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shippedRuntimesLoad() {
        const auto names = listRuntimes();
        for (const char* n : {"xla", "tensorrt", "pytorch-eager"})
            QVERIFY2(std::find(names.begin(), names.end(), n) != names.end(), n);
        for (const auto& name : names) {
            for (const auto& kind : runtimeKinds(name)) {
                const Runtime r = loadRuntime(name, kind);
                QCOMPARE(r.name, name);
                QCOMPARE(r.kind, kind);
                // Shared fusion rules (+ the padding rule where given), 3 overheads and 5 class
                // efficiencies, each with a source.
                QCOMPARE(int(r.parameters.size()), 5 + int(r.padCopy) + 3 + kOpClassCount);
                for (const auto& p : r.parameters) QVERIFY2(!p.source.empty(), p.path.c_str());
                for (double e : r.efficiency) QVERIFY(e > 0.0 && e <= 1.0);
            }
        }
    }

    void runtimesForAKind() {
        QCOMPARE(runtimesForKind("tpu"), std::vector<std::string>{"xla"});
        QCOMPARE(runtimesForKind("gpu"),
                 (std::vector<std::string>{"pytorch-eager", "tensorrt", "xla"}));
        QVERIFY(runtimesForKind("no-such-kind").empty());
        for (const auto& kind : {"tpu", "gpu", "cpu"}) {
            for (const auto& name : runtimesForKind(kind)) {
                const auto kinds = runtimeKinds(name);
                QVERIFY(std::find(kinds.begin(), kinds.end(), kind) != kinds.end());
            }
        }
    }

    void everyProfileHasItsDefaultRuntime() {
        for (const auto& name : listProfiles()) {
            const Profile p = loadProfile(name);
            QCOMPARE(p.runtime.name, p.defaultRuntime);
            QCOMPARE(p.runtime.kind, p.kind);
        }
        QCOMPARE(loadProfile("tpuv3").defaultRuntime, std::string("xla"));
        QCOMPARE(loadProfile("a100").defaultRuntime, std::string("tensorrt"));
        QCOMPARE(loadProfile("cpu").defaultRuntime, std::string("pytorch-eager"));
    }

    void eagerRunsEveryOpAsAKernel() {
        const Profile trt = loadProfile("a100");
        const Profile eager = withRuntime(trt, "pytorch-eager");
        QCOMPARE(eager.runtime.name, std::string("pytorch-eager"));
        QCOMPARE(eager.fusionOf(OpKind::BatchNorm), FusionRule::None);
        const auto layers = b0(1);
        const NetworkPrediction fused = predictNetwork(trt, layers, Dtype::Fp16);
        const NetworkPrediction unfused = predictNetwork(eager, layers, Dtype::Fp16);
        // No fusion: every BN, activation, SE op and add is a group of its own.
        int elementwise = 0;
        for (const auto& l : layers) elementwise += isElementwise(l.kind);
        QVERIFY(unfused.groups > fused.groups + elementwise / 2);
        QVERIFY(unfused.latencySeconds > fused.latencySeconds);
        // The same name twice is the same runtime; an empty name is the default.
        QCOMPARE(withRuntime(trt, "").runtime.name, std::string("tensorrt"));
        QVERIFY_THROWS_EXCEPTION(ArchError, withRuntime(loadProfile("cpu"), "tensorrt"));
        QVERIFY_THROWS_EXCEPTION(ArchError, withRuntime(trt, "onnx"));
    }

    void asymmetricPaddingCostsACopyInEager() {
        const auto layers = b0(1);
        int asymmetric = 0;
        for (const auto& l : layers) asymmetric += l.asymmetricPadding;
        // B0 at 224 px: the stride-2 convolutions over even sizes (stem and four stages).
        QCOMPARE(asymmetric, 5);
        const Profile cpu = loadProfile("cpu");
        QVERIFY(cpu.runtime.padCopy);
        const auto groups = predictGroups(cpu, layers, Dtype::Fp32);
        int copies = 0;
        for (const auto& g : groups) {
            if (!g.padCopy) continue;
            ++copies;
            const Layer& l = layers[size_t(g.anchorLayer)];
            QVERIFY(l.asymmetricPadding);
            QCOMPARE(g.bytes, 2.0 * double(l.in.elements()) * 4);
            QCOMPARE(g.matrixSeconds, 0.0);
        }
        QCOMPARE(copies, asymmetric);
        // The fused runtimes fold the padding into the kernel.
        for (const auto& g : predictGroups(loadProfile("a100"), layers, Dtype::Fp16))
            QVERIFY(!g.padCopy);
    }

    void classEfficiencyAndStepCost() {
        Profile p = withRuntime(loadProfile("a100"), "pytorch-eager");
        const auto layers = b0(8);
        const auto before = predictGroups(p, layers, Dtype::Fp16);
        const double total = predictNetwork(p, layers, Dtype::Fp16).latencySeconds;
        const double step0 = p.runtime.perStepSeconds;
        setFreeParameter(p, "efficiency.depthwise_conv", 0.5);
        setFreeParameter(p, "overhead.per_step", 100.0);
        const auto after = predictGroups(p, layers, Dtype::Fp16);
        double depthwiseGain = 0.0;
        for (size_t i = 0; i < after.size(); ++i) {
            const double work = before[i].seconds - before[i].overheadSeconds;
            if (after[i].opClass == OpClass::DepthwiseConv) {
                QCOMPARE(after[i].runtimeEfficiency, 0.5);
                const double scaled = work * before[i].runtimeEfficiency / 0.5;
                QVERIFY(std::abs(after[i].seconds - after[i].overheadSeconds - scaled) <
                        1e-12 + 1e-9 * work);
                depthwiseGain += scaled - work;
            } else {
                QCOMPARE(after[i].seconds, before[i].seconds);
            }
        }
        QVERIFY(depthwiseGain > 0.0);
        const NetworkPrediction np = predictNetwork(p, layers, Dtype::Fp16);
        QCOMPARE(np.stepSeconds, 100e-6);
        QVERIFY(std::abs(np.latencySeconds - (total - step0 + depthwiseGain + 100e-6)) < 1e-9);
        // summarize() of the groups agrees when given the step cost.
        QVERIFY(std::abs(summarize(after, 8, p.runtime.perStepSeconds).latencySeconds -
                         np.latencySeconds) < 1e-12);
    }

    void brokenRuntimeNamesFileAndField_data() {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("newValue");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("efficiency above 1") << "/platforms/gpu/efficiency/depthwise_conv/value"
                                            << "1.2"
                                            << "gpu"
                                            << "efficiency.depthwise_conv|at most 1";
        QTest::newRow("no source") << "/platforms/gpu/overhead/per_fused_op/assumption"
                                   << ""
                                   << "gpu"
                                   << "overhead.per_fused_op|source";
        QTest::newRow("bad rule") << "/fusion/add/value"
                                  << "\"sometimes\""
                                  << "gpu"
                                  << "fusion.add|one of";
        QTest::newRow("kind not covered") << "/name"
                                          << "\"pytorch-eager\""
                                          << "tpu"
                                          << "does not run on tpu|cpu, gpu";
        QTest::newRow("odd kind") << "/platforms/fpga"
                                  << "{}"
                                  << "gpu"
                                  << "platforms.fpga";
        QTest::newRow("future format") << "/format_version"
                                       << "9"
                                       << "gpu"
                                       << "format_version";
        QTest::newRow("wrong unit") << "/platforms/cpu/overhead/per_fused_op/unit"
                                    << "\"ms\""
                                    << "cpu"
                                    << "per_fused_op|unit";
    }
    void brokenRuntimeNamesFileAndField() {
        QFETCH(QString, pointer);
        QFETCH(QString, newValue);
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        json j = shippedRuntime("pytorch-eager");
        const json::json_pointer ptr(pointer.toStdString());
        if (newValue.isEmpty()) {
            j[ptr.parent_pointer()].erase(ptr.back());
        } else {
            j[ptr] = json::parse(newValue.toStdString());
        }
        const std::string error = errorOf(j, kind.toStdString());
        QVERIFY2(error.find("broken.json") != std::string::npos ||
                     error.find("pytorch-eager") != std::string::npos,
                 error.c_str());
        for (const auto& part : expected.split('|')) {
            QVERIFY2(error.find(part.toStdString()) != std::string::npos,
                     qPrintable("expected \"" + part + "\" in: " + QString::fromStdString(error)));
        }
    }

    void calibratedProfileCarriesItsRuntime() {
        Profile p = withRuntime(loadProfile("h200"), "pytorch-eager");
        p.name = "my-h200";
        setFreeParameter(p, "efficiency.pool_se", 0.25);
        setFreeParameter(p, "overhead.per_kernel_launch", 7.5);
        QTemporaryDir dir;
        const std::string path = dir.filePath("my-h200.json").toStdString();
        saveProfile(p, path);
        const Profile back = loadProfile(path);
        QCOMPARE(back.defaultRuntime, std::string("pytorch-eager"));
        QCOMPARE(back.runtime.efficiency[size_t(OpClass::PoolSe)], 0.25);
        QVERIFY(std::abs(back.runtime.perKernelLaunchSeconds - 7.5e-6) < 1e-15);
        const auto layers = b0(1);
        QCOMPARE(predictNetwork(back, layers, Dtype::Fp16).latencySeconds,
                 predictNetwork(p, layers, Dtype::Fp16).latencySeconds);
        // Its own runtime by name is the calibrated one; another name loads the shipped one.
        QCOMPARE(withRuntime(back, "pytorch-eager").runtime.perKernelLaunchSeconds,
                 back.runtime.perKernelLaunchSeconds);
        QCOMPARE(withRuntime(back, "tensorrt").runtime.name, std::string("tensorrt"));
    }

    void formatOneProfileKeepsItsRules() {
        // A format-1 file (before runtimes) carried fusion rules and overheads itself.
        std::ifstream in(findResource("profiles/v100.json"));
        json j = json::parse(in);
        j["format_version"] = 1;
        j.erase("default_runtime");
        const json trt = shippedRuntime("tensorrt");
        j["fusion"] = trt["fusion"];
        j["overhead"] = trt["platforms"]["gpu"]["overhead"];
        j["overhead"].erase("per_step");
        const Profile legacy = profileFromJson(j, "old.json");
        QCOMPARE(legacy.runtime.name, std::string("v100-rules"));
        const Profile current = loadProfile("v100");
        const auto layers = b0(16);
        QCOMPARE(predictNetwork(legacy, layers, Dtype::Fp16).latencySeconds,
                 predictNetwork(current, layers, Dtype::Fp16).latencySeconds);
        // Written again it is a format-2 file that reads back the same.
        QTemporaryDir dir;
        const std::string path = dir.filePath("old.json").toStdString();
        saveProfile(legacy, path);
        QCOMPARE(predictNetwork(loadProfile(path), layers, Dtype::Fp16).latencySeconds,
                 predictNetwork(legacy, layers, Dtype::Fp16).latencySeconds);
    }
};

QTEST_GUILESS_MAIN(TestHwRuntime)
#include "tst_hw_runtime.moc"
