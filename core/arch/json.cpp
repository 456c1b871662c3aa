#include "json.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "error.h"
#include "expand.h"
#include "util/json_input.h"

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
        {"stem",
         {{"filters", s.stem.filters},
          {"kernel", s.stem.kernel},
          {"stride", s.stem.stride},
          {"max_pool", s.stem.maxPool}}},
        {"head_filters", s.headFilters},
        {"num_classes", s.numClasses},
        {"input_channels", s.inputChannels},
        {"depth_divisor", s.depthDivisor},
    };
}

NetworkSpec networkSpecFromJson(const json& j, const std::string& where) {
    if (!j.is_object()) throw ArchError(where + ": expected a JSON object describing a network");
    const jsonin::Fields f(j, where);
    // Another format's file (a profile, a space) must not read as a network of defaults.
    if (f.has("format") && f.text("format", 64) != "archscope-network") {
        f.fail("format",
               "expected \"archscope-network\" (an architecture file as export-arch "
               "--format json writes), got " +
                   jsonin::quote(f.raw("format")));
    }
    // Read as 64-bit and capped: 4294967297 must not wrap to 1 and pass the version check.
    const int64_t version = f.integer("version", 1, kNetworkFormatVersion + 1000000, 1);
    if (version > kNetworkFormatVersion) {
        throw ArchError(where + ": network file version " + std::to_string(version) +
                        " is newer than this Archscope understands (" +
                        std::to_string(kNetworkFormatVersion) + "); upgrade Archscope");
    }
    NetworkSpec s;
    s.name = f.text("name", 256, "custom");
    const json& blocks = f.raw("blocks");
    if (!blocks.is_array()) {
        f.fail("blocks",
               "expected a list of block strings, got " + std::string(blocks.type_name()));
    }
    if (blocks.size() > size_t(kMaxBlocks)) {
        f.fail("blocks", "has " + std::to_string(blocks.size()) + " entries; the cap is " +
                             std::to_string(kMaxBlocks));
    }
    for (size_t i = 0; i < blocks.size(); ++i) {
        const std::string field = "blocks[" + std::to_string(i) + "]";
        if (!blocks[i].is_string()) {
            throw ArchError(where + ": field \"" + field + "\": expected a block string, got " +
                            blocks[i].type_name() + " " + jsonin::quote(blocks[i]));
        }
        try {
            s.blocks.push_back(parseBlockString(blocks[i].get_ref<const std::string&>()));
        } catch (const ArchError& e) {
            throw ArchError(where + ": field \"" + field + "\": " + e.what());
        }
    }
    s.scaling.width = f.number("width", 0.0, kMaxMultiplier, true, 1.0);
    s.scaling.depth = f.number("depth", 0.0, kMaxMultiplier, true, 1.0);
    s.scaling.resolution = int(f.integer("resolution", kMinResolution, kMaxResolution, 224));
    s.scaling.dropout = f.number("dropout", 0.0, 0.999, false, 0.2);
    s.scaling.seCoefficient = f.number("se_coefficient", 0.0, kMaxMultiplier, false, 0.0);
    auto act = f.text("activation", 64, "swish");
    auto parsed = activationFromName(act);
    if (!parsed) f.fail("activation", "unknown \"" + act + "\" (expected relu, swish or relu6)");
    s.defaultActivation = *parsed;
    if (f.has("stem")) {
        const jsonin::Fields stem = f.object("stem");
        s.stem.filters = int(stem.integer("filters", 1, kMaxSpecFilters, 32));
        s.stem.kernel = int(stem.integer("kernel", 1, kMaxKernel, 3));
        s.stem.stride = int(stem.integer("stride", 1, kMaxStemStride, 2));
        s.stem.maxPool = stem.flag("max_pool", false);
    }
    s.headFilters = int(f.integer("head_filters", 0, kMaxSpecFilters, 1280));
    s.numClasses = int(f.integer("num_classes", 1, kMaxSpecFilters, 1000));
    s.inputChannels = int(f.integer("input_channels", 1, kMaxInputChannels, 3));
    s.depthDivisor = int(f.integer("depth_divisor", 1, kMaxDepthDivisor, 8));
    try {
        // Validates the whole network, and that its costs stay within 64-bit counts.
        expandLayers(buildNetwork(s), 1);
    } catch (const ArchError& e) {
        throw ArchError(where + ": " + e.what());
    }
    return s;
}

NetworkSpec loadNetworkSpecFile(const std::string& path) {
    return networkSpecFromJson(jsonin::parseFile(path, "network file"),
                               "network file \"" + path + "\"");
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
