// LACS: every member on its own latency target (tpuv3, EfficientNet-X-TPU-B0), grid-edge and
// missed-target warnings, phi bisection, and replay of a stopped run through the recorder.
// A cheap fake accuracy stands in for the LibTorch estimators: only the scaling is under test.
#include <QtTest>
#include <map>
#include <stop_token>

#include "arch/error.h"
#include "arch/expand.h"
#include "hw/model.h"
#include "hw/profile_io.h"
#include "search/evaluators.h"
#include "search/imagenet_predictor.h"
#include "search/lacs.h"
#include "search/lacsrun.h"
#include "zoo/zoo.h"

using namespace archscope;

namespace {

// Rewards capacity with diminishing returns: deterministic, cheap, no LibTorch.
double fakeAccuracy(const NetworkSpec& spec) {
    const NetworkCost c = totalCost(expandLayers(buildNetwork(spec)));
    return 1.0 - 1.0 / std::log(double(c.macs) + 10.0);
}

struct Fixture {
    Profile tpu = loadProfile("tpuv3");
    NetworkSpec base = *zooSpec("efficientnet-x-tpu-b0");
    LatencyFn latency = [this](const NetworkSpec& s) {
        return predictModel(tpu, s, 1, Dtype::Bf16).latencySeconds * 1e3;
    };
};

bool hasWarning(const LacsResult& r, const QString& part) {
    for (const auto& w : r.warnings)
        if (QString::fromStdString(w).contains(part)) return true;
    return false;
}

}  // namespace

