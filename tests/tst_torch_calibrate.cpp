// Calibration with real LibTorch measurements, kept small: four tiny networks (64 px), a few
// repetitions. The figures are not checked for speed (no timed tests), only for consistency:
// every network measured, the stage split adds up, the written profile reads back and says where
// it was calibrated, a refit from the same figures gives the same profile.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "arch/error.h"
#include "arch/expand.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "hw/profile_writer.h"
#include "torch/calibration_runner.h"
#include "zoo/zoo.h"

using namespace archscope;

namespace {

CalibrationOptions tinyOptions() {
    CalibrationOptions o;
    o.torch.resolution = 64;
    o.measure.threads = 1;
    o.measure.reps = 3;
    o.measure.warmup = 1;
    o.fitModels = {"mobilenet-v2"};
    o.holdoutModels = {"efficientnet-b0"};
    o.randomFit = 1;
    o.randomHoldout = 1;
    o.fit.maxEvaluations = 6000;
    return o;
}

struct CliRun {
    int exitCode = -1;
    QByteArray out, err;
};
CliRun runCli(const QStringList& args) {
    QProcess p;
    p.start(ARCHSCOPE_CLI_PATH, args);
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

}  // namespace

class TestTorchCalibrate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void measuresFitsAndWrites() {
        const Profile base = loadProfile("cpu");
        const CalibrationOptions o = tinyOptions();
        const CalibrationMeasurements figures = measureForCalibration(o);
        QCOMPARE(int(figures.networks.size()), 4);
        QCOMPARE(figures.context.threads, 1);
        QCOMPARE(figures.context.resolution, 64);
        // The defaults of `measure`: wall clock, median, steady allocator.
        QCOMPARE(int(figures.context.clock), int(TimingClock::Wall));
        QVERIFY(figures.context.steadyAllocator ||
                ARCHSCOPE_TESTS_SANITIZED);  // ASan replaces malloc: mallopt has nothing to pin
        QCOMPARE(figures.context.reps, 3);
        for (const auto& n : figures.networks) {
            QVERIFY2(n.total.medianMs > 0.0, n.name.c_str());
            QVERIFY(n.wallMs > 0.0);
            QCOMPARE(n.total.reps, 3);
            QVERIFY(n.stages.size() >= 3);  // stem, blocks, head
            QVERIFY(n.total.minMs <= n.total.p10Ms && n.total.p10Ms <= n.total.medianMs);
        }

        const CalibrationReport r = fitCalibration(base, o, figures);
        QCOMPARE(r.fitAfter.count, 2);
        QCOMPARE(r.holdoutAfter.count, 2);
        QVERIFY(r.fit.finalObjective <= r.fit.initialObjective);
        QCOMPARE(r.fit.parameters.size(), defaultFitParameters("cpu").size());
        QCOMPARE(int(r.statistic), int(TimingStatistic::Median));
        for (const auto& n : r.networks) {
            // The stage split is scaled to the network's figure (the median by default).
            QCOMPARE(n.measuredMs, n.total.medianMs);
            double sum = 0.0;
            for (const auto& st : n.stages) sum += st.measuredMs;
            QVERIFY(std::abs(sum - n.measuredMs) < 1e-9 * n.measuredMs);
            QCOMPARE(n.stages.size(), n.stagesPredictedMs.size());
            QCOMPARE(n.stages.size(), n.stageKinds.size());
            QVERIFY(n.predictedAfterMs > 0.0);
        }
        QCOMPARE(r.networks[1].name, std::string("efficientnet-b0"));
        QVERIFY(r.networks[1].heldOut);

        // A refit from the same figures is the same fit (deterministic).
        const CalibrationReport again = fitCalibration(base, o, figures);
        for (size_t i = 0; i < r.fit.parameters.size(); ++i)
            QCOMPARE(again.fit.parameters[i].fitted, r.fit.parameters[i].fitted);
        // Figures are matched by name and checked by architecture: another seed draws other
        // random networks, a lost hash cannot be checked, and both are refused by name.
        CalibrationMeasurements renamed = figures;
        const std::string randomName = r.networks[2].name;
        QCOMPARE(r.networks[2].origin, std::string("random"));
        QVERIFY(!r.networks[2].archHash.empty());
        for (auto& n : renamed.networks) {
            if (n.name == randomName) n.archHash = "0000000000000000";
        }
        try {
            fitCalibration(base, o, renamed);
            QFAIL("figures of another architecture were fitted");
        } catch (const ArchError& e) {
            QVERIFY2(std::string(e.what()).find(randomName) != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("measure again") != std::string::npos, e.what());
        }
        for (auto& n : renamed.networks) n.archHash.clear();
        QVERIFY_THROWS_EXCEPTION(ArchError, fitCalibration(base, o, renamed));

