// `supernet`: train a search space's weight-sharing supernet once, show what a file holds, and
// check how far its estimates can be trusted (rank agreement with stand-alone proxy training).
#ifdef ARCHSCOPE_HAS_TORCH

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/statistics.h"
#include "arch/error.h"
#include "registry.h"
#include "search/sampler.h"
#include "table.h"
#include "torch/proxy_train.h"
#include "torch/supernet.h"
#include "torch/supernet_layout.h"
#include "util/splitmix64.h"

namespace archscope::cli {
namespace {

using nlohmann::json;

struct SupernetArgs {
    std::string space = "efficientnet-x";
    std::string out, info, check;
    SupernetTrainSettings train;
    SupernetEvalSettings eval;
    int archs = 12;
    uint64_t checkSeed = 1;
    bool force = false;
    bool json = false;
};

/// The settings that decide the weights: a file trained with the same ones is reused.
bool sameTraining(const json& meta, const SearchSpace& space, const SupernetTrainSettings& s) {
    json stored = meta.value("train_settings", json::object());
    json wanted = s.toJson();
    stored.erase("threads");  // the thread count changes speed, not what is trained... nearly
    wanted.erase("threads");
    return meta.value("space", json()) == searchSpaceToJson(space) && stored == wanted;
}

void printInfo(const json& meta, const std::string& file) {
    std::cout << "supernet " << file << "\n"
              << "  space:     " << meta.value("space_name", "") << " (" << meta.value("slots", 0)
              << " block slots, " << formatThousands(meta.value("parameters", 0LL))
              << " parameters)\n"
              << "  trained:   " << meta.value("created", "") << ", " << meta.value("steps", 0)
              << " steps on " << meta.value("train_images", 0) << " images of "
              << meta.value("dataset", "") << " in "
              << formatFixed(meta.value("train_seconds", 0.0) / 60.0, 1) << " min (final loss "
              << formatFixed(meta.value("final_loss", 0.0), 3) << ")\n"
              << "  settings:  " << meta.value("train_settings", json()).dump() << "\n";
    if (meta.contains("check")) {
        const json& c = meta["check"];
        std::cout << "  checked:   Kendall tau " << formatFixed(c.value("kendall_tau", 0.0), 3)
                  << " against stand-alone proxy training on " << c.value("archs", 0)
                  << " architectures (" << c.value("checked", "") << ")\n";
    } else {
        std::cout << "  checked:   not yet; `archscope-cli supernet --check " << file
                  << "` measures how well it ranks\n";
    }
}

void runTrain(const SupernetArgs& a) {
    if (a.out.empty()) throw ArchError("supernet: give --out FILE (or --info / --check FILE)");
    const SearchSpace space = loadSearchSpace(a.space);
    std::error_code ec;
    if (std::filesystem::exists(a.out, ec) && !a.force) {
        const json meta = supernetInfo(a.out);  // refuses a file that is not a supernet
        if (!sameTraining(meta, space, a.train)) {
            // Say which of the two differs: the space, or only the training settings.
            const bool sameSpace = meta.value("space", json()) == searchSpaceToJson(space);
            throw ArchError("\"" + a.out + "\" holds a supernet of space \"" +
                            meta.value("space_name", "") + "\"" +
                            (sameSpace ? " trained with other settings"
                                       : ", not of --space \"" + space.name + "\"") +
                            "; pass --force to replace it, or another --out");
        }
        if (a.json) {
            std::cout << json{{"file", a.out}, {"reused", true}, {"info", meta}}.dump(2) << "\n";
        } else {
            std::cerr << "reusing " << a.out << " (same space and settings; --force retrains)\n";
            printInfo(meta, a.out);
        }
        return;
    }
    if (!a.json) {
        std::cerr << "training the supernet of space \"" << space.name << "\" (" << a.train.epochs
                  << " epochs on "
                  << (a.train.trainSubset > 0 ? std::to_string(a.train.trainSubset) : "all")
                  << " training images, one random path per batch of " << a.train.batchSize
                  << ")...\n";
    }
    SupernetProgressCallback progress;
    if (!a.json) {
        progress = [](const SupernetProgress& p) {
            if (p.step % 100 == 0 || p.step == p.steps) {
                std::cerr << "  step " << p.step << "/" << p.steps << ", loss "
                          << formatFixed(p.loss, 3) << ", " << formatFixed(p.seconds, 0) << " s\n";
            }
        };
    }
    const json meta = trainSupernet(space, a.train, a.out, {}, progress);
    if (a.json) {
        std::cout << json{{"file", a.out}, {"reused", false}, {"info", meta}}.dump(2) << "\n";
    } else {
        printInfo(meta, a.out);
    }
}

/// Samples `archs` candidates of the supernet's space, estimates each with the supernet and with
/// stand-alone proxy training at the same proxy scale, and stores Kendall tau in the file.
void runCheck(const SupernetArgs& a) {
    const SupernetEvaluator supernet(a.check, a.eval);
    const json& meta = supernet.info();
    const json& ts = meta.at("train_settings");
    ProxySettings proxy;
    proxy.dataFolder = a.eval.dataFolder.empty()
                           ? std::filesystem::path(ts.at("data").get<std::string>())
                           : a.eval.dataFolder;
    proxy.resolution = ts.at("resolution").get<int>();
    proxy.widthMultiplier = ts.at("width_multiplier").get<double>();
    proxy.stemStride = ts.at("stem_stride").get<int>();
    proxy.threads = a.eval.threads;
    const Dataset data = loadDataset(proxy.dataFolder, proxy.trainSubset, proxy.testSubset);

    SplitMix64 rng(a.checkSeed * 0x2545f4914f6cdd1dULL + 7);
    std::vector<double> bySupernet, byProxy;
    double supernetSeconds = 0.0, proxySeconds = 0.0;
    json pairs = json::array();
    Table table({"candidate", "supernet top-1 (%)", "proxy top-1 (%)", "supernet s", "proxy s"},
                {false, true, true, true, true});
    for (int i = 0; i < a.archs; ++i) {
        const Candidate c = randomCandidate(supernet.space(), rng);
        const NetworkSpec spec = decodeCandidate(supernet.space(), c, "check-" + std::to_string(i));
        const AccuracyEstimate s = supernet.estimate(spec);
        if (!a.json)
            std::cerr << "  " << spec.name << ": supernet " << formatFixed(s.value, 2)
                      << " %, training it alone...\n";
        const AccuracyEstimate p = estimateProxyAccuracy(spec, data, proxy);
        bySupernet.push_back(s.value);
        byProxy.push_back(p.value);
        supernetSeconds += s.seconds;
        proxySeconds += p.seconds;
        std::vector<int> choices(c.choices.begin(), c.choices.end());
        pairs.push_back({{"name", spec.name},
                         {"choices", choices},
                         {"supernet", s.value},
                         {"proxy", p.value},
                         {"supernet_seconds", s.seconds},
                         {"proxy_seconds", p.seconds}});
        table.addRow({spec.name, formatFixed(s.value, 2), formatFixed(p.value, 2),
                      formatFixed(s.seconds, 3), formatFixed(p.seconds, 1)});
    }
    const double tau = analysis::kendallTau(bySupernet, byProxy);
    const double perSupernet = supernetSeconds / a.archs;
    const json check = {{"kendall_tau", tau},
                        {"archs", a.archs},
                        {"seed", a.checkSeed},
                        {"proxy_settings", proxy.toJson()},
                        {"eval_settings", a.eval.toJson()},
                        {"supernet_seconds_per_candidate", perSupernet},
                        {"proxy_seconds_per_candidate", proxySeconds / a.archs},
                        {"pairs", pairs}};
    const json stored = recordSupernetCheck(a.check, check);
    if (a.json) {
        std::cout << stored.dump(2) << "\n";
        return;
    }
    table.print(std::cout);
    std::cout << "\nKendall tau (supernet vs stand-alone proxy top-1, " << a.archs
              << " architectures): " << formatFixed(tau, 3) << "\n"
              << "supernet: " << formatFixed(perSupernet * 1e3, 1) << " ms a candidate ("
              << formatFixed(60.0 / perSupernet, 0)
              << " candidates/min); proxy training: " << formatFixed(proxySeconds / a.archs, 1)
              << " s a candidate\n"
              << "recorded in " << a.check << "; every supernet estimate now carries it\n";
}

void runSupernet(const SupernetArgs& a) {
    const int modes = !a.out.empty() + !a.info.empty() + !a.check.empty();
    if (modes != 1) throw ArchError("supernet: give exactly one of --out, --info, --check");
    if (!a.info.empty()) {
        const json meta = supernetInfo(a.info);
        if (a.json) {
            std::cout << meta.dump(2) << "\n";
        } else {
            printInfo(meta, a.info);
        }
        return;
    }
    if (!a.check.empty()) {
        runCheck(a);
        return;
    }
    runTrain(a);
}

}  // namespace

void addSupernetCommands(CLI::App& app) {
    auto a = std::make_shared<SupernetArgs>();
    auto* cmd = app.add_subcommand(
        "supernet",
        "Train a search space's weight-sharing supernet (--out), show one (--info), or measure how "
        "well it ranks against stand-alone proxy training (--check)");
    cmd->add_option("--space", a->space, "Search space: efficientnet-x, efficientnet or a .json")
        ->capture_default_str();
    cmd->add_option("--out", a->out,
                    "Train and write the supernet here (reused when it exists "
                    "with the same space and settings)");
    cmd->add_option("--info", a->info, "Show what a supernet file holds");
    cmd->add_option("--check", a->check,
                    "Estimate --archs random candidates with the supernet and with stand-alone "
                    "proxy training; record Kendall tau in the file");
    cmd->add_flag("--force", a->force, "Retrain even when --out holds a matching supernet");
    auto& t = a->train;
    cmd->add_option("--epochs", t.epochs, "Training epochs")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    cmd->add_option("--subset", t.trainSubset, "First N training images (0 = all)")
        ->check(CLI::Range(0, 1 << 30))
        ->capture_default_str();
    auto* data = cmd->add_option("--data", t.dataFolder,
                                 "Dataset folder: MNIST IDX or CIFAR-10 binary (--check: default "
                                 "the one the supernet was trained on)")
                     ->capture_default_str();
    cmd->add_option("--stem-stride", t.stemStride,
                    "Stride of the stem conv at proxy scale (2: feature maps 4x smaller)")
        ->check(CLI::Range(1, 4))
        ->capture_default_str();
    cmd->add_option("--train-batch", t.batchSize, "Training batch (one random path per batch)")
        ->check(CLI::Range(2, 4096))
        ->capture_default_str();
    cmd->add_option("--lr", t.learningRate, "Adam learning rate (cosine-decayed)")
        ->check(CLI::Range(1e-6, 1.0))
        ->capture_default_str();
    cmd->add_option("--seed", t.seed, "Seed of weights, batch order and paths")
        ->capture_default_str();
    cmd->add_option("--threads", t.threads, "Intra-op threads (0 = all logical CPUs)")
        ->check(CLI::Range(0, 4096))
        ->capture_default_str();
    cmd->add_option("--archs", a->archs, "--check: architectures to compare")
        ->check(CLI::Range(3, 1000))
        ->capture_default_str();
    cmd->add_option("--check-seed", a->checkSeed, "--check: seed of the sampled architectures")
        ->capture_default_str();
    cmd->add_option("--bn-images", a->eval.bnImages,
                    "--check: training images BatchNorm statistics are recomputed on")
        ->check(CLI::Range(2, 100000))
        ->capture_default_str();
    cmd->add_option("--test-images", a->eval.testImages, "--check: test images scored")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    cmd->add_flag("--json", a->json, "One JSON document on stdout");
    cmd->callback([a, data] {
        a->eval.threads = a->train.threads;
        if (data->count() > 0) a->eval.dataFolder = a->train.dataFolder;
        runSupernet(*a);
    });
}

}  // namespace archscope::cli

#endif  // ARCHSCOPE_HAS_TORCH
