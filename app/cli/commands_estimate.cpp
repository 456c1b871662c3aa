// `estimate`: accuracy estimates of zoo models or architecture files: `proxy` (trained at proxy
// scale with LibTorch on Fashion-MNIST or another IDX / CIFAR-10 folder), `zero-cost` (NASWOT),
// or `imagenet` (predicted from published networks; no LibTorch needed).
#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "registry.h"
#include "search/evaluators.h"
#include "search/imagenet_predictor.h"
#include "table.h"
#include "zoo/zoo.h"
#ifdef ARCHSCOPE_HAS_TORCH
#include "torch/proxy_train.h"
#include "torch/zero_cost.h"
#else
namespace archscope {
inline constexpr const char* kDefaultDatasetFolder = "/usr/share/datasets/fashion-mnist";
}
#endif

namespace archscope::cli {
namespace {

struct EstimateArgs {
    std::vector<std::string> models;
    std::string accuracy;
    std::string data = kDefaultDatasetFolder;
#ifdef ARCHSCOPE_HAS_TORCH
    ProxySettings proxy;
    ZeroCostSettings zeroCost;
#endif
    std::string supernet;                 // --accuracy supernet: the trained supernet file
    int bnImages = 64, testImages = 128;  // SupernetEvalSettings' defaults
    bool dataGiven = false;
    std::string recipe = "autoaugment";
    double lambda = 10.0;
    bool report = false;
    uint64_t seed = 0;
    int threads = 1;  // one thread: deterministic, and 2 threads on a busy 2-core CPU thrash
    bool json = false;
};

/// `--report`: the imagenet predictor's dataset and its leave-one-family-out / leave-one-out
/// errors.
void runImagenetReport(const EstimateArgs& a) {
    const auto data = loadPublishedImagenet(publishedImagenetPath());
    const auto rows = imagenetRows(data);
    const CrossValidation cv = leaveOneFamilyOut(rows, {a.lambda});
    const ImagenetPredictor model(rows, {a.lambda});
    if (a.json) {
        nlohmann::json fams = nlohmann::json::array();
        for (const auto& f : cv.families)
            fams.push_back({{"family", f.family}, {"count", f.count}, {"mae", f.mae}});
        std::cout << nlohmann::json{{"networks", cv.rows},
                                    {"lofo", fams},
                                    {"lofo_mae", cv.mae},
                                    {"loo_mae", cv.looMae},
                                    {"loo_rms", model.looRms()}}
                         .dump(2)
                  << "\n";
        return;
    }
    std::cout << "imagenet predictor: ridge regression (lambda " << a.lambda << ") on "
              << imagenetFeatureNames().size() << " IR features + recipe, fitted on " << cv.rows
              << " published networks\n"
              << "data: " << publishedImagenetPath().string() << "\n\n"
              << "leave-one-family-out (train on the other families, predict this one):\n";
    Table table({"held-out family", "networks", "MAE (top-1 %)"}, {false, true, true});
    for (const auto& f : cv.families)
        table.addRow({f.family, std::to_string(f.count), formatFixed(f.mae, 2)});
    table.addRow({"all", std::to_string(cv.rows), formatFixed(cv.mae, 2)});
    table.print(std::cout);
    std::cout << "\nleave-one-out MAE: " << formatFixed(cv.looMae, 2)
              << " %, LOO residual RMS (the uncertainty's base): " << formatFixed(model.looRms(), 2)
              << " %\n";
}

/// The estimator's settings from the command line (registry estimators).
nlohmann::json registrySettings(const EstimateArgs& a) {
    if (a.accuracy != "supernet") return {{"recipe", a.recipe}, {"lambda", a.lambda}};
    nlohmann::json s = {{"file", a.supernet},
                        {"bn_images", a.bnImages},
                        {"test_images", a.testImages},
                        {"threads", a.threads}};
    if (a.dataGiven) s["data"] = a.data;  // else the folder the supernet was trained on
    return s;
}

/// Supernet estimates with what they cost and the file's recorded trust check.
void printSupernetTable(const std::vector<NetworkSpec>& specs,
                        const std::vector<AccuracyResult>& results, double loadSeconds) {
    Table table({"model", results.front().metric, "ms"}, {false, true, true});
    double total = 0.0;
    for (size_t i = 0; i < results.size(); ++i) {
        table.addRow({specs[i].name, formatFixed(results[i].value, 2),
                      formatFixed(results[i].seconds * 1e3, 1)});
        total += results[i].seconds;
    }
    table.print(std::cout);
    std::cout << "\nloaded in " << formatFixed(loadSeconds, 2) << " s; "
              << formatFixed(total / double(results.size()) * 1e3, 1) << " ms a network ("
              << formatFixed(60.0 * double(results.size()) / total, 0) << " a minute)\n";
    const nlohmann::json check =
        results.front().settings.at("supernet").value("check", nlohmann::json());
    if (check.is_object()) {
        std::cout << "trust: Kendall tau " << formatFixed(check.value("kendall_tau", 0.0), 3)
                  << " against stand-alone proxy training on " << check.value("archs", 0)
                  << " architectures (checked " << check.value("checked", "") << ")\n";
    } else {
        std::cout << "trust: unchecked; run `archscope-cli supernet --check FILE` to measure how "
                     "well it ranks\n";
    }
}

/// Estimators from the registry that load once and then score each network: imagenet (no
/// LibTorch) and supernet.
void runRegistryEstimate(const EstimateArgs& a) {
    std::vector<NetworkSpec> specs;
    for (const auto& name : a.models) specs.push_back(resolveModel(name));
    const AccuracyEstimatorKind& kind = findAccuracyEstimator(a.accuracy);
    const nlohmann::json settings = kind.resolveSettings(registrySettings(a));
    const auto loadStart = std::chrono::steady_clock::now();
    const EstimateFn estimate = kind.make(settings);
    const double loadSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();
    std::vector<AccuracyResult> results;
    for (const auto& spec : specs) results.push_back(estimate(spec, {}));
    if (a.json) {
        nlohmann::json list = nlohmann::json::array();
        for (size_t i = 0; i < results.size(); ++i) {
            const AccuracyResult& r = results[i];
            list.push_back(
                {{"model", specs[i].name},
                 {"value", r.value},
                 {"uncertainty", r.uncertainty ? nlohmann::json(*r.uncertainty) : nlohmann::json()},
                 {"out_of_range", r.outOfRange},
                 {"estimator", r.estimator},
                 {"metric", r.metric},
                 {"dataset", r.dataset},
                 {"settings", r.settings},
                 {"seconds", r.seconds}});
        }
        std::cout << nlohmann::json{{"results", list}, {"load_seconds", loadSeconds}}.dump(2)
                  << "\n";
        return;
    }
    std::cout << "estimator: " << a.accuracy << " (" << results.front().metric << ")\n"
              << "settings:  " << settings.dump() << "\n\n";
    if (a.accuracy == "supernet") {
        printSupernetTable(specs, results, loadSeconds);
        return;
    }
    Table table({"model", "top-1 (%)", "+/- (1 sd)", "outside data", "published"},
                {false, true, true, false, true});
    for (size_t i = 0; i < results.size(); ++i) {
        const AccuracyResult& r = results[i];
        const auto pub = publishedTop1(specs[i].name);
        table.addRow(
            {specs[i].name, formatFixed(r.value, 2),
             r.uncertainty ? formatFixed(*r.uncertainty, 2) : "-",
             r.outOfRange
                 ? r.settings.value("out_of_range_features", nlohmann::json::array()).dump()
                 : "no",
             pub ? formatFixed(pub->top1, 1) : "-"});
    }
    table.print(std::cout);
}

void runEstimate(EstimateArgs& a) {
    if (a.report) {
        if (a.accuracy != "imagenet") throw ArchError("--report is for --accuracy imagenet");
        runImagenetReport(a);
        return;
    }
    if (a.models.empty()) throw ArchError("estimate: give at least one model");
    if (a.accuracy == "imagenet" || a.accuracy == "supernet") {
        runRegistryEstimate(a);
        return;
    }
#ifndef ARCHSCOPE_HAS_TORCH
    throw ArchError("--accuracy \"" + a.accuracy +
                    "\" needs LibTorch (rebuild with -DARCHSCOPE_WITH_TORCH=ON); imagenet works "
                    "without it");
#else
    const bool proxy = a.accuracy == "proxy";
    if (!proxy && a.accuracy != "zero-cost")
        throw ArchError("unknown --accuracy \"" + a.accuracy +
                        "\"; use imagenet, proxy, zero-cost or supernet");
    a.proxy.dataFolder = a.zeroCost.dataFolder = a.data;
    a.proxy.seed = a.zeroCost.seed = a.seed;
    a.proxy.threads = a.zeroCost.threads = a.threads;

    // Resolve every name first, so a typo fails before minutes of training.
    std::vector<NetworkSpec> specs;
    for (const auto& name : a.models) specs.push_back(resolveModel(name));

    const auto loadStart = std::chrono::steady_clock::now();
    std::optional<Dataset> data;
    if (proxy) {
        data = loadDataset(a.proxy.dataFolder, a.proxy.trainSubset, a.proxy.testSubset);
    } else if (!a.zeroCost.gaussianInput) {
        data = loadDataset(a.zeroCost.dataFolder, 10000, 1);
    }
    const double loadSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count();

    std::vector<std::pair<std::string, AccuracyEstimate> > results;
    for (const auto& spec : specs) {
        if (!a.json) std::cerr << "estimating " << spec.name << " (" << a.accuracy << ")...\n";
        ProxyProgressCallback progress;
        if (!a.json) {
            progress = [](const ProxyProgress& p) {
                if (p.step % 50 == 0 || p.step == p.steps) {
                    std::cerr << "  epoch " << p.epoch + 1 << "/" << p.epochs << ", step " << p.step
                              << "/" << p.steps << ", loss " << formatFixed(p.loss, 3) << "\n";
                }
            };
        }
        results.emplace_back(spec.name,
                             proxy ? estimateProxyAccuracy(spec, *data, a.proxy, {}, progress)
                                   : estimateZeroCost(spec, data ? &*data : nullptr, a.zeroCost));
    }

    if (a.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& [name, e] : results) {
            nlohmann::json j = toJson(e);
            j["model"] = name;
            list.push_back(std::move(j));
        }
        std::cout << nlohmann::json{{"results", list}, {"load_seconds", loadSeconds}}.dump(2)
                  << "\n";
        return;
    }
    const AccuracyEstimate& first = results.front().second;
    std::cout << "estimator: " << first.estimator << " (" << first.metric << ")\n"
              << "dataset:   " << first.dataset << ", loaded in " << formatFixed(loadSeconds, 2)
              << " s\n"
              << "settings:  " << first.settings.dump() << "\n\n";
    Table table({"model", first.metric + (first.unit.empty() ? "" : " (" + first.unit + ")"),
                 "seconds", "minutes"},
                {false, true, true, true});
    for (const auto& [name, e] : results) {
        table.addRow({name, formatFixed(e.value, 2), formatFixed(e.seconds, 2),
                      formatFixed(e.seconds / 60.0, 2)});
    }
    table.print(std::cout);
#endif
}

}  // namespace

