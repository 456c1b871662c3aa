// The weight-sharing supernet: module, single-path one-shot training, the file, and scoring a
// candidate with inherited weights after recomputing BatchNorm statistics for its path.
#include "supernet.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <ctime>
#include <deque>
#include <numbers>
#include <numeric>

#include "internal/estimator_common.h"
#include "internal/modules.h"
#include "measure.h"
#include "proxy_train.h"
#include "search/sampler.h"
#include "supernet_layout.h"
#include "util/output_path.h"
#include "util/splitmix64.h"

namespace archscope {

using namespace torchnet;
using torch::Tensor;
namespace F = torch::nn::functional;

namespace {

constexpr const char* kFormat = "archscope-supernet";
constexpr int kFormatVersion = 1;
constexpr const char* kMetaKey = "archscope_supernet_meta";
constexpr double kBnEpsilon = 1e-3;  // TensorFlow's, as the builder (modules.cpp)

/// BatchNorm of a path: batch statistics while training (the running statistics of a shared
/// layer would mix every path), statistics recomputed for one path, then those statistics.
struct BnState {
    enum class Mode { Train, Calibrate, Eval } mode = Mode::Train;
    std::vector<std::pair<Tensor, Tensor>> stats;  ///< per BatchNorm call, in path order
    size_t next = 0;
};

Tensor batchNorm(const Tensor& x, const Tensor& gamma, const Tensor& beta, BnState& bn) {
    switch (bn.mode) {
        case BnState::Mode::Train:
            return torch::batch_norm(x, gamma, beta, {}, {}, true, 0.0, kBnEpsilon, false);
        case BnState::Mode::Calibrate: {
            // Momentum 1: the running statistics become exactly this batch's.
            Tensor mean = torch::zeros({x.size(1)}, x.options());
            Tensor var = torch::ones({x.size(1)}, x.options());
            Tensor y = torch::batch_norm(x, gamma, beta, mean, var, true, 1.0, kBnEpsilon, false);
            bn.stats.emplace_back(mean, var);
            return y;
        }
        case BnState::Mode::Eval: {
            const auto& [mean, var] = bn.stats.at(bn.next++);
            return torch::batch_norm(x, gamma, beta, mean, var, false, 0.0, kBnEpsilon, false);
        }
    }
    return x;
}

/// A convolution's weight at its largest size and its BatchNorm's scale and shift.
struct ConvParams {
    Tensor weight;  ///< out x in/groups x k x k
    Tensor gamma, beta;
};

/// The weights of one slot: one branch per structural regime, shared by its shape choices.
struct SlotParams {
    std::optional<ConvParams> spaceToDepth, fused, expand, depthwise;
    Tensor seReduceW, seReduceB, seExpandW, seExpandB;  // undefined: no SE here
    ConvParams project;
};

/// The centre k x k of a k_max x k_max kernel (Once-for-All shares kernels this way).
Tensor centreKernel(const Tensor& w, int64_t k) {
    const int64_t kMax = w.size(2);
    if (k >= kMax) return w;
    const int64_t at = (kMax - k) / 2;
    return w.slice(2, at, at + k).slice(3, at, at + k);
}

class SupernetModuleImpl : public torch::nn::Module {
public:
    explicit SupernetModuleImpl(const SupernetLayout& layout) : m_layout(layout) {
        m_inputMean = register_buffer("input_mean", torch::zeros({1, layout.inputChannels, 1, 1}));
        m_inputStd = register_buffer("input_std", torch::ones({1, layout.inputChannels, 1, 1}));
        m_stem = addConv("stem", layout.stemChannels, layout.inputChannels, layout.stemKernel);
        for (const auto& [key, s] : layout.slots) {
            std::string name = key.name();
            std::replace(name.begin(), name.end(), '.', '_');  // LibTorch forbids dots
            const int in = std::max(s.maxIn, s.maxNominalIn);
            SlotParams p;
            if (key.spaceToDepth == 1)
                p.spaceToDepth = addConv(name + "_s2d", s.maxNominalIn, s.maxIn, 2);
            if (key.type == BlockType::FusedMBConv) {
                p.fused = addConv(name + "_fused", s.maxExpanded, in, s.maxKernel);
            } else {
                if (s.anyExpandConv) p.expand = addConv(name + "_expand", s.maxExpanded, in, 1);
                p.depthwise = addConv(name + "_dw", s.maxExpanded, 1, s.maxKernel);
            }
            if (s.maxSeReduced > 0) {
                p.seReduceW =
                    addWeight(name + "_se_reduce_w", {s.maxSeReduced, s.maxExpanded, 1, 1});
                p.seReduceB =
                    register_parameter(name + "_se_reduce_b", torch::zeros({s.maxSeReduced}));
                p.seExpandW =
                    addWeight(name + "_se_expand_w", {s.maxExpanded, s.maxSeReduced, 1, 1});
                p.seExpandB =
                    register_parameter(name + "_se_expand_b", torch::zeros({s.maxExpanded}));
            }
            p.project = addConv(name + "_project", s.maxOut, s.maxExpanded, 1);
            m_slots.emplace(key, std::move(p));
        }
        int features = layout.maxLastOut;
        if (layout.headChannels > 0) {
            m_head = addConv("head", layout.headChannels, layout.maxLastOut, 1);
            features = layout.headChannels;
        }
        const double bound = 1.0 / std::sqrt(double(features));
        m_fcW = register_parameter(
            "fc_w", torch::empty({layout.numClasses, features}).uniform_(-bound, bound));
        m_fcB = register_parameter("fc_b", torch::zeros({layout.numClasses}));
    }

