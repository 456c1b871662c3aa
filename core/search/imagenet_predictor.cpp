#include "imagenet_predictor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "arch/expand.h"
#include "arch/json.h"
#include "search/evaluators.h"
#include "util/resources.h"
#include "zoo/zoo.h"

namespace archscope {
namespace {

using nlohmann::json;

/// Solves for the inverse of a small symmetric positive definite matrix (Gauss-Jordan with
/// partial pivoting; the ridge term keeps it well conditioned).
std::vector<double> invert(std::vector<double> a, int p) {
    std::vector<double> inv(size_t(p) * p, 0.0);
    for (int i = 0; i < p; ++i) inv[size_t(i) * p + i] = 1.0;
    for (int c = 0; c < p; ++c) {
        int pivot = c;
        for (int r = c + 1; r < p; ++r)
            if (std::abs(a[size_t(r) * p + c]) > std::abs(a[size_t(pivot) * p + c])) pivot = r;
        if (pivot != c) {
            for (int k = 0; k < p; ++k) {
                std::swap(a[size_t(c) * p + k], a[size_t(pivot) * p + k]);
                std::swap(inv[size_t(c) * p + k], inv[size_t(pivot) * p + k]);
            }
        }
        const double d = a[size_t(c) * p + c];
        if (std::abs(d) < 1e-300) throw ArchError("imagenet predictor: singular system");
        for (int k = 0; k < p; ++k) {
            a[size_t(c) * p + k] /= d;
            inv[size_t(c) * p + k] /= d;
        }
        for (int r = 0; r < p; ++r) {
            if (r == c) continue;
            const double f = a[size_t(r) * p + c];
            if (f == 0.0) continue;
            for (int k = 0; k < p; ++k) {
                a[size_t(r) * p + k] -= f * a[size_t(c) * p + k];
                inv[size_t(r) * p + k] -= f * inv[size_t(c) * p + k];
            }
        }
    }
    return inv;
}

double quadratic(const std::vector<double>& m, const std::vector<double>& x) {
    const size_t p = x.size();
    double s = 0.0;
    for (size_t i = 0; i < p; ++i) {
        double row = 0.0;
        for (size_t j = 0; j < p; ++j) row += m[i * p + j] * x[j];
        s += x[i] * row;
    }
    return s;
}

NetworkSpec architectureFrom(const json& a, const std::string& where) {
    NetworkSpec spec;
    if (a.contains("zoo")) {
        auto z = zooSpec(a.at("zoo").get<std::string>());
        if (!z) throw ArchError(where + ": unknown zoo name " + a.at("zoo").dump());
        spec = *z;
    } else if (a.contains("network")) {
        spec = networkSpecFromJson(a.at("network"), where + ".network");
    } else {
        throw ArchError(where + ": architecture needs \"zoo\" or \"network\"");
    }
    if (a.contains("resolution")) spec.scaling.resolution = a.at("resolution").get<int>();
    return spec;
}

}  // namespace

std::filesystem::path publishedImagenetPath() {
    return findResource("accuracy/imagenet-published.json");
}

std::vector<PublishedNetwork> loadPublishedImagenet(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw ArchError("cannot open \"" + path.string() + "\"");
    json doc;
    try {
        doc = json::parse(in);
    } catch (const json::exception& e) {
        throw ArchError("\"" + path.string() + "\" is not valid JSON: " + e.what());
    }
    if (doc.value("format", "") != "archscope-imagenet-published" || doc.value("version", 0) != 1)
        throw ArchError("\"" + path.string() +
                        "\": expected format archscope-imagenet-published, version 1");
    std::vector<PublishedNetwork> out;
    const json& list = doc.at("networks");
    for (size_t i = 0; i < list.size(); ++i) {
        const json& e = list[i];
        const std::string where = path.string() + ": networks[" + std::to_string(i) + "]";
        try {
            PublishedNetwork n;
            n.name = e.at("name").get<std::string>();
            n.family = e.at("family").get<std::string>();
            n.recipe = e.at("recipe").get<std::string>();
            n.top1 = e.at("top1").get<double>();
            n.paramsM = e.at("params_m").get<double>();
            n.source = e.at("source").get<std::string>();
            if (n.source.empty()) throw ArchError(where + ": empty source");
            n.spec = architectureFrom(e.at("architecture"), where + ".architecture");
            out.push_back(std::move(n));
        } catch (const json::exception& ex) {
            throw ArchError(where + ": " + ex.what());
        }
    }
    return out;
}

const std::vector<std::string>& imagenetFeatureNames() {
    static const std::vector<std::string> names = {
        "log10_macs",  "log10_params",   "log_resolution", "log_blocks",      "mean_kernel",
        "mean_expand", "se_share",       "fused_share",    "s2d_share",       "swish_share",
        "relu6_share", "log_last_width", "log_head",       "late_depth_share"};
    return names;
}

std::vector<double> imagenetFeatures(const NetworkSpec& spec) {
    const Network net = buildNetwork(spec);
    const NetworkCost cost = totalCost(expandLayers(net, 1));
    double kernel = 0, expand = 0, se = 0, fused = 0, s2d = 0, swish = 0, relu6 = 0, late = 0;
    const int stages = net.blocks.empty() ? 0 : net.blocks.back().stage + 1;
    for (const Block& b : net.blocks) {
        kernel += b.kernel;
        expand += b.expandRatio;
        se += b.seRatio > 0 ? 1 : 0;
        fused += b.type == BlockType::FusedMBConv ? 1 : 0;
        s2d += b.spaceToDepth > 0 ? 1 : 0;
        swish += b.activation == Activation::Swish ? 1 : 0;
        relu6 += b.activation == Activation::Relu6 ? 1 : 0;
        late += 2 * b.stage >= stages ? 1 : 0;
    }
    const double n = std::max<double>(1, double(net.blocks.size()));
    const int lastWidth = net.blocks.empty() ? net.stemChannels : net.blocks.back().outChannels;
    return {std::log10(double(std::max<int64_t>(1, cost.macs))),
            std::log10(double(std::max<int64_t>(1, cost.params))),
            std::log(double(net.resolution)),
            std::log(n),
            kernel / n,
            expand / n,
            se / n,
            fused / n,
            s2d / n,
            swish / n,
            relu6 / n,
            std::log(double(std::max(1, lastWidth))),
            std::log(double(std::max(1, net.featureChannels))),
            late / n};
}

std::vector<double> ImagenetPredictor::design(const std::vector<double>& x,
                                              const std::string& recipe) const {
    std::vector<double> d(size_t(m_features) + m_recipes.size(), 0.0);
    for (int f = 0; f < m_features; ++f)
        d[size_t(f)] = (x[size_t(f)] - m_mean[size_t(f)]) / m_scale[size_t(f)];
    for (size_t r = 0; r < m_recipes.size(); ++r)
        if (m_recipes[r] == recipe) d[size_t(m_features) + r] = 1.0;
    return d;
}

ImagenetPredictor::ImagenetPredictor(const std::vector<RegressionRow>& rows, Options options) {
    if (rows.size() < 2) throw ArchError("imagenet predictor: needs at least 2 training rows");
    m_n = int(rows.size());
    m_features = int(rows.front().x.size());
    for (const auto& r : rows) {
        if (int(r.x.size()) != m_features)
            throw ArchError("imagenet predictor: rows differ in feature count");
        if (!r.recipe.empty() &&
            std::find(m_recipes.begin(), m_recipes.end(), r.recipe) == m_recipes.end())
            m_recipes.push_back(r.recipe);
    }
    std::sort(m_recipes.begin(), m_recipes.end());
    const size_t F = size_t(m_features);
    m_mean.assign(F, 0.0);
    m_scale.assign(F, 0.0);
    m_min.assign(F, INFINITY);
    m_max.assign(F, -INFINITY);
    for (const auto& r : rows) {
        m_yMean += r.y / m_n;
        for (size_t f = 0; f < F; ++f) {
            m_mean[f] += r.x[f] / m_n;
            m_min[f] = std::min(m_min[f], r.x[f]);
            m_max[f] = std::max(m_max[f], r.x[f]);
        }
    }
    for (const auto& r : rows)
        for (size_t f = 0; f < F; ++f)
            m_scale[f] += (r.x[f] - m_mean[f]) * (r.x[f] - m_mean[f]) / m_n;
    // A constant feature (e.g. no fused block anywhere) gets scale 1: it stays 0 in training, and
    // any other value is flagged out of range.
    for (double& s : m_scale) s = s > 1e-24 ? std::sqrt(s) : 1.0;

    std::vector<std::vector<double>> X;
    for (const auto& r : rows) X.push_back(design(r.x, r.recipe));
    const int p = int(X.front().size());
    std::vector<double> a(size_t(p) * p, 0.0), b(size_t(p), 0.0);
    for (int i = 0; i < m_n; ++i) {
        const auto& xi = X[size_t(i)];
        for (int j = 0; j < p; ++j) {
            b[size_t(j)] += xi[size_t(j)] * (rows[size_t(i)].y - m_yMean);
            for (int k = 0; k < p; ++k) a[size_t(j) * p + k] += xi[size_t(j)] * xi[size_t(k)];
        }
    }
    // Recipe columns have their own penalty: 0.1 instead of 10 cut the recipe bias but, as the
    // one-hot columns absorb the intercept, made held-out families worse (docs/estimators.md).
    for (int j = 0; j < p; ++j)
        a[size_t(j) * p + j] += j < m_features ? options.lambda : options.recipeLambda;
    m_inverse = invert(a, p);
    m_weights.assign(size_t(p), 0.0);
    for (int j = 0; j < p; ++j)
        for (int k = 0; k < p; ++k)
            m_weights[size_t(j)] += m_inverse[size_t(j) * p + k] * b[size_t(k)];

    double sq = 0.0, abs = 0.0;
    for (int i = 0; i < m_n; ++i) {
        const auto& xi = X[size_t(i)];
        double pred = m_yMean;
        for (int j = 0; j < p; ++j) pred += m_weights[size_t(j)] * xi[size_t(j)];
        const double h = std::min(0.999, 1.0 / m_n + quadratic(m_inverse, xi));
        const double loo = (rows[size_t(i)].y - pred) / (1.0 - h);
        sq += loo * loo;
        abs += std::abs(loo);
    }
    m_sigma = std::sqrt(sq / m_n);
    m_looMae = abs / m_n;
}

ImagenetPrediction ImagenetPredictor::predict(const std::vector<double>& x,
                                              const std::string& recipe) const {
    if (int(x.size()) != m_features) throw ArchError("imagenet predictor: wrong feature count");
    const std::vector<double> d = design(x, recipe);
    ImagenetPrediction out;
    out.value = m_yMean;
    for (size_t j = 0; j < d.size(); ++j) out.value += m_weights[j] * d[j];
    // A linear model's leverage grows only slowly outside the data, so each feature's distance
    // beyond the training min/max (in standard deviations) adds to the variance as well.
    double excess = 0.0;
    const auto& names = imagenetFeatureNames();
    for (int f = 0; f < m_features; ++f) {
        const size_t i = size_t(f);
        const double tol = 1e-9 + 0.01 * (m_max[i] - m_min[i]);
        const double beyond = std::max(m_min[i] - x[i], x[i] - m_max[i]);
        if (beyond > tol) {
            out.outOfRangeFeatures.push_back(i < names.size() ? names[i] : "x" + std::to_string(f));
            excess += (beyond / m_scale[i]) * (beyond / m_scale[i]);
        }
    }
    out.uncertainty = m_sigma * std::sqrt(1.0 + 1.0 / m_n + quadratic(m_inverse, d) + excess);
    if (std::find(m_recipes.begin(), m_recipes.end(), recipe) == m_recipes.end())
        out.outOfRangeFeatures.push_back("recipe");
    out.outOfRange = !out.outOfRangeFeatures.empty();
    return out;
}

std::vector<RegressionRow> imagenetRows(const std::vector<PublishedNetwork>& data) {
    std::vector<RegressionRow> rows;
    for (const auto& n : data)
        rows.push_back({imagenetFeatures(n.spec), n.top1, n.family, n.recipe});
    return rows;
}

ImagenetPredictor fitImagenetPredictor(const std::vector<PublishedNetwork>& data,
                                       ImagenetPredictor::Options options) {
    return ImagenetPredictor(imagenetRows(data), options);
}

CrossValidation leaveOneFamilyOut(const std::vector<RegressionRow>& rows,
                                  ImagenetPredictor::Options options) {
    std::map<std::string, std::vector<size_t>> byFamily;
    for (size_t i = 0; i < rows.size(); ++i) byFamily[rows[i].family].push_back(i);
    CrossValidation cv;
    cv.rows = int(rows.size());
    double total = 0.0;
    int counted = 0;
    for (const auto& [family, members] : byFamily) {
        std::vector<RegressionRow> train;
        for (const auto& r : rows)
            if (r.family != family) train.push_back(r);
        if (train.size() < 2) continue;
        const ImagenetPredictor model(train, options);
        FamilyError e{family, int(members.size()), 0.0};
        for (size_t i : members) {
            const double err = std::abs(model.predict(rows[i].x, rows[i].recipe).value - rows[i].y);
            e.mae += err / double(members.size());
            total += err;
            ++counted;
        }
        cv.families.push_back(e);
    }
    cv.mae = counted ? total / counted : 0.0;
    // Ordinary leave-one-out, refitted per row (the closed form is the model's looMae()).
    double loo = 0.0;
    for (size_t i = 0; i < rows.size(); ++i) {
        std::vector<RegressionRow> train;
        for (size_t k = 0; k < rows.size(); ++k)
            if (k != i) train.push_back(rows[k]);
        loo += std::abs(ImagenetPredictor(train, options).predict(rows[i].x, rows[i].recipe).value -
                        rows[i].y);
    }
    cv.looMae = rows.empty() ? 0.0 : loo / double(rows.size());
    return cv;
}

namespace {

json imagenetSettings(const json& given) {
    const json s = given.is_object() ? given : json::object();  // {} arrives as null
    json out = {{"recipe", s.value("recipe", std::string("autoaugment"))},
                {"data", s.value("data", std::string())},
                {"lambda", s.value("lambda", 10.0)}};
    if (out["data"].get<std::string>().empty()) out["data"] = publishedImagenetPath().string();
    if (!(out["lambda"].get<double>() > 0.0))
        throw ArchError("imagenet settings: lambda must be > 0");
    return out;
}

EstimateFn makeImagenet(const json& s) {
    const json settings = imagenetSettings(s);
    const auto data = loadPublishedImagenet(settings["data"].get<std::string>());
    auto model = std::make_shared<const ImagenetPredictor>(
        fitImagenetPredictor(data, {settings["lambda"].get<double>()}));
    const std::string recipe = settings["recipe"];
    if (std::find(model->recipes().begin(), model->recipes().end(), recipe) ==
        model->recipes().end()) {
        std::string known;
        for (const auto& r : model->recipes()) known += (known.empty() ? "" : ", ") + r;
        throw ArchError("imagenet settings: unknown recipe \"" + recipe + "\"; known: " + known);
    }
    const std::string metric = "predicted ImageNet top-1 (fitted on " +
                               std::to_string(model->trainingSize()) + " published networks) (%)";
    return [model, settings, recipe, metric](const NetworkSpec& spec, std::stop_token) {
        const auto start = std::chrono::steady_clock::now();
        const ImagenetPrediction p = model->predict(imagenetFeatures(spec), recipe);
        AccuracyResult r;
        r.value = p.value;
        r.estimator = "imagenet";
        r.metric = metric;
        r.dataset = "ImageNet-1k (published top-1, resources/accuracy/imagenet-published.json)";
        r.settings = settings;
        r.uncertainty = p.uncertainty;
        r.outOfRange = p.outOfRange;
        if (p.outOfRange) r.settings["out_of_range_features"] = p.outOfRangeFeatures;
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return r;
    };
}

}  // namespace

void registerCoreEvaluators() {
    static std::once_flag once;
    std::call_once(once, [] {
        registerAccuracyEstimator(
            {"imagenet",
             "ImageNet top-1 predicted by ridge regression on IR features, fitted on published "
             "networks (resources/accuracy/imagenet-published.json)",
             makeImagenet, imagenetSettings});
    });
}

}  // namespace archscope
