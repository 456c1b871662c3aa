// Search spaces: the shipped ones load, every sampled candidate is a valid network, and a broken
// space file names the stage and the choice.
#include <QtTest>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "arch/expand.h"
#include "arch/json.h"
#include "search/sampler.h"
#include "search/space.h"
#include "zoo/zoo.h"

using namespace archscope;

class TestSearchSpace : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shippedSpacesLoad_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("efficientnet-x") << "efficientnet-x";
        QTest::newRow("efficientnet") << "efficientnet";
    }
    void shippedSpacesLoad() {
        QFETCH(QString, name);
        const SearchSpace space = loadSearchSpace(name.toStdString());
        QCOMPARE(QString::fromStdString(space.name), name);
        QCOMPARE(int(space.stages.size()), 7);
        QVERIFY(space.size() > 1e6);
        QVERIFY(!space.source.empty());
    }

    void baseCandidateIsTheBaseNetwork() {
        const SearchSpace space = loadSearchSpace("efficientnet-x");
        const NetworkSpec spec = decodeCandidate(space, baseCandidate(space), "base");
        // The space's base is EfficientNet-X-B0: the decoded base has its exact cost.
        const NetworkCost cost = totalCost(expandLayers(buildNetwork(spec)));
        const NetworkCost x0 =
            totalCost(expandLayers(buildNetwork(*zooSpec("efficientnet-x-tpu-b0"))));
        QCOMPARE(cost.params, x0.params);
        QCOMPARE(cost.macs, x0.macs);
        QCOMPARE(formatBlockString(spec.blocks[1]),
                 std::string("r2_k3_s22_e6_i16_o24_se0.25_f1_d2_a1"));
    }

    void everyRandomCandidateBuilds() {
        for (const char* name : {"efficientnet-x", "efficientnet"}) {
            const SearchSpace space = loadSearchSpace(name);
            SplitMix64 rng(7);
            for (int i = 0; i < 300; ++i) {
                const Candidate c = randomCandidate(space, rng);
                const NetworkSpec spec = decodeCandidate(space, c, "c");
                const auto layers = expandLayers(buildNetwork(spec));
                QVERIFY(totalCost(layers).macs > 0);
                // Round trip through the architecture file format.
                QVERIFY(networkSpecFromJson(networkSpecToJson(spec)) == spec);
            }
        }
    }

    void spaceToDepthContinuationIsRepaired() {
        SearchSpace space = loadSearchSpace("efficientnet-x");
        Candidate c = baseCandidate(space);
        c.choices[kDecisionsPerStage * 0 + int(Decision::SpaceToDepth)] = 0;  // stage 0: no s2d
        c.choices[kDecisionsPerStage * 1 + int(Decision::SpaceToDepth)] = 1;  // stage 1: "d2"
        const NetworkSpec spec = decodeCandidate(space, c, "c");
        QCOMPARE(spec.blocks[0].spaceToDepth, 0);
        QCOMPARE(spec.blocks[1].spaceToDepth, 0);  // nothing to continue: repaired to 0
        const auto layers = expandLayers(buildNetwork(spec));
        QCOMPARE(layers.back().in.c, 1280);
    }

    void jsonRoundTrip() {
        const SearchSpace space = loadSearchSpace("efficientnet-x");
        const SearchSpace back = searchSpaceFromJson(searchSpaceToJson(space), "x");
        QCOMPARE(back.size(), space.size());
        QVERIFY(back.base == space.base);
    }

    void brokenSpacesNameStageAndChoice_data() {
        QTest::addColumn<QString>("stage");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("kernel") << "2"
                                << "kernel"
                                << "[3, 0]"
                                << "stages[2].kernel[1]";
        QTest::newRow("activation") << "0"
                                    << "activation"
                                    << "[\"tanh\"]"
                                    << "stages[0].activation[0]";
        QTest::newRow("repeats") << "6"
                                 << "repeats_delta"
                                 << "[-1]"
                                 << "stages[6].repeats_delta";
        QTest::newRow("empty") << "3"
                               << "expand"
                               << "[]"
                               << "stages[3].expand";
        QTest::newRow("dup") << "3"
                             << "se"
                             << "[0.25, 0.25]"
                             << "listed twice";
        QTest::newRow("block") << "1"
                               << "block"
                               << "[\"conv\"]"
                               << "stages[1].block[0]";
    }
    void brokenSpacesNameStageAndChoice() {
        QFETCH(QString, stage);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, mentions);
        nlohmann::json j = searchSpaceToJson(loadSearchSpace("efficientnet-x"));
        j["stages"][stage.toInt()][key.toStdString()] = nlohmann::json::parse(value.toStdString());
        try {
            searchSpaceFromJson(j, "space.json");
            QFAIL("expected an ArchError");
        } catch (const ArchError& e) {
            QVERIFY2(QString(e.what()).contains(mentions), e.what());
            QVERIFY2(QString(e.what()).contains("space.json"), e.what());
        }
    }

    void stageCountMustMatchBase() {
        nlohmann::json j = searchSpaceToJson(loadSearchSpace("efficientnet"));
        j["stages"].erase(0);
        QVERIFY_THROWS_EXCEPTION(ArchError, searchSpaceFromJson(j, "s"));
    }

    void unknownSpace() {
        try {
            loadSearchSpace("no-such-space");
            QFAIL("expected an error");
        } catch (const ArchError& e) {
            QVERIFY(QString(e.what()).contains("efficientnet-x"));
        }
    }
};

QTEST_GUILESS_MAIN(TestSearchSpace)
#include "tst_search_space.moc"