    void setInputStatistics(const Tensor& mean, const Tensor& std) {
        torch::NoGradGuard noGrad;
        m_inputMean.copy_(mean.reshape(m_inputMean.sizes()));
        m_inputStd.copy_(std.reshape(m_inputStd.sizes()));
    }
    Tensor standardize(const Tensor& x) const {
        return (x - m_inputMean) / m_inputStd.clamp_min(1e-6);
    }

    Tensor forward(Tensor x, const Network& path, BnState& bn) {
        x = conv(x, m_stem, m_layout.stemChannels, m_layout.stemKernel, m_layout.stemStride, 1, bn,
                 m_layout.stemActivation);
        for (const Block& b : path.blocks) x = block(x, b, bn);
        if (m_head) {
            x = conv(x, *m_head, m_layout.headChannels, 1, 1, 1, bn, path.spec.defaultActivation);
        }
        x = x.mean({2, 3});
        return F::linear(x, m_fcW.slice(1, 0, x.size(1)), m_fcB);
    }

private:
    Tensor addWeight(const std::string& name, std::vector<int64_t> shape) {
        // He initialisation with fan-out, as the TF reference initialises its convolutions.
        const int64_t fanOut = shape[0] * shape[2] * shape[3];
        return register_parameter(name, torch::randn(shape) * std::sqrt(2.0 / double(fanOut)));
    }
    ConvParams addConv(const std::string& name, int64_t out, int64_t in, int64_t k) {
        ConvParams p;
        p.weight = addWeight(name + "_w", {out, in, k, k});
        p.gamma = register_parameter(name + "_bn_g", torch::ones({out}));
        p.beta = register_parameter(name + "_bn_b", torch::zeros({out}));
        return p;
    }

