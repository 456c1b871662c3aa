#pragma once
// The `supernet` accuracy estimator: one weight-sharing supernet per search space, trained once
// on the proxy dataset with single-path one-shot sampling, then used to score any candidate of
// the space in milliseconds with inherited weights. Plain C++ header; LibTorch stays in
// supernet.cpp. docs/estimators.md gives the method and its measured trust (Kendall tau against
// stand-alone proxy training).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stop_token>
#include <string>

#include "accuracy_estimate.h"
#include "arch/network.h"
#include "dataset.h"
#include "search/space.h"

namespace archscope {

/// How the supernet is trained. Resolution and width are the `proxy` estimator's; the stem's
/// stride is 2 (proxy: 1), so feature maps are 4x smaller and a candidate scores in tens of
/// milliseconds. `supernet --check` trains candidates alone at this same scale to measure trust.
struct SupernetTrainSettings {
    std::filesystem::path dataFolder = kDefaultDatasetFolder;
    int resolution = 32;
    double widthMultiplier = 0.25;
    int stemStride = 2;
    int epochs = 6;  // 5,622 steps: the loss still fell from 2 to 6 epochs (docs/estimators.md)
    int trainSubset = 0;  ///< the first N training images (0 = all)
    int batchSize = 64;
    double learningRate = 5e-3;  ///< Adam, cosine-decayed to 0 over the run
    uint64_t seed = 0;           ///< weights, batch order and the path of every batch
    int threads = 1;
    int layoutSamples = 4000;  ///< random candidates the layout is collected from

    nlohmann::json toJson() const;
};

/// How a candidate is scored with the trained weights.
struct SupernetEvalSettings {
    int bnImages = 64;     ///< BatchNorm statistics recomputed on the first N training images
    int testImages = 128;  ///< scored on the first N test images (held out from training)
    int threads = 1;
    std::filesystem::path dataFolder;  ///< empty: the folder the supernet was trained on

    nlohmann::json toJson() const;
};

struct SupernetProgress {
    int step = 0;  ///< 1-based
    int steps = 0;
    double loss = 0.0;
    double seconds = 0.0;  ///< since training started
};
using SupernetProgressCallback = std::function<void(const SupernetProgress&)>;

/// Trains the supernet of `space` and writes it to `out` (a LibTorch archive with the space, the
/// settings, the dataset and the training time inside). Returns the file's info (supernetInfo).
/// Checks `stop` between batches (EstimateCancelled); throws ArchError for a space the supernet
/// cannot build, a missing dataset or an unwritable file (nothing is written then).
nlohmann::json trainSupernet(const SearchSpace& space, const SupernetTrainSettings& settings,
                             const std::filesystem::path& out, std::stop_token stop = {},
                             const SupernetProgressCallback& progress = {});

/// The info stored in a supernet file: format, version, space (name and JSON), training settings,
/// dataset, steps, training seconds, parameter count, and the last `check` if one was recorded.
/// Throws ArchError naming the file when it is not an Archscope supernet or is newer than the code.
nlohmann::json supernetInfo(const std::filesystem::path& file);

/// Stores a trust check (Kendall tau against stand-alone proxy training, see the CLI's
/// `supernet --check`) in the file with the time it was made, so every later estimate can carry
/// it. Returns the check as stored.
nlohmann::json recordSupernetCheck(const std::filesystem::path& file, nlohmann::json check);

/// A loaded supernet, ready to score candidates. Threading: one evaluator per thread.
class SupernetEvaluator {
public:
    SupernetEvaluator(const std::filesystem::path& file, const SupernetEvalSettings& settings);
    ~SupernetEvaluator();
    SupernetEvaluator(SupernetEvaluator&&) noexcept;
    SupernetEvaluator& operator=(SupernetEvaluator&&) noexcept;

    /// Scores `candidate` with the inherited weights after recomputing BatchNorm statistics for
    /// its path. Throws ArchError when the candidate is not a path of the supernet (it names the
    /// block and the dimension), EstimateCancelled when `stop` is requested.
    AccuracyEstimate estimate(const NetworkSpec& candidate, std::stop_token stop = {}) const;
    const nlohmann::json& info() const;
    const SearchSpace& space() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace archscope
