// The weight-sharing supernet: its layout holds every candidate of a space and refuses networks
// outside it; a short training beats the untrained weights on held-out Fashion-MNIST; estimates
// are deterministic; files that are not supernets get clear errors; the CLI reuses a matching
// file and refuses a search over another space.
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "arch/error.h"
#include "search/sampler.h"
#include "support/cliprocess.h"
#include "torch/supernet.h"
#include "torch/supernet_layout.h"
#include "util/splitmix64.h"
#include "zoo/zoo.h"

using namespace archscope;
using archscope::testing::jsonOf;
using archscope::testing::runCli;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

SupernetTrainSettings quickTraining() {
    SupernetTrainSettings s;
    s.trainSubset = 1024;
    s.epochs = 1;
    s.batchSize = 32;
    s.layoutSamples = 300;
    return s;
}

SupernetEvalSettings quickEval() {
    SupernetEvalSettings e;
    e.bnImages = 128;
    e.testImages = 400;
    return e;
}

/// The space with every choice list cut to the base network's value: its supernet is one plain
/// network, so training must make it learn as stand-alone training does.
SearchSpace singlePathSpace(SearchSpace space) {
    const Candidate base = baseCandidate(space);
    for (size_t s = 0; s < space.stages.size(); ++s) {
        StageSpace& st = space.stages[s];
        auto pick = [&](auto& list, Decision d) {
            list = {list[base.choices[s * kDecisionsPerStage + size_t(d)]]};
        };
        pick(st.kinds, Decision::BlockKind);
        pick(st.kernels, Decision::Kernel);
        pick(st.expands, Decision::Expand);
        pick(st.seRatios, Decision::SeRatio);
        pick(st.activations, Decision::Activation);
        pick(st.repeatsDeltas, Decision::RepeatsDelta);
        pick(st.filtersMultipliers, Decision::FiltersMultiplier);
        pick(st.spaceToDepth, Decision::SpaceToDepth);
    }
    space.name += "-single-path";
    return space;
}

}  // namespace