    /// The first `out` filters over the input's channels, the centre `k` of the kernel, TF
    /// 'SAME' padding for the actual input size; depthwise when `groups` > 1.
    Tensor conv(const Tensor& x, const ConvParams& p, int64_t out, int64_t k, int64_t stride,
                int64_t groups, BnState& bn, std::optional<Activation> activation) const {
        Tensor w = p.weight.slice(0, 0, out);
        if (groups == 1) w = w.slice(1, 0, x.size(1));
        w = centreKernel(w, k);
        const SamePadding pad = samePadding(x.size(2), x.size(3), k, k, stride, stride);
        const std::array<int64_t, 2> strides{stride, stride}, dilation{1, 1};
        Tensor y;
        if (pad.symmetric()) {
            const std::array<int64_t, 2> padding{pad.top, pad.left};
            y = torch::conv2d(x, w, {}, strides, padding, dilation, groups);
        } else {
            const std::array<int64_t, 2> none{0, 0};
            y = torch::conv2d(
                F::pad(x, F::PadFuncOptions({pad.left, pad.right, pad.top, pad.bottom})), w, {},
                strides, none, dilation, groups);
        }
        y = batchNorm(y, p.gamma.slice(0, 0, out), p.beta.slice(0, 0, out), bn);
        return activation ? activate(y, *activation) : y;
    }

    Tensor block(Tensor x, const Block& b, BnState& bn) const {
        const SlotParams& p = m_slots.at(slotKeyOf(b));
        const Tensor input = x;
        if (p.spaceToDepth && b.spaceToDepth == 1)
            x = conv(x, *p.spaceToDepth, b.nominalIn, 2, 2, 1, bn, b.activation);
        const int64_t expanded = b.expandedChannels();
        if (b.type == BlockType::FusedMBConv) {
            x = conv(x, *p.fused, expanded, b.kernel, b.strideH, 1, bn, b.activation);
        } else {
            if (b.expandRatio != 1) x = conv(x, *p.expand, expanded, 1, 1, 1, bn, b.activation);
            x = conv(x, *p.depthwise, x.size(1), b.kernel, b.strideH, x.size(1), bn, b.activation);
        }
        if (b.seRatio > 0.0) {
            const int64_t c = x.size(1), r = b.seReduced;
            // On [N, C] as matrix products: a 1x1 convolution of a 1x1 map costs a oneDNN
            // primitive per call for a few thousand multiply-adds.
            Tensor gate = x.mean({2, 3});
            gate = F::linear(gate, p.seReduceW.slice(0, 0, r).slice(1, 0, c).flatten(1),
                             p.seReduceB.slice(0, 0, r));
            gate = activate(gate, b.activation);
            gate = F::linear(gate, p.seExpandW.slice(0, 0, c).slice(1, 0, r).flatten(1),
                             p.seExpandB.slice(0, 0, c))
                       .unsqueeze(-1)
                       .unsqueeze(-1);
            x = x * gate.sigmoid();
        }
        x = conv(x, p.project, b.outChannels, 1, 1, 1, bn, std::nullopt);
        if (b.hasResidual() && x.sizes() == input.sizes()) x = x + input;
        return x;
    }

