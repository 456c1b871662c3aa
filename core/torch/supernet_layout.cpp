// The supernet's layout from resolved proxy-scale networks. Plain C++: no torch here.
#include "supernet_layout.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "proxy_train.h"
#include "search/sampler.h"
#include "util/splitmix64.h"

namespace archscope {

namespace {

void addBlock(SupernetSlot& s, const Block& b) {
    s.maxIn = std::max(s.maxIn, b.inChannels);
    s.maxNominalIn = std::max(s.maxNominalIn, b.nominalIn);
    s.maxExpanded = std::max(s.maxExpanded, b.expandedChannels());
    s.maxOut = std::max(s.maxOut, b.outChannels);
    s.maxKernel = std::max(s.maxKernel, b.kernel);
    s.maxSeReduced = std::max(s.maxSeReduced, b.seReduced);
    if (b.type == BlockType::MBConv && b.expandRatio != 1) s.anyExpandConv = true;
    s.kernels.insert(b.kernel);
    s.ins.insert(b.inChannels);
    s.expandeds.insert(b.expandedChannels());
    s.outs.insert(b.outChannels);
    s.seReduceds.insert(b.seReduced);
}

std::string listOf(const std::set<int>& values) {
    std::string out;
    for (int v : values) out += (out.empty() ? "" : ", ") + std::to_string(v);
    return out;
}

}  // namespace

std::string SupernetSlotKey::name() const {
    return "s" + std::to_string(stage) + ".r" + std::to_string(repeat) + "." +
           std::string(blockTypeName(type)) + ".d" + std::to_string(spaceToDepth) + ".s" +
           std::to_string(stride);
}

SupernetSlotKey slotKeyOf(const Block& b) {
    return {b.stage, b.repeat, b.type, b.spaceToDepth, b.strideH};
}

Network supernetPath(const NetworkSpec& candidate, int resolution, double widthMultiplier,
                     int stemStride, int inputChannels, int numClasses) {
    ProxySettings s;
    s.resolution = resolution;
    s.widthMultiplier = widthMultiplier;
    s.stemStride = stemStride;
    NetworkSpec spec = proxySpec(candidate, s, inputChannels, numClasses);
    spec.name = candidate.name;  // messages name the candidate as the user wrote it
    return buildNetwork(spec);
}

SupernetLayout collectSupernetLayout(const SearchSpace& space, int resolution,
                                     double widthMultiplier, int stemStride, int inputChannels,
                                     int numClasses, int samples, uint64_t seed) {
    std::vector<Candidate> candidates{baseCandidate(space)};
    // Every single-choice variation of the base: each marginal choice occurs at least once even
    // in a tiny sample.
    for (int d = 0; d < space.decisionCount(); ++d) {
        for (int i = 0; i < space.choiceCount(d); ++i) {
            Candidate c = candidates.front();
            c.choices[size_t(d)] = static_cast<uint8_t>(i);
            candidates.push_back(c);
        }
    }
    SplitMix64 rng(seed ^ 0x5eedf00dULL);
    for (int i = 0; i < samples; ++i) candidates.push_back(randomCandidate(space, rng));

    SupernetLayout layout;
    bool first = true;
    for (const Candidate& c : candidates) {
        const Network net = supernetPath(decodeCandidate(space, c, space.name), resolution,
                                         widthMultiplier, stemStride, inputChannels, numClasses);
        if (first) {
            layout.inputChannels = inputChannels;
            layout.numClasses = numClasses;
            layout.stemChannels = net.stemChannels;
            layout.stemKernel = net.spec.stem.kernel;
            layout.stemStride = net.spec.stem.stride;
            layout.stemActivation = net.spec.defaultActivation;
            layout.headChannels = net.headChannels;
            if (net.spec.stem.maxPool)
                throw ArchError("supernet: space \"" + space.name +
                                "\" has a max-pool stem, which the supernet does not build");
            first = false;
        }
        for (const Block& b : net.blocks) {
            if (b.type == BlockType::Bottleneck)
                throw ArchError("supernet: space \"" + space.name +
                                "\" has bottleneck blocks; the supernet builds MBConv and fused "
                                "MBConv only");
            addBlock(layout.slots[slotKeyOf(b)], b);
        }
        layout.maxLastOut = std::max(layout.maxLastOut, net.blocks.back().outChannels);
    }
    return layout;
}

void checkPathInLayout(const Network& path, const SupernetLayout& layout) {
    auto refuse = [&](const std::string& what) {
        throw ArchError("\"" + path.name() + "\" is not a path of this supernet: " + what +
                        ". The supernet holds the networks of its search space at scaling 1.0 "
                        "(see `archscope-cli supernet --info FILE`); estimate others with "
                        "--accuracy proxy");
    };
    if (path.spec.inputChannels != layout.inputChannels ||
        path.spec.numClasses != layout.numClasses)
        refuse("its input channels or classes differ from the supernet's dataset");
    if (path.stemChannels != layout.stemChannels)
        refuse("its stem has " + std::to_string(path.stemChannels) +
               " channels at proxy scale, the supernet's " + std::to_string(layout.stemChannels));
    if (path.spec.stem.kernel != layout.stemKernel)
        refuse("its stem kernel is " + std::to_string(path.spec.stem.kernel) + ", the supernet's " +
               std::to_string(layout.stemKernel));
    if (path.spec.defaultActivation != layout.stemActivation)
        refuse("its default activation (stem and head) is " +
               std::string(activationName(path.spec.defaultActivation)) + ", the supernet's " +
               std::string(activationName(layout.stemActivation)));
    if (path.headChannels != layout.headChannels)
        refuse("its head has " + std::to_string(path.headChannels) +
               " channels at proxy scale, the supernet's " + std::to_string(layout.headChannels));
    for (const Block& b : path.blocks) {
        const std::string where =
            "stage " + std::to_string(b.stage) + " block " + std::to_string(b.repeat);
        const auto it = layout.slots.find(slotKeyOf(b));
        if (it == layout.slots.end())
            refuse(where + " (" + slotKeyOf(b).name() +
                   ") has no slot: the space has fewer "
                   "repeats there, or another block kind / space-to-depth / stride");
        const SupernetSlot& s = it->second;
        auto check = [&](const std::set<int>& trained, int v, const char* what) {
            if (!trained.contains(v))
                refuse(where + " has " + what + " " + std::to_string(v) +
                       "; trained: " + listOf(trained));
        };
        check(s.kernels, b.kernel, "kernel");
        check(s.ins, b.inChannels, "input channels");
        check(s.expandeds, b.expandedChannels(), "expanded channels");
        check(s.outs, b.outChannels, "output channels");
        check(s.seReduceds, b.seReduced, "SE channels");
    }
}

nlohmann::json supernetLayoutSummary(const SupernetLayout& layout) {
    nlohmann::json slots = nlohmann::json::array();
    for (const auto& [key, s] : layout.slots) {
        slots.push_back({{"slot", key.name()},
                         {"max_in", s.maxIn},
                         {"max_expanded", s.maxExpanded},
                         {"max_out", s.maxOut},
                         {"kernels", s.kernels},
                         {"outs", s.outs}});
    }
    return {{"stem_channels", layout.stemChannels},
            {"head_channels", layout.headChannels},
            {"slots", slots}};
}

}  // namespace archscope