void addEstimateCommands(CLI::App& app) {
    auto a = std::make_shared<EstimateArgs>();
    auto* cmd = app.add_subcommand(
        "estimate",
        "Estimate accuracy: predicted ImageNet top-1 (imagenet), proxy training (LibTorch) or the "
        "NASWOT zero-cost score");
    cmd->add_option("models", a->models, "Zoo names or architecture .json files");
    cmd->add_option("--accuracy", a->accuracy, "imagenet, proxy, zero-cost or supernet")
        ->required();
    cmd->add_option("--recipe", a->recipe, "imagenet: training recipe to predict for")
        ->capture_default_str();
    cmd->add_option("--lambda", a->lambda, "imagenet: ridge penalty (standardized features)")
        ->check(CLI::Range(1e-9, 1e9))
        ->capture_default_str();
    cmd->add_flag("--report", a->report,
                  "imagenet: leave-one-family-out and leave-one-out errors of the predictor");
    auto* data = cmd->add_option("--data", a->data,
                                 "Dataset folder: MNIST IDX (gz or raw) or CIFAR-10 binary")
                     ->capture_default_str();
    cmd->add_option("--seed", a->seed, "Seed of weights, data order and minibatch")
        ->capture_default_str();
    cmd->add_option("--threads", a->threads, "Intra-op threads (0 = all logical CPUs)")
        ->check(CLI::Range(0, 4096))
        ->capture_default_str();
#ifdef ARCHSCOPE_HAS_TORCH
    auto& p = a->proxy;
    cmd->add_option("--epochs", p.epochs, "proxy: training epochs")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    cmd->add_option("--subset", p.trainSubset, "proxy: first N training images (0 = all)")
        ->check(CLI::Range(0, 1 << 30))
        ->capture_default_str();
    cmd->add_option("--test-subset", p.testSubset, "proxy: first N test images (0 = all)")
        ->check(CLI::Range(0, 1 << 30))
        ->capture_default_str();
    cmd->add_option("--proxy-resolution", p.resolution, "proxy: input side in pixels")
        ->check(CLI::Range(8, 512))
        ->capture_default_str();
    cmd->add_option("--width-multiplier", p.widthMultiplier, "proxy: times the model's width")
        ->check(CLI::Range(0.01, 4.0))
        ->capture_default_str();
    cmd->add_option("--stem-stride", p.stemStride, "proxy: stride of the stem conv")
        ->check(CLI::Range(1, 4))
        ->capture_default_str();
    cmd->add_option("--train-batch", p.batchSize, "proxy: training batch size")
        ->check(CLI::Range(2, 4096))
        ->capture_default_str();
    cmd->add_option("--lr", p.learningRate, "proxy: Adam learning rate (cosine-decayed)")
        ->capture_default_str();
    auto& z = a->zeroCost;
    cmd->add_option("--batch", z.batch, "zero-cost: minibatch size (kernel is N x N)")
        ->check(CLI::Range(2, 1024))
        ->capture_default_str();
    cmd->add_option("--resolution", z.resolution,
                    "zero-cost: input side (0 = the model's own resolution)")
        ->check(CLI::Range(0, 2048));
    cmd->add_flag("--gaussian", z.gaussianInput, "zero-cost: Gaussian noise instead of images");
    cmd->add_option("--supernet", a->supernet,
                    "supernet: the trained supernet file (archscope-cli supernet --out FILE)");
    cmd->add_option("--bn-images", a->bnImages,
                    "supernet: training images its BatchNorm statistics are recomputed on")
        ->check(CLI::Range(2, 100000))
        ->capture_default_str();
    cmd->add_option("--test-images", a->testImages, "supernet: test images scored")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
#endif
    cmd->add_flag("--json", a->json, "One JSON document on stdout");
    cmd->callback([a, data] {
        a->dataGiven = data->count() > 0;
        runEstimate(*a);
    });
}

}  // namespace archscope::cli