    SupernetLayout m_layout;
    Tensor m_inputMean, m_inputStd;
    ConvParams m_stem;
    std::optional<ConvParams> m_head;
    std::map<SupernetSlotKey, SlotParams> m_slots;
    Tensor m_fcW, m_fcB;
};
TORCH_MODULE(SupernetModule);

void validateTrain(const SupernetTrainSettings& s) {
    auto require = [](bool ok, const std::string& what) {
        if (!ok) throw ArchError("supernet setting " + what);
    };
    require(s.resolution >= 8 && s.resolution <= 512, "resolution must be in 8..512");
    require(s.widthMultiplier > 0.0 && s.widthMultiplier <= 4.0, "width must be in (0, 4]");
    require(s.stemStride >= 1 && s.stemStride <= 4, "stem stride must be in 1..4");
    require(s.epochs >= 1 && s.epochs <= 1000, "epochs must be in 1..1000");
    require(s.trainSubset >= 0, "training subset must be >= 0 (0 = all)");
    require(s.batchSize >= 2 && s.batchSize <= 4096, "batch size must be in 2..4096");
    require(s.learningRate > 0.0 && s.learningRate < 10.0, "learning rate must be in (0, 10)");
    require(s.layoutSamples >= 0 && s.layoutSamples <= 1000000, "layout samples must be in 0..1e6");
}

SupernetLayout layoutFor(const SearchSpace& space, const SupernetTrainSettings& s, int channels,
                         int classes) {
    return collectSupernetLayout(space, s.resolution, s.widthMultiplier, s.stemStride, channels,
                                 classes, s.layoutSamples, s.seed);
}

SupernetTrainSettings trainSettingsFromJson(const nlohmann::json& j) {
    SupernetTrainSettings s;
    s.dataFolder = j.at("data").get<std::string>();
    s.resolution = j.at("resolution").get<int>();
    s.widthMultiplier = j.at("width_multiplier").get<double>();
    s.stemStride = j.at("stem_stride").get<int>();
    s.epochs = j.at("epochs").get<int>();
    s.trainSubset = j.at("train_subset").get<int>();
    s.batchSize = j.at("batch_size").get<int>();
    s.learningRate = j.at("learning_rate").get<double>();
    s.seed = j.at("seed").get<uint64_t>();
    s.threads = j.at("threads").get<int>();
    s.layoutSamples = j.at("layout_samples").get<int>();
    return s;
}

std::string utcNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/// Reads the archive and its metadata; a file that is not a supernet gets a message saying so.
nlohmann::json readMeta(torch::serialize::InputArchive& archive,
                        const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw ArchError("supernet file \"" + file.string() +
                        "\" does not exist; train one with `archscope-cli supernet --space S "
                        "--out FILE`");
    try {
        archive.load_from(file.string());
    } catch (const c10::Error&) {
        throw ArchError("\"" + file.string() +
                        "\" is not a supernet file (not a LibTorch archive); train one with "
                        "`archscope-cli supernet --space S --out FILE`");
    }
    c10::IValue value;
    if (!archive.try_read(kMetaKey, value) || !value.isString())
        throw ArchError("\"" + file.string() +
                        "\" is a LibTorch archive but not an Archscope "
                        "supernet (no metadata)");
    nlohmann::json meta;
    try {
        meta = nlohmann::json::parse(value.toStringRef());
    } catch (const nlohmann::json::exception&) {
        throw ArchError("supernet file \"" + file.string() + "\" has corrupt metadata");
    }
    if (meta.value("format", "") != kFormat)
        throw ArchError("\"" + file.string() + "\" is not an Archscope supernet file");
    const int version = meta.value("version", 0);
    if (version > kFormatVersion)
        throw ArchError("supernet file \"" + file.string() + "\" has version " +
                        std::to_string(version) + ", newer than this Archscope reads (" +
                        std::to_string(kFormatVersion) + "); update Archscope");
    return meta;
}

/// Writes through a temporary file and a rename, so a failed or cancelled write never leaves a
/// half-written supernet under the real name.
void writeArchive(SupernetModule& net, const nlohmann::json& meta,
                  const std::filesystem::path& out) {
    torch::serialize::OutputArchive archive;
    net->save(archive);
    archive.write(kMetaKey, c10::IValue(meta.dump()));
    const std::filesystem::path tmp = out.string() + ".tmp";
    try {
        archive.save_to(tmp.string());
    } catch (const c10::Error& e) {
        throw ArchError("cannot write supernet file \"" + out.string() +
                        "\": " + e.what_without_backtrace());
    }
    std::error_code ec;
    std::filesystem::rename(tmp, out, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw ArchError("cannot write supernet file \"" + out.string() + "\"");
    }
}

}  // namespace

nlohmann::json SupernetTrainSettings::toJson() const {
    return {{"data", dataFolder.string()},
            {"resolution", resolution},
            {"width_multiplier", widthMultiplier},
            {"stem_stride", stemStride},
            {"epochs", epochs},
            {"train_subset", trainSubset},
            {"batch_size", batchSize},
            {"optimizer", "adam"},
            {"learning_rate", learningRate},
            {"lr_schedule", "cosine to 0"},
            {"sampling", "uniform single path per batch"},
            {"seed", seed},
            {"threads", threads},
            {"layout_samples", layoutSamples}};
}

nlohmann::json SupernetEvalSettings::toJson() const {
    return {{"bn_images", bnImages}, {"test_images", testImages}, {"threads", threads}};
}

// Long (~85 lines): the training script in order (data, model, single-path loop, metadata) over
// tensors and counters that every step shares.
nlohmann::json trainSupernet(const SearchSpace& space, const SupernetTrainSettings& s,
                             const std::filesystem::path& out, std::stop_token stop,
                             const SupernetProgressCallback& progress) {
    validateTrain(s);
    const auto start = std::chrono::steady_clock::now();
    // Fail on an unwritable destination now, not after minutes of training.
    requireOutputPath(out.string(), "supernet file");
    const int threads = applyThreads(s.threads);
    const Dataset data = loadDataset(s.dataFolder, s.trainSubset, 1);
    const SupernetLayout layout = layoutFor(space, s, data.train.channels, data.numClasses);
    const int64_t trainCount = data.train.count;

    torch::manual_seed(s.seed);
    SupernetModule net(layout);
    Tensor trainX =
        imagesToTensor(data.train, data.train.channels, s.resolution, FitMode::PadOrResize);
    net->setInputStatistics(trainX.mean({0, 2, 3}), trainX.std({0, 2, 3}, /*unbiased=*/false));
    trainX = net->standardize(trainX).detach();
    const Tensor trainY = torch::tensor(
        std::vector<int64_t>(data.train.labels.begin(), data.train.labels.end()), torch::kInt64);

    torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(s.learningRate));
    const int64_t stepsPerEpoch = trainCount / s.batchSize;  // full batches only: BN statistics
    const int64_t steps = stepsPerEpoch * s.epochs;
    if (steps < 1)
        throw ArchError("supernet: " + std::to_string(trainCount) +
                        " training images make no batch of " + std::to_string(s.batchSize));
    // One uniformly random path per batch (single-path one-shot, Guo et al. 2020).
    SplitMix64 paths(s.seed * 0x9e3779b97f4a7c15ULL + 1);
    std::deque<double> recentLosses;
    int64_t step = 0;
    net->train();
    for (int epoch = 0; epoch < s.epochs; ++epoch) {
        const Tensor order = torch::tensor(
            seededPermutation(trainCount, s.seed * 1000003ULL + uint64_t(epoch)), torch::kInt64);
        for (int64_t b = 0; b < stepsPerEpoch; ++b) {
            if (stop.stop_requested()) throw EstimateCancelled();
            const Candidate c = randomCandidate(space, paths);
            const Network path =
                supernetPath(decodeCandidate(space, c, "path"), s.resolution, s.widthMultiplier,
                             s.stemStride, data.train.channels, data.numClasses);
            const Tensor idx = order.slice(0, b * s.batchSize, (b + 1) * s.batchSize);
            setCosineLearningRate(optimizer, s.learningRate, step, steps);
            // Unset, not zeroed: weights off this batch's path get no Adam step at all.
            for (auto& p : net->parameters()) p.mutable_grad() = Tensor();
            BnState bn;
            const Tensor loss = F::cross_entropy(
                net->forward(trainX.index_select(0, idx), path, bn), trainY.index_select(0, idx));
            loss.backward();
            optimizer.step();
            ++step;
            const double l = loss.item<double>();
            recentLosses.push_back(l);
            if (recentLosses.size() > 50) recentLosses.pop_front();
            if (progress) {
                progress({int(step), int(steps), l,
                          std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                              .count()});
            }
        }
    }
    int64_t parameters = 0;
    for (const auto& p : net->parameters()) parameters += p.numel();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    nlohmann::json meta = {
        {"format", kFormat},
        {"version", kFormatVersion},
        {"space_name", space.name},
        {"space", searchSpaceToJson(space)},
        {"train_settings", s.toJson()},
        {"dataset", describeDataset(data)},
        {"dataset_name", data.name},
        {"input_channels", data.train.channels},
        {"num_classes", data.numClasses},
        {"train_images", trainCount},
        {"steps", steps},
        {"train_seconds", seconds},
        {"final_loss", std::accumulate(recentLosses.begin(), recentLosses.end(), 0.0) /
                           double(std::max<size_t>(1, recentLosses.size()))},
        {"parameters", parameters},
        {"slots", layout.slots.size()},
        {"threads", threads},
        {"created", utcNow()},
    };
    writeArchive(net, meta, out);
    return meta;
}