class TestLacs : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyMemberOnItsTarget() {
        Fixture f;
        LacsParams p;  // the CLI's defaults: 7 steps, ratio 2, grid step 0.05
        const LacsResult r = runLacs(f.base, f.latency, fakeAccuracy, p);
        QVERIFY(r.complete);
        QCOMPARE(int(r.family.size()), p.steps + 1);
        QCOMPARE(r.family[0].resolution, f.base.scaling.resolution);
        for (int k = 1; k <= p.steps; ++k) {
            const FamilyMember& m = r.family[size_t(k)];
            const double target = r.baseLatencyMs * std::pow(2.0, k);
            QCOMPARE(m.targetMs, target);
            QVERIFY2(
                std::abs(m.latencyMs / target - 1.0) <= 0.10,
                qPrintable(
                    QString("B%1: %2 ms vs target %3 ms").arg(k).arg(m.latencyMs).arg(target)));
            QCOMPARE(m.deviation, m.latencyMs / target - 1.0);
            QVERIFY(m.phi > r.family[size_t(k - 1)].phi);
            QVERIFY(m.latencyMs > r.family[size_t(k - 1)].latencyMs);
            // The member is the found direction raised to its phi.
            QVERIFY(std::abs(m.depthFactor - std::pow(r.alpha, m.phi)) < 1e-12);
            QVERIFY(std::abs(m.widthFactor - std::pow(r.beta, m.phi)) < 1e-12);
        }
        QVERIFY(!hasWarning(r, "cannot reach"));
        QCOMPARE(r.estimates, int(std::count_if(r.grid.begin(), r.grid.end(),
                                                [](const LacsPoint& pt) { return pt.feasible; })) +
                                  p.steps + 1);
    }

    void explicitTargets() {
        Fixture f;
        const double b0 = f.latency(f.base);
        LacsParams p;
        p.gridStep = 0.1;
        p.targetsMs = {1.6 * b0, 4 * b0, 25 * b0};
        p.steps = 3;
        const LacsResult r = runLacs(f.base, f.latency, fakeAccuracy, p);
        QCOMPARE(int(r.family.size()), 4);
        QCOMPARE(r.targetMs, p.targetsMs[0]);
        for (int k = 1; k <= 3; ++k) {
            QCOMPARE(r.family[size_t(k)].targetMs, p.targetsMs[size_t(k - 1)]);
            QVERIFY(std::abs(r.family[size_t(k)].deviation) <= 0.10);
        }
    }

    void gridEdgeAndMissedTargetsWarn() {
        Fixture f;
        // Width is all this fake accuracy values, resolution costs it: beta goes to the grid's
        // maximum and gamma stays at 1.
        auto widthLover = [](const NetworkSpec& s) {
            return s.scaling.width - 1e-3 * s.scaling.resolution;
        };
        LacsParams p;
        p.gridStep = 0.1;
        p.steps = 2;
        p.targetsMs = {2 * f.latency(f.base), 1e7};  // B2: far beyond any 64x network
        const LacsResult r = runLacs(f.base, f.latency, widthLover, p);
        QCOMPARE(r.beta, p.betaMax);
        QCOMPARE(r.gamma, 1.0);
        QVERIFY(hasWarning(r, "beta (width) is 1.50, the grid's maximum"));
        QVERIFY(hasWarning(r, "gamma (resolution) is 1.00, the grid's lower edge"));
        QVERIFY(!hasWarning(r, "B1 cannot reach"));
        QVERIFY(hasWarning(r, "B2 cannot reach"));
        QVERIFY(r.family[2].deviation < -0.10);

        // A fake that prefers a balanced step warns about no edge.
        auto balanced = [](const NetworkSpec& s) {
            const double d = s.scaling.depth - 1.1, w = s.scaling.width - 1.1,
                         g = s.scaling.resolution / 224.0 - 1.1;
            return std::exp(-50.0 * (d * d + w * w + g * g));  // steep: beats the latency term
        };
        LacsParams q;
        q.gridStep = 0.05;
        q.steps = 1;
        q.tolerance = 0.49;  // feasible: up to ~3x the base latency
        const LacsResult b = runLacs(f.base, f.latency, balanced, q);
        QVERIFY2(b.alpha > 1.0 && b.alpha < q.alphaMax,
                 qPrintable(QString("%1 %2 %3").arg(b.alpha).arg(b.beta).arg(b.gamma)));
        QVERIFY(b.beta > 1.0 && b.beta < q.betaMax);
        QVERIFY(b.gamma > 1.0 && b.gamma < q.gammaMax);
        QVERIFY2(b.warnings.empty(), b.warnings.empty() ? "" : b.warnings[0].c_str());
    }

    void latencyIsMonotoneInPhiAndBisectionHitsIt() {
        Fixture f;
        const double alpha = 1.2, beta = 1.1, gamma = 1.15;
        double previous = 0;
        for (double phi = 0; phi <= 8.0; phi += 0.05) {
            const double ms = f.latency(memberSpec(f.base, alpha, beta, gamma, phi, 4, "m"));
            QVERIFY2(ms >= previous,
                     qPrintable(QString("phi %1: %2 < %3").arg(phi).arg(ms).arg(previous)));
            previous = ms;
        }
        const double b0 = f.latency(f.base);
        double lastPhi = 0;
        for (double ratio : {1.5, 3.0, 10.0, 40.0, 100.0}) {
            const PhiSolution s =
                solvePhi(f.base, alpha, beta, gamma, ratio * b0, f.latency, 4, 0.10);
            QVERIFY2(s.reached, qPrintable(QString("ratio %1: %2 ms").arg(ratio).arg(s.latencyMs)));
            QVERIFY(s.phi > lastPhi);
            QCOMPARE(s.latencyMs, f.latency(memberSpec(f.base, alpha, beta, gamma, s.phi, 4, "m")));
            lastPhi = s.phi;
        }
        // A target below the base cannot be reached with phi >= 0.
        const PhiSolution below = solvePhi(f.base, alpha, beta, gamma, 0.5 * b0, f.latency, 4, 0.1);
        QCOMPARE(below.phi, 0.0);
        QVERIFY(!below.reached);
        // Resolutions are rounded to the multiple.
        QCOMPARE(memberSpec(f.base, 1, 1, 1.15, 1, 4, "m").scaling.resolution, 256);  // 257.6
    }

    void stoppedRunReplaysToTheSameResult() {
        Fixture f;
        LacsParams p;
        p.gridStep = 0.1;
        p.steps = 3;
        const LacsResult whole = runLacs(f.base, f.latency, fakeAccuracy, p);

        std::map<int64_t, std::optional<double>> stored;
        LacsRecorder rec;
        rec.recall = [&](int64_t seq) -> std::optional<std::optional<double>> {
            if (auto it = stored.find(seq); it != stored.end()) return it->second;
            return std::nullopt;
        };
        rec.record = [&](const LacsEvaluation& ev) {
            QVERIFY(!stored.count(ev.seq));  // never stored twice
            stored[ev.seq] = ev.accuracy;
        };
        std::stop_source stop;
        int estimates = 0;
        auto stopping = [&](const NetworkSpec& s) {
            if (++estimates == 5) stop.request_stop();  // this estimate is cut short
            return fakeAccuracy(s);
        };
        const LacsResult first = runLacs(f.base, f.latency, stopping, p, stop.get_token(), rec);
        QVERIFY(!first.complete);
        const size_t kept = stored.size();
        QVERIFY(kept > 0 && int64_t(kept) < p.evaluationCount());

        int again = 0;
        auto counting = [&](const NetworkSpec& s) {
            ++again;
            return fakeAccuracy(s);
        };
        const LacsResult second = runLacs(f.base, f.latency, counting, p, {}, rec);
        QVERIFY(second.complete);
        QCOMPARE(int64_t(stored.size()), p.evaluationCount());
        int64_t expect = 0;
        for (const auto& [seq, acc] : stored) QCOMPARE(seq, expect++);  // contiguous, no gap
        QCOMPARE(again + 4, whole.estimates);  // the 4 finished estimates were not repeated
        QCOMPARE(second.alpha, whole.alpha);
        QCOMPARE(second.beta, whole.beta);
        QCOMPARE(second.gamma, whole.gamma);
        for (size_t k = 0; k < whole.family.size(); ++k) {
            QCOMPARE(second.family[k].latencyMs, whole.family[k].latencyMs);
            QCOMPARE(second.family[k].phi, whole.family[k].phi);
            QCOMPARE(*second.family[k].accuracy, *whole.family[k].accuracy);
        }
    }

    void flopsRuleMembersAreEstimatedLikeAnyNetwork() {
        registerCoreEvaluators();  // the imagenet estimator: no LibTorch
        LacsRunParams p;
        p.base = *zooSpec("efficientnet-x-tpu-b0");
        p.lacs.steps = 2;
        p.lacs.gridStep = 0.25;
        LacsReport rep = runLacsInMemory(p);
        for (const FamilyMember& m : rep.result.flopsScaling) QVERIFY(!m.accuracy);
        estimateFlopsRule(rep, p);
        const EstimateFn estimate =
            findAccuracyEstimator("imagenet").make(nlohmann::json::object());
        QCOMPARE(int(rep.result.flopsScaling.size()), p.lacs.steps + 1);
        for (const FamilyMember& m : rep.result.flopsScaling) {
            QVERIFY(m.accuracy.has_value());
            const NetworkSpec spec =
                scaledSpec(p.base, m.depthFactor, m.widthFactor, m.resolutionFactor, m.name);
            QCOMPARE(*m.accuracy, estimate(spec, {}).value);
        }
        // The FLOPs rule's B0 is the base, as LACS's is.
        QCOMPARE(*rep.result.flopsScaling[0].accuracy, *rep.result.family[0].accuracy);
    }

    void badParamsAreRefused() {
        Fixture f;
        auto refused = [&](LacsParams p) {
            try {
                runLacs(f.base, f.latency, fakeAccuracy, p);
            } catch (const ArchError&) {
                return true;
            }
            return false;
        };
        LacsParams p;
        p.latencyRatio = 1.0;
        QVERIFY(refused(p));
        p = {};
        p.steps = 2;
        p.targetsMs = {10.0, 5.0};  // decreasing
        QVERIFY(refused(p));
        p.targetsMs = {-1.0, 5.0};
        QVERIFY(refused(p));
        p.targetsMs = {5.0};  // one target for two steps
        QVERIFY(refused(p));
        p = {};
        p.steps = 1;
        p.targetsMs = {0.5 * f.latency(f.base)};  // below the base
        QVERIFY(refused(p));
    }
};

QTEST_GUILESS_MAIN(TestLacs)
#include "tst_lacs.moc"
