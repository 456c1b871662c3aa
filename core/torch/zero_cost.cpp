// The `zero-cost` accuracy estimator: NASWOT (Mellor et al., ICML 2021), the log-determinant of
// the Hamming kernel of binary activation codes of an untrained network over one minibatch.
#include "zero_cost.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

#include "internal/estimator_common.h"
#include "internal/modules.h"

#include "proxy_train.h"
#include "torchnetwork.h"

namespace archscope {

using namespace torchnet;

namespace {

/// Images drawn from the training split form the minibatch (the score is meant on real data).
constexpr int kZeroCostImagePool = 10000;

/// Sums K = N_A - Hamming over observed layers. With z = 2c - 1 in {-1, 1},
/// c c^T + (1-c)(1-c)^T = (N_A + z z^T) / 2: one matrix product per layer instead of two.
class NaswotKernel {
public:
    explicit NaswotKernel(int64_t n) : m_k(torch::zeros({n, n}, torch::kFloat64)) {}

    void add(const torch::Tensor& activated) {
        const torch::Tensor flat = activated.flatten(1);
        const int64_t units = flat.size(1);
        // Float32 sums of +-1 are exact below 2^24; longer codes use float64.
        const auto type = units < (int64_t(1) << 24) ? torch::kFloat32 : torch::kFloat64;
        const torch::Tensor z = flat.gt(0).to(type).mul_(2.0).sub_(1.0);
        m_k.add_(torch::mm(z, z.t()).to(torch::kFloat64).add_(double(units)).mul_(0.5));
        m_units += units;
        ++m_layers;
    }
    const torch::Tensor& matrix() const { return m_k; }
    int64_t units() const { return m_units; }
    int layers() const { return m_layers; }

private:
    torch::Tensor m_k;
    int64_t m_units = 0;
    int m_layers = 0;
};

double logDet(const torch::Tensor& k) {
    const auto [sign, logAbs] =
        at::linalg_slogdet(k);  // ATen name: torch::linalg is not in every release
    if (sign.item<double>() <= 0.0) return -std::numeric_limits<double>::infinity();
    return logAbs.item<double>();
}

ImageSet pickImages(const ImageSet& from, const std::vector<int64_t>& which) {
    ImageSet out = from;
    out.count = int(which.size());
    out.pixels.clear();
    out.labels.clear();
    const size_t size = from.imageSize();
    for (int64_t i : which) {
        const auto* image = from.pixels.data() + size_t(i) * size;
        out.pixels.insert(out.pixels.end(), image, image + size);
        out.labels.push_back(from.labels[size_t(i)]);
    }
    return out;
}

void validate(const ZeroCostSettings& s) {
    if (s.batch < 2 || s.batch > 1024)
        throw ArchError("zero-cost batch must be in 2..1024, got " + std::to_string(s.batch));
    if (s.resolution < 0 || s.resolution > 2048)
        throw ArchError("zero-cost resolution must be in 0..2048 (0 = the network's own)");
}

}  // namespace

nlohmann::json ZeroCostSettings::toJson() const {
    return {{"score", "NASWOT"},
            {"paper", "Mellor et al., Neural Architecture Search without Training, ICML 2021"},
            {"input", gaussianInput ? "gaussian" : "dataset"},
            {"batch", batch},
            {"resolution", resolution},
            {"batchnorm", "batch statistics (train mode), untrained weights"},
            {"seed", seed},
            {"threads", threads}};
}

double naswotLogDet(const std::vector<std::vector<uint8_t>>& codes) {
    if (codes.empty()) throw ArchError("NASWOT needs at least one activation code");
    const auto n = int64_t(codes.size());
    const auto units = int64_t(codes.front().size());
    torch::Tensor c = torch::empty({n, units}, torch::kUInt8);
    for (int64_t i = 0; i < n; ++i) {
        if (int64_t(codes[size_t(i)].size()) != units)
            throw ArchError("NASWOT activation codes differ in length");
        std::memcpy(c[i].data_ptr<uint8_t>(), codes[size_t(i)].data(), size_t(units));
    }
    NaswotKernel k(n);
    k.add(c);
    return logDet(k.matrix());
}

AccuracyEstimate estimateZeroCost(const NetworkSpec& spec, const Dataset* data,
                                  const ZeroCostSettings& s, std::stop_token stop) {
    validate(s);
    if (!s.gaussianInput && !data) throw ArchError("zero-cost: no dataset given for the inputs");
    const auto start = std::chrono::steady_clock::now();
    const int threads = applyThreads(s.threads);
    NetworkSpec netSpec = spec;
    if (s.resolution > 0) netSpec.scaling.resolution = s.resolution;
    const Network net = buildNetwork(netSpec);
    const int side = net.resolution;
    double score = 0.0;
    int layers = 0;
    int64_t units = 0;
    try {
        torch::manual_seed(s.seed);
        TorchOptions opts;
        opts.batch = s.batch;
        TorchNetwork built(net, opts);
        ArchNet& model = built.impl().module;
        torch::Tensor x;
        if (s.gaussianInput) {
            x = torch::randn({s.batch, net.spec.inputChannels, side, side});
        } else {
            const ImageSet& pool = data->train;
            if (pool.count < s.batch) {
                throw ArchError("zero-cost: the dataset has " + std::to_string(pool.count) +
                                " training images, fewer than the batch of " +
                                std::to_string(s.batch));
            }
            const int64_t poolSize = std::min(pool.count, kZeroCostImagePool);
            std::vector<int64_t> pick = seededPermutation(poolSize, s.seed);
            pick.resize(size_t(s.batch));
            x = imagesToTensor(pickImages(pool, pick), net.spec.inputChannels, side,
                               FitMode::Resize);
            x = standardize(x, x);
        }
        NaswotKernel kernel(s.batch);
        {
            ScopedActivationObserver observe([&](const torch::Tensor& activated) {
                if (stop.stop_requested()) throw EstimateCancelled();
                kernel.add(activated);
            });
            torch::NoGradGuard noGrad;
            model->train();  // batch statistics, as the reference code runs fresh networks
            model->forward(x);
        }
        if (stop.stop_requested()) throw EstimateCancelled();
        score = logDet(kernel.matrix());
        layers = kernel.layers();
        units = kernel.units();
    } catch (const EstimateCancelled&) {
        throw;
    } catch (...) {
        rethrowAsArchError("NASWOT score of \"" + spec.name + "\"");
    }
    AccuracyEstimate e;
    e.value = score;
    e.estimator = "zero-cost";
    e.metric = "NASWOT score";
    e.dataset = s.gaussianInput ? "gaussian noise" : describeDataset(*data);
    e.settings = s.toJson();
    e.settings["threads"] = threads;
    e.settings["resolution"] = side;
    e.settings["hooked_activations"] = layers;
    e.settings["code_length"] = units;
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return e;
}

AccuracyEstimate estimateZeroCost(const NetworkSpec& spec, const ZeroCostSettings& s,
                                  std::stop_token stop) {
    validate(s);
    if (s.gaussianInput) return estimateZeroCost(spec, nullptr, s, std::move(stop));
    const Dataset data = loadDataset(s.dataFolder, kZeroCostImagePool, 1);
    return estimateZeroCost(spec, &data, s, std::move(stop));
}

}  // namespace archscope