nlohmann::json supernetInfo(const std::filesystem::path& file) {
    torch::serialize::InputArchive archive;
    return readMeta(archive, file);
}

// ---- evaluation ------------------------------------------------------------------------------

struct SupernetEvaluator::Impl {
    nlohmann::json meta;
    SupernetTrainSettings train;
    SupernetEvalSettings eval;
    SearchSpace space;
    SupernetLayout layout;
    SupernetModule net{nullptr};
    std::string dataset;
    Tensor bnX, testX, testY;

    Impl(const std::filesystem::path& file, const SupernetEvalSettings& settings) : eval(settings) {
        if (eval.bnImages < 2 || eval.bnImages > 100000)
            throw ArchError("supernet setting: BatchNorm images must be in 2..100000");
        if (eval.testImages < 1 || eval.testImages > 1000000)
            throw ArchError("supernet setting: test images must be in 1..1000000");
        torch::serialize::InputArchive archive;
        meta = readMeta(archive, file);
        try {
            train = trainSettingsFromJson(meta.at("train_settings"));
            space =
                searchSpaceFromJson(meta.at("space"), "supernet file \"" + file.string() + "\"");
        } catch (const nlohmann::json::exception&) {
            throw ArchError("supernet file \"" + file.string() + "\" has incomplete metadata");
        }
        const std::filesystem::path folder =
            eval.dataFolder.empty() ? train.dataFolder : eval.dataFolder;
        eval.dataFolder = folder;
        applyThreads(eval.threads);
        // Each estimate allocates the same activation sizes: keep freed memory in the process
        // instead of returning it to the kernel and faulting it in again (as measure does).
        makeAllocatorSteady();
        const Dataset data = loadDataset(folder, eval.bnImages, eval.testImages);
        if (data.numClasses != meta.value("num_classes", 0) ||
            data.train.channels != meta.value("input_channels", 0))
            throw ArchError("dataset \"" + folder.string() + "\" has " +
                            std::to_string(data.numClasses) + " classes and " +
                            std::to_string(data.train.channels) +
                            "-channel images; the supernet was trained on " +
                            meta.value("dataset", std::string("another dataset")));
        dataset = describeDataset(data);
        layout = layoutFor(space, train, data.train.channels, data.numClasses);
        net = SupernetModule(layout);
        try {
            net->load(archive);
        } catch (const c10::Error&) {
            throw ArchError("supernet file \"" + file.string() +
                            "\" does not match its own space (corrupt, or written by another "
                            "version); train it again");
        }
        net->eval();
        torch::NoGradGuard noGrad;
        const int channels = data.train.channels;
        bnX = net->standardize(imagesToTensor(data.train, channels, train.resolution,
                                              FitMode::PadOrResize, eval.bnImages));
        testX = net->standardize(imagesToTensor(data.test, channels, train.resolution,
                                                FitMode::PadOrResize, eval.testImages));
        testY = torch::tensor(std::vector<int64_t>(data.test.labels.begin(),
                                                   data.test.labels.begin() + testX.size(0)),
                              torch::kInt64);
    }
};

