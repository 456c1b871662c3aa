// `estimate`: accuracy estimates of zoo models or architecture files: `proxy` (trained at proxy
// scale with LibTorch on Fashion-MNIST or another IDX / CIFAR-10 folder) or `zero-cost` (NASWOT).
#ifdef ARCHSCOPE_HAS_TORCH

#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "registry.h"
#include "table.h"
#include "torch/proxy_train.h"
#include "torch/zero_cost.h"
#include "zoo/zoo.h"

namespace archscope::cli {
namespace {

struct EstimateArgs {
    std::vector<std::string> models;
    std::string accuracy;
    std::string data = kDefaultDatasetFolder;
    ProxySettings proxy;
    ZeroCostSettings zeroCost;
    uint64_t seed = 0;
    int threads = 1;  // one thread: deterministic, and 2 threads on a busy 2-core CPU thrash
    bool json = false;
};

void runEstimate(EstimateArgs& a) {
    const bool proxy = a.accuracy == "proxy";
    if (!proxy && a.accuracy != "zero-cost")
        throw ArchError("unknown --accuracy \"" + a.accuracy + "\"; use proxy or zero-cost");
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

    std::vector<std::pair<std::string, AccuracyEstimate>> results;
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
}

void addEstimateCommands(CLI::App& app) {
    auto a = std::make_shared<EstimateArgs>();
    auto* cmd = app.add_subcommand(
        "estimate", "Estimate accuracy: proxy training (LibTorch) or the NASWOT zero-cost score");
    cmd->add_option("models", a->models, "Zoo names or architecture .json files")->required();
    cmd->add_option("--accuracy", a->accuracy, "proxy or zero-cost")->required();
    cmd->add_option("--data", a->data, "Dataset folder: MNIST IDX (gz or raw) or CIFAR-10 binary")
        ->capture_default_str();
    cmd->add_option("--seed", a->seed, "Seed of weights, data order and minibatch")
        ->capture_default_str();
    cmd->add_option("--threads", a->threads, "Intra-op threads (0 = all logical CPUs)")
        ->check(CLI::Range(0, 4096))
        ->capture_default_str();
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
    cmd->add_flag("--json", a->json, "One JSON document on stdout");
    cmd->callback([a] { runEstimate(*a); });
}

const CommandRegistrar registrar(45, addEstimateCommands);

}  // namespace
}  // namespace archscope::cli

#endif  // ARCHSCOPE_HAS_TORCH