class TestTorchSupernet : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    fs::path m_trained;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        if (!fs::exists(kDefaultDatasetFolder)) QSKIP("dataset-fashion-mnist is not installed");
        m_trained = fs::path(m_tmp.path().toStdString()) / "x.supernet";
        const json meta =
            trainSupernet(loadSearchSpace("efficientnet-x"), quickTraining(), m_trained);
        QVERIFY(fs::exists(m_trained));
        QCOMPARE(meta.value("steps", 0), 1024 / 32);
    }

    void layoutHoldsEveryCandidate() {
        const SearchSpace space = loadSearchSpace("efficientnet-x");
        const SupernetLayout layout = collectSupernetLayout(space, 32, 0.25, 1, 1, 10, 300, 0);
        SplitMix64 rng(12345);  // other candidates than the layout's own sample
        for (int i = 0; i < 200; ++i) {
            const NetworkSpec spec = decodeCandidate(space, randomCandidate(space, rng), "c");
            checkPathInLayout(supernetPath(spec, 32, 0.25, 1, 1, 10), layout);
        }
    }

    void layoutRefusesNetworksOutsideTheSpace_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("fragment");
        // B0: swish stem (the space's is ReLU) and no SE coefficient; B3: scaled wider/deeper.
        QTest::newRow("efficientnet-b0") << "efficientnet-b0"
                                         << "stem";
        QTest::newRow("efficientnet-x-tpu-b3") << "efficientnet-x-tpu-b3"
                                               << "not a path";
    }
    void layoutRefusesNetworksOutsideTheSpace() {
        QFETCH(QString, model);
        QFETCH(QString, fragment);
        const SearchSpace space = loadSearchSpace("efficientnet-x");
        const SupernetLayout layout = collectSupernetLayout(space, 32, 0.25, 1, 1, 10, 300, 0);
        try {
            checkPathInLayout(supernetPath(*zooSpec(model.toStdString()), 32, 0.25, 1, 1, 10),
                              layout);
            QFAIL("accepted a network outside the space");
        } catch (const ArchError& e) {
            QVERIFY2(QString(e.what()).contains(fragment), e.what());
        }
    }

    void estimatesAreDeterministicAndLabelled() {
        const SearchSpace space = loadSearchSpace("efficientnet-x");
        const NetworkSpec base = decodeCandidate(space, baseCandidate(space), "base");
        const SupernetEvaluator trained(m_trained, quickEval());
        const AccuracyEstimate a = trained.estimate(base);
        const AccuracyEstimate b = trained.estimate(base);
        QCOMPARE(a.value, b.value);
        QCOMPARE(QString::fromStdString(a.estimator), QString("supernet"));
        QVERIFY(QString::fromStdString(a.metric).contains("fashion-mnist"));
        QVERIFY(a.settings.at("supernet").contains("train_settings"));
    }

    void trainingLearns() {
        // One path only: the mechanics (slices, BatchNorm modes, Adam on unset gradients) must
        // learn as a plain network does; 64 steps of 32 images reach well above chance (10 %).
        const SearchSpace space = singlePathSpace(loadSearchSpace("efficientnet-x"));
        const NetworkSpec base = decodeCandidate(space, baseCandidate(space), "base");
        SupernetTrainSettings s = quickTraining();
        s.trainSubset = 2048;
        const fs::path trainedFile = fs::path(m_tmp.path().toStdString()) / "single.supernet";
        trainSupernet(space, s, trainedFile);
        s.trainSubset = 64;  // 2 steps
        s.learningRate = 1e-6;
        const fs::path untrainedFile = fs::path(m_tmp.path().toStdString()) / "untrained.supernet";
        trainSupernet(space, s, untrainedFile);
        const double after = SupernetEvaluator(trainedFile, quickEval()).estimate(base).value;
        const double before = SupernetEvaluator(untrainedFile, quickEval()).estimate(base).value;
        qInfo() << "single-path supernet: trained" << after << "% untrained" << before << "%";
        QVERIFY2(after > 50.0, "64 steps on one path reach > 50 % on Fashion-MNIST");
        QVERIFY(after > before + 20.0);
    }

    void estimatesAPathWithOtherChoicesDifferently() {
        const SupernetEvaluator trained(m_trained, quickEval());
        const SearchSpace& space = trained.space();
        SplitMix64 rng(99);
        std::set<double> values;
        for (int i = 0; i < 6; ++i)
            values.insert(
                trained.estimate(decodeCandidate(space, randomCandidate(space, rng), "c")).value);
        QVERIFY2(values.size() >= 3, "different paths must score differently");
    }

    void refusesNetworksAndFilesThatAreNotPaths() {
        const SupernetEvaluator trained(m_trained, quickEval());
        QVERIFY_THROWS_EXCEPTION(ArchError, trained.estimate(*zooSpec("efficientnet-b0")));
        const fs::path bogus = fs::path(m_tmp.path().toStdString()) / "bogus.supernet";
        std::ofstream(bogus) << "not a supernet";
        try {
            SupernetEvaluator e(bogus, quickEval());
            QFAIL("loaded a file that is not a supernet");
        } catch (const ArchError& e) {
            QVERIFY2(QString(e.what()).contains("not a supernet"), e.what());
        }
        try {
            SupernetEvaluator e(fs::path(m_tmp.path().toStdString()) / "missing", quickEval());
            QFAIL("loaded a missing file");
        } catch (const ArchError& e) {
            QVERIFY2(QString(e.what()).contains("archscope-cli supernet"), e.what());
        }
    }

    void cliReusesEstimatesAndGuardsTheSpace() {
        const QString file = QString::fromStdString(m_trained.string());
        // Trained with other settings (the layout sample differs from the CLI's): refused.
        const auto other = runCli({"supernet", "--space", "efficientnet-x", "--out", file,
                                   "--subset", "1024", "--epochs", "1", "--train-batch", "32"});
        QCOMPARE(other.exitCode, 1);
        QVERIFY2(other.err.contains("--force"), other.err);
        // The same command twice: the second reuses the file.
        const QStringList train = {
            "supernet", "--space", "efficientnet-x", "--out", m_tmp.filePath("cli.supernet"),
            "--subset", "256",     "--train-batch",  "32",    "--epochs",
            "1",        "--json"};
        const auto first = runCli(train);
        QCOMPARE(first.exitCode, 0);
        QCOMPARE(jsonOf(first)["reused"].toBool(), false);
        const auto second = runCli(train);
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(jsonOf(second)["reused"].toBool(), true);

        const auto est =
            runCli({"estimate", "efficientnet-x-tpu-b0", "--accuracy", "supernet", "--supernet",
                    file, "--bn-images", "128", "--test-images", "200", "--json"});
        QCOMPARE(est.exitCode, 0);
        const QJsonObject r = jsonOf(est)["results"].toArray()[0].toObject();
        QCOMPARE(r["estimator"].toString(), QString("supernet"));
        QVERIFY(r["value"].toDouble() > 0.0);

        const auto wrongSpace =
            runCli({"search", "--space", "efficientnet", "--hw", "tpuv3", "--accuracy", "supernet",
                    "--supernet", file, "--budget", "3", "--db", m_tmp.filePath("s.db")});
        QCOMPARE(wrongSpace.exitCode, 1);
        QVERIFY2(wrongSpace.err.contains("trained on space"), wrongSpace.err);
        QVERIFY(!fs::exists(m_tmp.filePath("s.db").toStdString()));

        const auto search = runCli({"search", "--space", "efficientnet-x", "--hw", "tpuv3",
                                    "--accuracy", "supernet", "--supernet", file,
                                    "--accuracy-settings", R"({"bn_images":64,"test_images":100})",
                                    "--budget", "5", "--db", m_tmp.filePath("x.db"), "--json"});
        QCOMPARE(search.exitCode, 0);
        QVERIFY2(search.out.contains("supernet top-1"), search.out);
    }
};

QTEST_GUILESS_MAIN(TestTorchSupernet)
#include "tst_torch_supernet.moc"
