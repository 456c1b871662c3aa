#include "space.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "arch/expand.h"
#include "arch/json.h"
#include "util/json_input.h"
#include "util/resources.h"

namespace archscope {

using nlohmann::json;

std::string_view decisionName(Decision d) {
    switch (d) {
        case Decision::BlockKind:
            return "block";
        case Decision::Kernel:
            return "kernel";
        case Decision::Expand:
            return "expand";
        case Decision::SeRatio:
            return "se";
        case Decision::Activation:
            return "activation";
        case Decision::RepeatsDelta:
            return "repeats_delta";
        case Decision::FiltersMultiplier:
            return "filters";
        case Decision::SpaceToDepth:
            return "space_to_depth";
        case Decision::Count:
            break;
    }
    return "?";
}

int StageSpace::choiceCount(Decision d) const {
    switch (d) {
        case Decision::BlockKind:
            return static_cast<int>(kinds.size());
        case Decision::Kernel:
            return static_cast<int>(kernels.size());
        case Decision::Expand:
            return static_cast<int>(expands.size());
        case Decision::SeRatio:
            return static_cast<int>(seRatios.size());
        case Decision::Activation:
            return static_cast<int>(activations.size());
        case Decision::RepeatsDelta:
            return static_cast<int>(repeatsDeltas.size());
        case Decision::FiltersMultiplier:
            return static_cast<int>(filtersMultipliers.size());
        case Decision::SpaceToDepth:
            return static_cast<int>(spaceToDepth.size());
        case Decision::Count:
            break;
    }
    return 1;
}

double SearchSpace::size() const {
    double n = 1.0;
    for (int i = 0; i < decisionCount(); ++i) n *= choiceCount(i);
    return n;
}

int SearchSpace::choiceCount(int decisionIndex) const {
    const auto& stage = stages[static_cast<size_t>(decisionIndex / kDecisionsPerStage)];
    return stage.choiceCount(static_cast<Decision>(decisionIndex % kDecisionsPerStage));
}

namespace {

int makeDivisible(double filters, int divisor) {
    int rounded = std::max(divisor, static_cast<int>(filters + divisor / 2.0) / divisor * divisor);
    if (rounded < 0.9 * filters) rounded += divisor;
    return rounded;
}

template <typename T>
int indexOf(const std::vector<T>& values, const T& value) {
    auto it = std::find(values.begin(), values.end(), value);
    return it == values.end() ? 0 : static_cast<int>(it - values.begin());
}

}  // namespace

NetworkSpec decodeCandidate(const SearchSpace& space, const Candidate& c, const std::string& name) {
    if (static_cast<int>(c.choices.size()) != space.decisionCount()) {
        throw ArchError("candidate has " + std::to_string(c.choices.size()) +
                        " decisions but space \"" + space.name + "\" has " +
                        std::to_string(space.decisionCount()));
    }
    NetworkSpec spec = space.base;
    spec.name = name;
    spec.blocks.clear();
    int previousOut = 0;
    bool inSpaceToDepth = false;
    for (size_t s = 0; s < space.stages.size(); ++s) {
        const StageSpace& st = space.stages[s];
        auto pick = [&](Decision d) {
            int index = c.choices[s * kDecisionsPerStage + static_cast<size_t>(d)];
            if (index >= st.choiceCount(d)) {
                throw ArchError("candidate choice " + std::to_string(index) + " out of range for " +
                                "stages[" + std::to_string(s) + "]." +
                                std::string(decisionName(d)));
            }
            return static_cast<size_t>(index);
        };
        BlockArgs a = st.base;
        a.type = st.kinds[pick(Decision::BlockKind)];
        a.kernel = st.kernels[pick(Decision::Kernel)];
        a.expand = st.expands[pick(Decision::Expand)];
        const double se = st.seRatios[pick(Decision::SeRatio)];
        a.seRatio = se > 0.0 ? std::optional<double>(se) : std::nullopt;
        a.activation = st.activations[pick(Decision::Activation)];
        a.repeats = std::max(1, st.base.repeats + st.repeatsDeltas[pick(Decision::RepeatsDelta)]);
        a.outFilters = makeDivisible(
            st.base.outFilters * st.filtersMultipliers[pick(Decision::FiltersMultiplier)], 8);
        a.inFilters = s == 0 ? st.base.inFilters : previousOut;
        int s2d = st.spaceToDepth[pick(Decision::SpaceToDepth)];
        if (s2d == 2 && !inSpaceToDepth) s2d = 0;  // nothing to continue
        a.spaceToDepth = s2d;
        const bool stride1 = a.strideH == 1 && a.strideW == 1;
        inSpaceToDepth = s2d != 0 && stride1;
        previousOut = a.outFilters;
        spec.blocks.push_back(a);
    }
    return spec;
}

Candidate baseCandidate(const SearchSpace& space) {
    Candidate c;
    for (const auto& st : space.stages) {
        const BlockArgs& b = st.base;
        c.choices.push_back(static_cast<uint8_t>(indexOf(st.kinds, b.type)));
        c.choices.push_back(static_cast<uint8_t>(indexOf(st.kernels, b.kernel)));
        c.choices.push_back(static_cast<uint8_t>(indexOf(st.expands, b.expand)));
        c.choices.push_back(static_cast<uint8_t>(indexOf(st.seRatios, b.seRatio.value_or(0.0))));
        c.choices.push_back(static_cast<uint8_t>(
            indexOf(st.activations, b.activation.value_or(space.base.defaultActivation))));
        c.choices.push_back(static_cast<uint8_t>(indexOf(st.repeatsDeltas, 0)));
        c.choices.push_back(static_cast<uint8_t>(indexOf(st.filtersMultipliers, 1.0)));
        c.choices.push_back(static_cast<uint8_t>(indexOf(st.spaceToDepth, b.spaceToDepth)));
    }
    return c;
}

// ---- JSON ------------------------------------------------------------------------------------

json searchSpaceToJson(const SearchSpace& space) {
    json stages = json::array();
    for (const auto& st : space.stages) {
        json kinds = json::array();
        for (auto k : st.kinds) kinds.push_back(k == BlockType::FusedMBConv ? "fused" : "mbconv");
        json acts = json::array();
        for (auto a : st.activations) acts.push_back(std::string(activationName(a)));
        stages.push_back({{"block", kinds},
                          {"kernel", st.kernels},
                          {"expand", st.expands},
                          {"se", st.seRatios},
                          {"activation", acts},
                          {"repeats_delta", st.repeatsDeltas},
                          {"filters", st.filtersMultipliers},
                          {"space_to_depth", st.spaceToDepth}});
    }
    return json{{"format", "archscope-space"},
                {"version", 1},
                {"name", space.name},
                {"description", space.description},
                {"source", space.source},
                {"base", networkSpecToJson(space.base)},
                {"stages", stages}};
}

namespace {

/// One element of a choice list, read exactly: 3.5 is not a kernel size, true is not 1.
template <typename T>
T choiceValue(const json& v, const std::string& where, const std::string& name);
template <>
int choiceValue<int>(const json& v, const std::string& where, const std::string& name) {
    return int(jsonin::integerValue(v, where, name, -1000000, 1000000));
}
template <>
double choiceValue<double>(const json& v, const std::string& where, const std::string& name) {
    return jsonin::numberValue(v, where, name, -1e6, 1e6);
}
template <>
std::string choiceValue<std::string>(const json& v, const std::string& where,
                                     const std::string& name) {
    if (!v.is_string()) {
        throw ArchError(where + ": field \"" + name + "\": expected a string, got " +
                        v.type_name() + " " + jsonin::quote(v));
    }
    return jsonin::excerpt(v.get_ref<const std::string&>(), 64);
}

template <typename T, typename Check>
std::vector<T> choiceList(const json& stage, const char* key, const std::string& where,
                          const std::string& prefix, T fallback, Check check,
                          const char* expected) {
    auto it = stage.find(key);
    if (it == stage.end()) return {fallback};
    const std::string field = prefix + key;
    if (!it->is_array() || it->empty()) {
        throw ArchError(where + ": field \"" + field +
                        "\": expected a non-empty list of choices, " + expected);
    }
    if (it->size() > 255) {
        throw ArchError(where + ": field \"" + field + "\": " + std::to_string(it->size()) +
                        " choices; at most 255");
    }
    std::vector<T> out;
    for (size_t i = 0; i < it->size(); ++i) {
        const json& v = (*it)[i];
        const std::string name = field + "[" + std::to_string(i) + "]";
        const T value = choiceValue<T>(v, where, name);
        if (!check(value)) {
            throw ArchError(where + ": field \"" + name + "\" = " + jsonin::quote(v) + ": " +
                            expected);
        }
        if (std::find(out.begin(), out.end(), value) != out.end()) {
            throw ArchError(where + ": field \"" + name + "\" = " + jsonin::quote(v) +
                            ": listed twice");
        }
        out.push_back(value);
    }
    return out;
}

/// The candidate that takes every stage's largest kernel, expansion, repeats and filters: if
/// it builds within the caps, so does every other candidate of the space.
Candidate largestCandidate(const SearchSpace& space) {
    Candidate c = baseCandidate(space);
    auto argmax = [](const auto& values) {
        return static_cast<uint8_t>(std::max_element(values.begin(), values.end()) -
                                    values.begin());
    };
    for (size_t s = 0; s < space.stages.size(); ++s) {
        const StageSpace& st = space.stages[s];
        auto at = [&](Decision d) -> uint8_t& {
            return c.choices[s * kDecisionsPerStage + static_cast<size_t>(d)];
        };
        at(Decision::Kernel) = argmax(st.kernels);
        at(Decision::Expand) = argmax(st.expands);
        at(Decision::RepeatsDelta) = argmax(st.repeatsDeltas);
        at(Decision::FiltersMultiplier) = argmax(st.filtersMultipliers);
    }
    return c;
}

}  // namespace

SearchSpace searchSpaceFromJson(const json& j, const std::string& where) {
    if (!j.is_object())
        throw ArchError(where + ": expected a JSON object describing a search space");
    const jsonin::Fields f(j, where);
    const int64_t version = f.integer("version", 1, 1000000, 1);
    if (version > 1) {
        throw ArchError(where + ": search-space version " + std::to_string(version) +
                        " is newer than this Archscope understands (1); upgrade Archscope");
    }
    SearchSpace space;
    space.name = f.text("name", 256, "custom");
    space.description = f.text("description", 4096, "");
    space.source = f.text("source", 4096, "");
    if (!j.contains("base")) throw ArchError(where + ": missing field \"base\" (a network)");
    space.base = networkSpecFromJson(j["base"], where + ": field \"base\"");
    if (!j.contains("stages") || !j["stages"].is_array()) {
        throw ArchError(where + ": missing list \"stages\" (one entry per base block)");
    }
    const json& stages = j["stages"];
    if (stages.size() != space.base.blocks.size()) {
        throw ArchError(where + ": " + std::to_string(stages.size()) + " stages but the base has " +
                        std::to_string(space.base.blocks.size()) + " blocks; give one per block");
    }
    for (size_t s = 0; s < stages.size(); ++s) {
        const std::string w = "stages[" + std::to_string(s) + "].";
        const json& js = stages[s];
        if (!js.is_object()) {
            throw ArchError(where + ": field \"stages[" + std::to_string(s) +
                            "]\": expected an object of choice lists");
        }
        StageSpace st;
        st.base = space.base.blocks[s];
        const BlockArgs& b = st.base;
        auto kinds = choiceList<std::string>(
            js, "block", where, w, b.type == BlockType::FusedMBConv ? "fused" : "mbconv",
            [](const std::string& v) { return v == "mbconv" || v == "fused"; },
            "expected \"mbconv\" or \"fused\"");
        st.kinds.clear();
        for (const auto& k : kinds) {
            st.kinds.push_back(k == "fused" ? BlockType::FusedMBConv : BlockType::MBConv);
        }
        st.kernels = choiceList<int>(
            js, "kernel", where, w, b.kernel, [](int k) { return k >= 1 && k <= 15; },
            "expected kernel sizes 1..15");
        st.expands = choiceList<int>(
            js, "expand", where, w, b.expand, [](int e) { return e >= 1 && e <= 16; },
            "expected expansion ratios 1..16");
        st.seRatios = choiceList<double>(
            js, "se", where, w, b.seRatio.value_or(0.0),
            [](double v) { return v >= 0.0 && v <= 1.0; },
            "expected SE ratios in [0, 1] (0 = no SE)");
        auto acts = choiceList<std::string>(
            js, "activation", where, w,
            std::string(activationName(b.activation.value_or(space.base.defaultActivation))),
            [](const std::string& v) { return activationFromName(v).has_value(); },
            "expected relu, swish or relu6");
        st.activations.clear();
        for (const auto& a : acts) st.activations.push_back(*activationFromName(a));
        st.repeatsDeltas = choiceList<int>(
            js, "repeats_delta", where, w, 0, [&](int d) { return b.repeats + d >= 1 && d <= 8; },
            "expected deltas keeping repeats >= 1 (and <= +8)");
        st.filtersMultipliers = choiceList<double>(
            js, "filters", where, w, 1.0, [](double m) { return m > 0.0 && m <= 8.0; },
            "expected filter multipliers in (0, 8]");
        st.spaceToDepth = choiceList<int>(
            js, "space_to_depth", where, w, b.spaceToDepth, [](int d) { return d >= 0 && d <= 2; },
            "expected 0, 1 (start) or 2 (continue)");
        space.stages.push_back(std::move(st));
    }
    // Every candidate must be a network within the caps: the base and the largest one build.
    const std::pair<const char*, Candidate> extremes[] = {{"base", baseCandidate(space)},
                                                          {"largest", largestCandidate(space)}};
    for (const auto& [which, c] : extremes) {
        try {
            expandLayers(buildNetwork(decodeCandidate(space, c, space.name)), 1);
        } catch (const ArchError& e) {
            throw ArchError(where + ": its " + which + " candidate does not build: " + e.what());
        }
    }
    return space;
}

std::vector<std::string> shippedSpaceNames() {
    return {"efficientnet-x", "efficientnet"};
}

SearchSpace loadSearchSpace(const std::string& nameOrPath) {
    std::filesystem::path path;
    const auto names = shippedSpaceNames();
    if (std::find(names.begin(), names.end(), nameOrPath) != names.end()) {
        path = findResource("spaces/" + nameOrPath + ".json");
    } else {
        path = nameOrPath;
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            throw ArchError("search space \"" + nameOrPath +
                            "\" is neither a shipped space (efficientnet-x, efficientnet) nor a "
                            "file that exists");
        }
    }
    const json j = jsonin::parseFile(path, "search space file");
    return searchSpaceFromJson(j, "search space \"" + path.string() + "\"");
}

void saveSearchSpace(const SearchSpace& space, const std::string& path) {
    std::ofstream out(path);
    if (!out) throw ArchError("cannot write search space file \"" + path + "\"");
    out << searchSpaceToJson(space).dump(2) << "\n";
}

}  // namespace archscope
