#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "arch/network.h"

namespace archscope {

/// One published ImageNet-1k top-1 (resources/accuracy/imagenet-published.json).
struct PublishedNetwork {
    std::string name;      ///< e.g. "tf_efficientnet_b3.ap_in1k@300"
    std::string family;    ///< "efficientnet", "efficientnet-lite", "mnasnet", ...
    std::string recipe;    ///< training recipe: "autoaugment", "advprop", "timm-ra2", ...
    double top1 = 0.0;     ///< percent
    double paramsM = 0.0;  ///< the source's parameter count (millions)
    std::string source;
    NetworkSpec spec;  ///< the architecture at the evaluated resolution
};

/// Reads the published dataset. Throws ArchError naming the file and the entry.
std::vector<PublishedNetwork> loadPublishedImagenet(const std::filesystem::path& path);
/// The shipped file (findResource("accuracy/imagenet-published.json")).
std::filesystem::path publishedImagenetPath();

/// Architecture features from the IR (no recipe); names in imagenetFeatureNames().
std::vector<double> imagenetFeatures(const NetworkSpec& spec);
const std::vector<std::string>& imagenetFeatureNames();

/// One training row: features, target, the group left out together, the recipe.
struct RegressionRow {
    std::vector<double> x;
    double y = 0.0;
    std::string family;
    std::string recipe;
};

struct ImagenetPrediction {
    double value = 0.0;  ///< predicted top-1 (%)
    /// One standard deviation (%): sigma_loo * sqrt(1 + 1/n + h(x) + sum of squared distances
    /// beyond the training range, in standard deviations of each feature).
    double uncertainty = 0.0;
    bool outOfRange = false;  ///< a feature outside the training min/max, or an unseen recipe
    std::vector<std::string> outOfRangeFeatures;
};

/// Ridge regression on standardized features plus a one-hot recipe, with the predictive spread
/// sigma_loo * sqrt(1 + h(x) + extrapolation), h the ridge leverage. Deterministic, closed form.
/// Plain value; const methods are safe to call from several threads.
class ImagenetPredictor {
public:
    struct Options {
        double lambda = 10.0;  ///< ridge penalty on the standardized features (chosen by LOFO)
        double recipeLambda = 10.0;  ///< ridge penalty on the one-hot recipe columns
    };
    ImagenetPredictor(const std::vector<RegressionRow>& rows, Options options);
    ImagenetPredictor(const std::vector<RegressionRow>& rows)
        : ImagenetPredictor(rows, Options{}) {}

    ImagenetPrediction predict(const std::vector<double>& x, const std::string& recipe) const;
    int trainingSize() const { return m_n; }
    /// Leave-one-out residual RMS (closed form r_i / (1 - h_ii)).
    double looRms() const { return m_sigma; }
    double looMae() const { return m_looMae; }
    const std::vector<std::string>& recipes() const { return m_recipes; }

private:
    std::vector<double> design(const std::vector<double>& x, const std::string& recipe) const;
    int m_n = 0;
    int m_features = 0;
    std::vector<std::string> m_recipes;
    std::vector<double> m_mean, m_scale, m_min, m_max;
    double m_yMean = 0.0;
    std::vector<double> m_weights;  ///< over the design vector
    std::vector<double> m_inverse;  ///< (X'X + lambda I)^-1, row-major
    double m_sigma = 0.0;
    double m_looMae = 0.0;
};

/// The predictor fitted on the published dataset.
ImagenetPredictor fitImagenetPredictor(const std::vector<PublishedNetwork>& data,
                                       ImagenetPredictor::Options options = {});
std::vector<RegressionRow> imagenetRows(const std::vector<PublishedNetwork>& data);

/// Leave-one-family-out: train on every other family, predict each member of the held-out one.
struct FamilyError {
    std::string family;
    int count = 0;
    double mae = 0.0;
};
struct CrossValidation {
    std::vector<FamilyError> families;  ///< sorted by family name
    double mae = 0.0;                   ///< over all held-out rows
    double looMae = 0.0;                ///< ordinary leave-one-out over all rows
    int rows = 0;
};
CrossValidation leaveOneFamilyOut(const std::vector<RegressionRow>& rows,
                                  ImagenetPredictor::Options options = {});

/// Registers the `imagenet` accuracy estimator (settings: {"recipe": ..., "data": path}). Safe to
/// call more than once; call at program start as registerTorchEvaluators is.
void registerCoreEvaluators();

}  // namespace archscope