        QTemporaryDir dir;
        const std::string path = dir.filePath("local-cpu.json").toStdString();
        const Profile written = annotatedProfile(r, "local-cpu", 3);
        saveProfile(written, path);
        const Profile back = loadProfile(path);
        QCOMPARE(back.name, std::string("local-cpu"));
        QCOMPARE(back.version, 3);
        for (const auto& fp : r.fit.parameters) {
            bool found = false;
            Profile copy = back;
            for (const auto& p : parametersHolding(copy, fp.name)) {
                if (p.path != fp.name) continue;
                found = true;
                QVERIFY(!p.assumption);
                QVERIFY2(p.source.find("calibrated on " + r.context.device) == 0, p.source.c_str());
                QVERIFY2(p.source.find("fit error") != std::string::npos, p.source.c_str());
            }
            QVERIFY2(found, fp.name.c_str());
        }
        const auto& b0 = r.networks[1];
        const auto layers = expandLayers(buildNetwork([] {
                                             auto s = resolveModel("efficientnet-b0");
                                             s.scaling.resolution = 64;
                                             return s;
                                         }()),
                                         1);
        QVERIFY(std::abs(predictNetwork(back, layers, Dtype::Fp32).latencySeconds * 1e3 -
                         b0.predictedAfterMs) < 1e-6 * b0.predictedAfterMs);
    }

    void refusesBeforeMeasuring() {
        CalibrationOptions o = tinyOptions();
        o.fitModels = {};
        o.randomFit = 0;
        QVERIFY_THROWS_EXCEPTION(ArchError, runCalibration(loadProfile("cpu"), o));
        o = tinyOptions();
        o.fitModels = {"efficientnet-b42"};
        QVERIFY_THROWS_EXCEPTION(ArchError, runCalibration(loadProfile("cpu"), o));
        o = tinyOptions();
        o.holdoutModels = {"mobilenet-v2"};  // also in the fit set
        QVERIFY_THROWS_EXCEPTION(ArchError, runCalibration(loadProfile("cpu"), o));
    }

    void cliJsonAndErrors() {
        if (!QFile::exists(ARCHSCOPE_CLI_PATH)) QSKIP("archscope-cli is not built");
        QTemporaryDir dir;
        const QString out = dir.filePath("cal.json");
        CliRun r = runCli({"calibrate",
                           "--out",
                           out,
                           "--models",
                           "mobilenet-v2",
                           "--holdout-models",
                           "efficientnet-b0",
                           "--random",
                           "1",
                           "--holdout",
                           "1",
                           "--resolution",
                           "64",
                           "--reps",
                           "2",
                           "--warmup",
                           "1",
                           "--statistic",
                           "p10",
                           "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        const QJsonObject context = doc["context"].toObject();
        QCOMPARE(context["clock"].toString(), QString("wall"));
        QCOMPARE(context["statistic"].toString(), QString("p10"));
        QVERIFY(context["steady_allocator"].toBool() || ARCHSCOPE_TESTS_SANITIZED);
        // `measure` with the same flags times the same way (one routine, one set of defaults).
        CliRun m = runCli({"measure", "mobilenet-v2", "--resolution", "64", "--threads", "1",
                           "--reps", "2", "--warmup", "1", "--statistic", "p10", "--json"});
        QVERIFY2(m.exitCode == 0, m.err.constData());
        const QJsonObject mctx = QJsonDocument::fromJson(m.out).object()["context"].toObject();
        QCOMPARE(mctx["timing"].toString(), context["timing"].toString());
        QCOMPARE(mctx["threads"].toInt(), context["threads"].toInt());
        QCOMPARE(doc["networks"].toArray().size(), 4);
        QCOMPARE(doc["holdout"].toObject()["after"].toObject()["count"].toInt(), 2);
        QVERIFY(doc["holdout"].toObject().contains("meets_floors"));
        QVERIFY(!doc["parameters"].toArray().isEmpty());
        QCOMPARE(doc["profile"].toObject()["name"].toString(), QString("cal"));
        QVERIFY(QFile::exists(out));
        // The written profile drives predictions.
        r = runCli({"predict", "efficientnet-b0", "--hw", out, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());

        r = runCli({"calibrate", "--out", dir.filePath("no/such/folder/p.json")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("does not exist"), r.err.constData());
        QVERIFY(r.out.isEmpty());
        r = runCli({"calibrate", "--device", "cuda", "--out", out});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--base"), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestTorchCalibrate)
#include "tst_torch_calibrate.moc"
