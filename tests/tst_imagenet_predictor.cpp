// The imagenet accuracy predictor: its published data (sources, architectures within 1% of the
// published parameter counts), the ridge model's fit and uncertainty, the out-of-range flag,
// leave-one-family-out on a dataset with a known answer, and its registration.
#include <QtTest>
#include <cmath>
#include <set>

#include "arch/expand.h"
#include "search/evaluators.h"
#include "search/imagenet_predictor.h"
#include "zoo/zoo.h"

using namespace archscope;

class TestImagenetPredictor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dataLoadsWithSources() {
        const auto data = loadPublishedImagenet(publishedImagenetPath());
        QVERIFY(data.size() >= 40);
        std::set<std::string> families;
        for (const auto& n : data) {
            QVERIFY2(!n.source.empty(), n.name.c_str());
            QVERIFY2(!n.recipe.empty(), n.name.c_str());
            QVERIFY2(n.top1 > 50 && n.top1 < 100, n.name.c_str());
            families.insert(n.family);
        }
        QVERIFY(families.count("efficientnet"));
        QVERIFY(families.count("efficientnet-lite"));
        QVERIFY(families.size() >= 4);
    }

    void paramsWithinOnePercent() {
        for (const auto& n : loadPublishedImagenet(publishedImagenetPath())) {
            const double params =
                double(totalCost(expandLayers(buildNetwork(n.spec), 1)).params) / 1e6;
            const double rel = std::abs(params - n.paramsM) / n.paramsM;
            QVERIFY2(rel < 0.01, (n.name + ": IR " + std::to_string(params) + " M vs published " +
                                  std::to_string(n.paramsM) + " M")
                                     .c_str());
        }
    }

    void reproducesTrainingPoints() {
        const auto data = loadPublishedImagenet(publishedImagenetPath());
        const ImagenetPredictor model = fitImagenetPredictor(data);
        double mae = 0;
        for (const auto& n : data) {
            const auto p = model.predict(imagenetFeatures(n.spec), n.recipe);
            QVERIFY2(!p.outOfRange, n.name.c_str());
            mae += std::abs(p.value - n.top1) / double(data.size());
        }
        QVERIFY2(mae < 1.0, std::to_string(mae).c_str());
        QVERIFY(model.looRms() > 0.0 && model.looRms() < 3.0);
    }

    void fartherIsLessCertain() {
        const auto data = loadPublishedImagenet(publishedImagenetPath());
        const ImagenetPredictor model = fitImagenetPredictor(data);
        const auto b0 = model.predict(imagenetFeatures(*zooSpec("efficientnet-b0")), "autoaugment");
        // Far outside the data: EfficientNet-X-TPU-B7 (fused, space-to-depth, 85 GMACs).
        const auto far =
            model.predict(imagenetFeatures(*zooSpec("efficientnet-x-tpu-b7")), "autoaugment");
        QVERIFY(!b0.outOfRange);
        QVERIFY(far.outOfRange);
        QVERIFY2(
            far.uncertainty > 1.25 * b0.uncertainty,
            (std::to_string(far.uncertainty) + " vs " + std::to_string(b0.uncertainty)).c_str());
        // Farther still along one direction: B7 blocks at twice its width and resolution.
        NetworkSpec huge = *zooSpec("efficientnet-b7");
        huge.scaling.width = 4.0;
        huge.scaling.resolution = 1200;
        const auto hugeP = model.predict(imagenetFeatures(huge), "autoaugment");
        QVERIFY(hugeP.outOfRange);
        QVERIFY2(hugeP.uncertainty > 2.0 * b0.uncertainty,
                 std::to_string(hugeP.uncertainty).c_str());
        // An unseen recipe is flagged too.
        const auto odd = model.predict(imagenetFeatures(*zooSpec("efficientnet-b0")), "no-such");
        QVERIFY(odd.outOfRange);
        QCOMPARE(odd.outOfRangeFeatures.back(), std::string("recipe"));
    }

    void leaveOneFamilyOutKnownAnswer() {
        // y = x on families a and b; family c sits 1 above the line. Holding c out, the fit on a
        // and b is the line itself (lambda ~ 0), so each c point is off by exactly 1.
        std::vector<RegressionRow> rows = {
            {{0}, 0, "a", "r"}, {{1}, 1, "a", "r"}, {{2}, 2, "a", "r"}, {{3}, 3, "b", "r"},
            {{4}, 4, "b", "r"}, {{5}, 5, "b", "r"}, {{6}, 7, "c", "r"}, {{7}, 8, "c", "r"},
        };
        const CrossValidation cv = leaveOneFamilyOut(rows, {1e-9});
        QCOMPARE(int(cv.families.size()), 3);
        QCOMPARE(cv.families[2].family, std::string("c"));
        QCOMPARE(cv.families[2].count, 2);
        QVERIFY2(std::abs(cv.families[2].mae - 1.0) < 1e-6,
                 std::to_string(cv.families[2].mae).c_str());
        QCOMPARE(cv.rows, 8);
        // The overall figure is the row-weighted mean of the family figures.
        double sum = 0;
        for (const auto& f : cv.families) sum += f.mae * f.count;
        QVERIFY(std::abs(cv.mae - sum / 8) < 1e-9);
        QVERIFY(cv.looMae > 0.0);
    }

    void registered() {
        registerCoreEvaluators();
        const auto& kind = findAccuracyEstimator("imagenet");
        const auto settings = kind.resolveSettings({{"recipe", "advprop"}});
        QCOMPARE(settings["recipe"].get<std::string>(), std::string("advprop"));
        const EstimateFn fn = kind.make(settings);
        const AccuracyResult r = fn(*zooSpec("efficientnet-b3"), {});
        QCOMPARE(r.estimator, std::string("imagenet"));
        QVERIFY(r.metric.find("predicted ImageNet top-1 (fitted on") == 0);
        QVERIFY(r.uncertainty.has_value() && *r.uncertainty > 0);
        QVERIFY(r.value > 78 && r.value < 86);
        QVERIFY_THROWS_EXCEPTION(std::exception, kind.make({{"recipe", "no-such"}}));
    }
};

QTEST_GUILESS_MAIN(TestImagenetPredictor)
#include "tst_imagenet_predictor.moc"
