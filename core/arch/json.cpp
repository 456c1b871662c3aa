#include "json.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "error.h"

namespace archscope {

using nlohmann::json;

json networkSpecToJson(const NetworkSpec& s) {
    json blocks = json::array();
    for (const auto& b : s.blocks) blocks.push_back(formatBlockString(b));
    return json{
        {"format", "archscope-network"},
        {"version", kNetworkFormatVersion},
        {"name", s.name},
        {"blocks", blocks},
        {"width", s.scaling.width},
        {"depth", s.scaling.depth},
        {"resolution", s.scaling.resolution},
        {"dropout", s.scaling.dropout},
        {"se_coefficient", s.scaling.seCoefficient},
        {"activation", std::string(activationName(s.defaultActivation))},
        {"stem", {{"filters", s.stem.filters}, {"kernel", s.stem.kernel}, {"stride", s.stem.stride},
                  {"max_pool", s.stem.maxPool}}},
        {"head_filters", s.headFilters},
        {"num_classes", s.numClasses},
        {"input_channels", s.inputChannels},
        {"depth_divisor", s.depthDivisor},
    };
}

namespace {

template <typename T>
T field(const json& j, const char* key, const std::string& where, T fallback, bool required) {
    auto it = j.find(key);
    if (it == j.end()) {
        if (required) throw ArchError(where + ": missing field \"" + key + "\"");
        return fallback;
    }
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        throw ArchError(where + ": field \"" + key + "\" has the wrong type (" +
                        std::string(it->type_name()) + ")");
    }
}

}  // namespace

NetworkSpec networkSpecFromJson(const json& j, const std::string& where) {
    if (!j.is_object()) throw ArchError(where + ": expected a JSON object describing a network");
    const int version = field<int>(j, "version", where, 1, false);
    if (version > kNetworkFormatVersion) {
        throw ArchError(where + ": network file version " + std::to_string(version) +
                        " is newer than this Archscope understands (" +
                        std::to_string(kNetworkFormatVersion) + "); upgrade Archscope");
    }
    NetworkSpec s;
    s.name = field<std::string>(j, "name", where, "custom", false);
    auto blocks = field<std::vector<std::string>>(j, "blocks", where, {}, true);
    for (size_t i = 0; i < blocks.size(); ++i) {
        try {
            s.blocks.push_back(parseBlockString(blocks[i]));
        } catch (const ArchError& e) {
            throw ArchError(where + ": blocks[" + std::to_string(i) + "]: " + e.what());
        }
    }
    s.scaling.width = field<double>(j, "width", where, 1.0, false);
    s.scaling.depth = field<double>(j, "depth", where, 1.0, false);
    s.scaling.resolution = field<int>(j, "resolution", where, 224, false);
    s.scaling.dropout = field<double>(j, "dropout", where, 0.2, false);
    s.scaling.seCoefficient = field<double>(j, "se_coefficient", where, 0.0, false);
    auto act = field<std::string>(j, "activation", where, "swish", false);
    auto parsed = activationFromName(act);
    if (!parsed) {
        throw ArchError(where + ": field \"activation\": unknown \"" + act +
                        "\" (expected relu, swish or relu6)");
    }
    s.defaultActivation = *parsed;
    if (auto it = j.find("stem"); it != j.end()) {
        const std::string w = where + ": stem";
        s.stem.filters = field<int>(*it, "filters", w, 32, false);
        s.stem.kernel = field<int>(*it, "kernel", w, 3, false);
        s.stem.stride = field<int>(*it, "stride", w, 2, false);
        s.stem.maxPool = field<bool>(*it, "max_pool", w, false, false);
    }
    s.headFilters = field<int>(j, "head_filters", where, 1280, false);
    s.numClasses = field<int>(j, "num_classes", where, 1000, false);
    s.inputChannels = field<int>(j, "input_channels", where, 3, false);
    s.depthDivisor = field<int>(j, "depth_divisor", where, 8, false);
    try {
        buildNetwork(s);  // validates the whole network
    } catch (const ArchError& e) {
        throw ArchError(where + ": " + e.what());
    }
    return s;
}

NetworkSpec loadNetworkSpecFile(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ArchError("cannot open network file \"" + path + "\"");
    json j;
    try {
        j = json::parse(in);
    } catch (const json::parse_error& e) {
        throw ArchError("network file \"" + path + "\" is not valid JSON: " + e.what());
    }
    return networkSpecFromJson(j, "network file \"" + path + "\"");
}

void saveNetworkSpecFile(const NetworkSpec& spec, const std::string& path) {
    std::ofstream out(path);
    if (!out) throw ArchError("cannot write network file \"" + path + "\"");
    out << networkSpecToJson(spec).dump(2) << "\n";
    if (!out) throw ArchError("error while writing network file \"" + path + "\"");
}

std::string canonicalNetworkString(const NetworkSpec& spec) {
    json j = networkSpecToJson(spec);
    j.erase("name");  // the same network under two names is one architecture
    return j.dump();  // nlohmann's object keys are sorted
}

std::string networkHash(const NetworkSpec& spec) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : canonicalNetworkString(spec)) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

json layerToJson(const Layer& l) {
    auto shape = [](const Shape& s) { return json::array({s.n, s.h, s.w, s.c}); };
    return json{{"name", l.name},
                {"op", std::string(opKindName(l.kind))},
                {"in", shape(l.in)},
                {"out", shape(l.out)},
                {"kernel", json::array({l.kernelH, l.kernelW})},
                {"stride", json::array({l.strideH, l.strideW})},
                {"groups", l.groups},
                {"macs", l.macs},
                {"params", l.params},
                {"input_elements", l.inputElements},
                {"output_elements", l.outputElements},
                {"block", l.block},
                {"stage", l.stage}};
}

}  // namespace archscope