SupernetEvaluator::SupernetEvaluator(const std::filesystem::path& file,
                                     const SupernetEvalSettings& settings)
    : m_impl(std::make_unique<Impl>(file, settings)) {}
SupernetEvaluator::~SupernetEvaluator() = default;
SupernetEvaluator::SupernetEvaluator(SupernetEvaluator&&) noexcept = default;
SupernetEvaluator& SupernetEvaluator::operator=(SupernetEvaluator&&) noexcept = default;

const nlohmann::json& SupernetEvaluator::info() const {
    return m_impl->meta;
}
const SearchSpace& SupernetEvaluator::space() const {
    return m_impl->space;
}

AccuracyEstimate SupernetEvaluator::estimate(const NetworkSpec& candidate,
                                             std::stop_token stop) const {
    const auto start = std::chrono::steady_clock::now();
    Impl& d = *m_impl;
    const int threads = applyThreads(d.eval.threads);
    const Network path =
        supernetPath(candidate, d.train.resolution, d.train.widthMultiplier, d.train.stemStride,
                     d.layout.inputChannels, d.layout.numClasses);
    checkPathInLayout(path, d.layout);
    int64_t correct = 0;
    try {
        c10::InferenceMode guard;
        BnState bn;
        bn.mode = BnState::Mode::Calibrate;  // one batch: the statistics are exact averages
        d.net->forward(d.bnX, path, bn);
        bn.mode = BnState::Mode::Eval;
        constexpr int64_t kBatch = 500;
        for (int64_t at = 0; at < d.testX.size(0); at += kBatch) {
            if (stop.stop_requested()) throw EstimateCancelled();
            const int64_t end = std::min<int64_t>(at + kBatch, d.testX.size(0));
            bn.next = 0;
            const Tensor predicted = d.net->forward(d.testX.slice(0, at, end), path, bn).argmax(1);
            correct += predicted.eq(d.testY.slice(0, at, end)).sum().item<int64_t>();
        }
    } catch (const EstimateCancelled&) {
        throw;
    } catch (...) {
        rethrowAsArchError("supernet estimate of \"" + candidate.name + "\"");
    }
    AccuracyEstimate e;
    e.value = 100.0 * double(correct) / double(d.testX.size(0));
    e.estimator = "supernet";
    e.metric = "supernet top-1 on " + d.meta.value("dataset_name", std::string("proxy data"));
    e.unit = "%";
    e.dataset = d.dataset;
    e.settings = d.eval.toJson();
    e.settings["threads"] = threads;
    e.settings["test_images"] = d.testX.size(0);
    e.settings["data"] = d.eval.dataFolder.string();
    e.settings["supernet"] = {{"space", d.meta.value("space_name", "")},
                              {"created", d.meta.value("created", "")},
                              {"steps", d.meta.value("steps", 0)},
                              {"train_seconds", d.meta.value("train_seconds", 0.0)},
                              {"train_settings", d.meta.at("train_settings")}};
    if (d.meta.contains("check")) e.settings["supernet"]["check"] = d.meta["check"];
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return e;
}

nlohmann::json recordSupernetCheck(const std::filesystem::path& file, nlohmann::json check) {
    torch::serialize::InputArchive archive;
    nlohmann::json meta = readMeta(archive, file);
    const SupernetTrainSettings train = trainSettingsFromJson(meta.at("train_settings"));
    const SearchSpace space = searchSpaceFromJson(meta.at("space"), file.string());
    SupernetModule net(layoutFor(space, train, meta.at("input_channels").get<int>(),
                                 meta.at("num_classes").get<int>()));
    net->load(archive);
    check["checked"] = utcNow();
    meta["check"] = check;
    writeArchive(net, meta, file);
    return check;
}

}  // namespace archscope
