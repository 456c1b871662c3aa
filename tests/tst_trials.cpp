// The trials table's rows from a store and the variance-share importance behind its bar chart.
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <random>

#include "arch/error.h"
#include "search/importance.h"
#include "search/searchrun.h"
#include "search/trials.h"
#include "store/store.h"
#include "zoo/zoo.h"

using namespace archscope;

namespace {

double shareOf(const std::vector<ParameterImportance>& all, const std::string& name) {
    for (const auto& p : all)
        if (p.parameter == name) return p.share;
    return -1.0;
}

}  // namespace

class TestTrials : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void importance_data() {
        QTest::addColumn<std::vector<std::string>>("a");
        QTest::addColumn<std::vector<std::string>>("b");
        QTest::addColumn<std::vector<double>>("y");
        QTest::addColumn<double>("shareA");
        QTest::addColumn<double>("shareB");
        // y follows A exactly: A explains all of it, B (balanced against A) nothing.
        QTest::newRow("A only") << std::vector<std::string>{"a", "a", "b", "b"}
                                << std::vector<std::string>{"x", "y", "x", "y"}
                                << std::vector<double>{0, 0, 2, 2} << 1.0 << 0.0;
        // y = 2A + B on a 2x2 design repeated twice: SS_total 20 = 16 (A) + 4 (B).
        // A: between 16, within 4 over 6 dof -> (16 - 2/3) / (20 + 2/3) = 0.7419...
        // B: between 4, within 16/6 -> (4 - 8/3) / (20 + 8/3) = 0.0588...
        QTest::newRow("2A + B") << std::vector<std::string>{"0", "0", "1", "1", "0", "0", "1", "1"}
                                << std::vector<std::string>{"0", "1", "0", "1", "0", "1", "0", "1"}
                                << std::vector<double>{0, 1, 2, 3, 0, 1, 2, 3}
                                << (16 - 2.0 / 3) / (20 + 2.0 / 3)
                                << (4 - 8.0 / 3) / (20 + 8.0 / 3);
        // NaN objectives are skipped, not counted as trials.
        QTest::newRow("NaN skipped") << std::vector<std::string>{"a", "a", "b", "b", "b"}
                                     << std::vector<std::string>{"x", "y", "x", "y", "x"}
                                     << std::vector<double>{0, 0, 2, 2, NAN} << 1.0 << 0.0;
    }

    void importance() {
        QFETCH(std::vector<std::string>, a);
        QFETCH(std::vector<std::string>, b);
        QFETCH(std::vector<double>, y);
        QFETCH(double, shareA);
        QFETCH(double, shareB);
        ImportanceData data{{"A", "B"}, {}, y};
        for (size_t i = 0; i < a.size(); ++i) data.levels.push_back({a[i], b[i]});
        const auto result = varianceImportance(data);
        QCOMPARE(result.size(), size_t(2));
        QVERIFY(result[0].share >= result[1].share);  // sorted
        QVERIFY(std::abs(shareOf(result, "A") - shareA) < 1e-12);
        QVERIFY(std::abs(shareOf(result, "B") - shareB) < 1e-12);
    }

    void manyLevelsOfNoiseAreNotImportant() {
        // A parameter with a fresh level per pair of trials would explain half of pure noise
        // without the epsilon-squared correction; with it, its share stays small.
        std::mt19937 rng(7);
        std::normal_distribution<double> noise(0.0, 1.0);
        ImportanceData data{{"id", "signal"}, {}, {}};
        for (int i = 0; i < 400; ++i) {
            const int signal = i % 2;
            data.levels.push_back({std::to_string(i / 2), std::to_string(signal)});
            data.objective.push_back(3.0 * signal + noise(rng));
        }
        const auto result = varianceImportance(data);
        QCOMPARE(result[0].parameter, std::string("signal"));
        QVERIFY2(result[0].share > 0.6, std::to_string(result[0].share).c_str());
        QVERIFY2(shareOf(result, "id") < 0.1, std::to_string(shareOf(result, "id")).c_str());
    }

    void oneLevelOrTooFewTrialsGiveZero() {
        ImportanceData data{{"constant"}, {{"a"}, {"a"}, {"a"}}, {1, 2, 3}};
        QCOMPARE(varianceImportance(data)[0].share, 0.0);
        ImportanceData few{{"p"}, {{"a"}, {"b"}}, {1, 2}};  // 2 trials, 2 levels: no within
        QCOMPARE(varianceImportance(few)[0].share, 0.0);
        ImportanceData bad{{"p", "q"}, {{"a"}}, {1}};
        QVERIFY_THROWS_EXCEPTION(ArchError, varianceImportance(bad));
    }

    void trialsFromAStore() {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "trials.db";
        store::ResultStore s(path);
        SearchRunParams params;
        params.search.space = "efficientnet-x";
        const int64_t run = s.createRun(kSearchKind, params.toJson(), {});
        NetworkSpec b0 = *zooSpec("efficientnet-b0");
        const int64_t refArch = s.internArchitecture(b0);
        NetworkSpec candidate = b0;
        candidate.name = "candidate-3";
        candidate.blocks[2].kernel = 3;
        const int64_t candArch = s.internArchitecture(candidate);
        std::vector<store::Evaluation> evals(3);
        evals[0].runId = run, evals[0].seq = -2, evals[0].architectureId = refArch;
        evals[0].predictedMs = 1.5;
        evals[1].runId = run, evals[1].seq = 0, evals[1].architectureId = candArch;
        evals[1].predictedMs = 1.0;
        evals[1].measured = store::MeasuredLatency{2.0, 1.9, 2.1, 5, {}};
        evals[1].accuracy = store::AccuracyEstimate{0.5, "zero-cost", {}, "", "NASWOT"};
        evals[2].runId = run, evals[2].seq = 1, evals[2].architectureId = candArch;
        s.insertEvaluations(evals);

        store::StoreReader reader(path);
        const auto trials = readTrials(reader, run);
        QCOMPARE(trials.size(), size_t(3));
        QCOMPARE(trials[0].name, params.references[0]);  // the reference's own name
        QCOMPARE(trials[0].status(), std::string("reference"));
        QCOMPARE(trials[0].latencySource, store::LatencySource::Predicted);
        QCOMPARE(trials[1].name, std::string("candidate-3"));
        QCOMPARE(trials[1].latencyMs.value_or(0), 2.0);  // measured wins over predicted
        QCOMPARE(trials[1].latencySource, store::LatencySource::Measured);
        QCOMPARE(trials[1].metric, std::string("NASWOT"));
        QCOMPARE(trials[1].stages.size(), b0.blocks.size());
        QCOMPARE(trials[1].stages[2].kernel, 3);
        QCOMPARE(trials[2].status(), std::string("no latency"));
        QCOMPARE(readTrials(reader, run, evals[1].id).size(), size_t(1));  // only the new one

        const ImportanceData data = importanceData(trials, Objective::Latency);
        QCOMPARE(data.levels.size(), size_t(2));  // the reference is not a candidate
        QCOMPARE(data.parameters.size(), b0.blocks.size() * 8);
        QCOMPARE(data.parameters[1], std::string("stage 0 kernel"));
        QVERIFY(std::isnan(data.objective[1]));
        QVERIFY_THROWS_EXCEPTION(ArchError, readTrials(reader, run + 1));
    }
};

QTEST_GUILESS_MAIN(TestTrials)
#include "tst_trials.moc"
