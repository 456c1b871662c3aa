// Runtime files: fusion rules, overheads and per-class efficiencies of the software that runs a
// network (XLA, TensorRT, PyTorch eager), per platform kind. See docs/hw-model.md, "Runtimes".
#include "runtime_io.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "parameter_reader.h"
#include "profile_io.h"
#include "util/json_input.h"
#include "util/resources.h"

namespace archscope {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string text(const json& j, const char* key, const std::string& where) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string() || it->get<std::string>().empty()) {
        throw ArchError("runtime " + where + ": field \"" + key + "\": missing or not a string");
    }
    if (it->get_ref<const std::string&>().size() > 256) {
        throw ArchError("runtime " + where + ": field \"" + key +
                        "\": longer than 256 characters (" +
                        jsonin::excerpt(it->get_ref<const std::string&>()) + ")");
    }
    return it->get<std::string>();
}

/// Reads one platform section with paths relative to it, so parameters are recorded under the
/// same names as the free parameters ("overhead.per_step", "efficiency.depthwise_conv").
void readPlatform(const json& section, const std::string& where, const std::string& kind,
                  Runtime& r) {
    hwio::ParameterReader p(section, "runtime", where + " (platforms." + kind + ")", r.parameters);
    // A platform may override shared fusion rules (XLA fuses the SE gate into a TPU convolution's
    // input, but a cuDNN convolution on a GPU cannot take it).
    for (const auto& [key, opKind] : kFusionKeys) {
        const std::string path = "fusion." + std::string(key);
        if (!p.has(path)) continue;
        r.fusion[size_t(opKind)] = hwio::readFusionRule(p, path);
        // The override replaces the shared rule's record (choice() appended it last).
        const ProfileParameter own = r.parameters.back();
        r.parameters.pop_back();
        std::erase_if(r.parameters, [&](const ProfileParameter& q) { return q.path == path; });
        r.parameters.push_back(own);
    }
    r.perGroupSeconds = p.number("overhead.per_fused_op", "us") * 1e-6;
    r.perKernelLaunchSeconds = p.number("overhead.per_kernel_launch", "us") * 1e-6;
    r.perStepSeconds = p.number("overhead.per_step", "us") * 1e-6;
    for (int c = 0; c < kOpClassCount; ++c) {
        const std::string path = "efficiency." + std::string(opClassName(OpClass(c)));
        const double e = p.number(path, "fraction", 0.0, true);
        if (e > 1.0) p.fail(path, "an efficiency is a fraction of the roofline: at most 1");
        r.efficiency[size_t(c)] = e;
    }
}

fs::path findRuntimeFile(const std::string& nameOrPath) {
    return findJsonResource(nameOrPath, "runtimes", "runtime");
}

json readJsonFile(const fs::path& path) {
    return jsonin::parseFile(path, "runtime");
}

}  // namespace

Runtime runtimeFromJson(const json& j, const std::string& where, const std::string& kind) {
    if (!j.is_object()) throw ArchError("runtime " + where + ": expected a JSON object");
    if (text(j, "format", where) != "archscope-runtime") {
        throw ArchError("runtime " + where + ": field \"format\": expected \"archscope-runtime\"");
    }
    auto fv = j.find("format_version");
    if (fv == j.end() || !fv->is_number_integer() || fv->get<int64_t>() < 1 ||
        fv->get<int64_t>() > kRuntimeFormatVersion) {
        throw ArchError("runtime " + where + ": field \"format_version\": this build reads " +
                        "format version " + std::to_string(kRuntimeFormatVersion));
    }
    Runtime r;
    r.file = where;
    r.kind = kind;
    r.name = text(j, "name", where);
    r.displayName = text(j, "display_name", where);
    auto ver = j.find("version");
    // Compared as 64-bit: 4294967297 must not wrap to 1.
    if (ver == j.end() || !ver->is_number_integer() || ver->get<int64_t>() < 1 ||
        ver->get<int64_t>() > 1000000) {
        throw ArchError("runtime " + where +
                        ": field \"version\": missing or not a whole number in [1, 1000000]");
    }
    r.version = ver->get<int>();
    hwio::ParameterReader shared(j, "runtime", where, r.parameters);
    for (const auto& [key, opKind] : kFusionKeys)
        r.fusion[size_t(opKind)] = hwio::readFusionRule(shared, "fusion." + std::string(key));
    if (shared.has("padding.asymmetric"))
        r.padCopy = shared.choice("padding.asymmetric", {"copy", "free"}) == "copy";
    auto platforms = j.find("platforms");
    if (platforms == j.end() || !platforms->is_object() || platforms->empty()) {
        throw ArchError("runtime " + where +
                        ": field \"platforms\": expected an object with a section per platform "
                        "kind (tpu, gpu, cpu)");
    }
    std::string kinds;
    for (const auto& [k, section] : platforms->items()) {
        if (k != "tpu" && k != "gpu" && k != "cpu") {
            throw ArchError("runtime " + where + ": field \"platforms." + jsonin::excerpt(k) +
                            "\": a platform kind is tpu, gpu or cpu");
        }
        kinds += (kinds.empty() ? "" : ", ") + k;
    }
    auto section = platforms->find(kind);
    if (section == platforms->end()) {
        throw ArchError("runtime " + r.name + " (" + where + ") does not run on " + kind +
                        " platforms; it covers " + kinds);
    }
    if (!section->is_object()) {
        throw ArchError("runtime " + where + ": field \"platforms." + kind +
                        "\": expected an object");
    }
    readPlatform(*section, where, kind, r);
    return r;
}

Runtime loadRuntime(const std::string& nameOrPath, const std::string& kind) {
    const fs::path path = findRuntimeFile(nameOrPath);
    return runtimeFromJson(readJsonFile(path), path.string(), kind);
}

std::vector<std::string> listRuntimes() {
    return listJsonResources("runtimes");
}

std::vector<std::string> runtimeKinds(const std::string& name) {
    const json j = readJsonFile(findRuntimeFile(name));
    std::vector<std::string> kinds;
    if (j.contains("platforms") && j["platforms"].is_object()) {
        for (const auto& [k, v] : j["platforms"].items()) kinds.push_back(k);
    }
    return kinds;
}

std::vector<std::string> runtimesForKind(const std::string& kind) {
    std::vector<std::string> out;
    for (const auto& name : listRuntimes()) {
        const auto kinds = runtimeKinds(name);
        if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) out.push_back(name);
    }
    return out;
}

nlohmann::ordered_json runtimeToJson(const Runtime& r) {
    using nlohmann::ordered_json;
    ordered_json j;
    j["format"] = "archscope-runtime";
    j["format_version"] = kRuntimeFormatVersion;
    j["name"] = r.name;
    j["display_name"] = r.displayName;
    j["version"] = r.version;
    ordered_json platform = ordered_json::object();
    for (const auto& param : r.parameters) {
        const bool shared =
            param.path.rfind("fusion.", 0) == 0 || param.path.rfind("padding.", 0) == 0;
        ordered_json* node = shared ? &j : &platform;
        size_t start = 0;
        while (true) {
            const size_t dot = param.path.find('.', start);
            node = &(*node)[param.path.substr(start, dot - start)];
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
        *node = ordered_json::object();
        if (param.unit == "rule") {
            (*node)["value"] = param.value;
        } else {
            try {
                (*node)["value"] = ordered_json::parse(param.value);
            } catch (const ordered_json::parse_error&) {
                (*node)["value"] = param.value;
            }
        }
        (*node)["unit"] = param.unit;
        (*node)[param.assumption ? "assumption" : "source"] = param.source;
    }
    j["platforms"][r.kind] = platform;
    return j;
}

Profile withRuntime(const Profile& profile, const std::string& name) {
    if (name.empty() || name == profile.runtime.name) return profile;
    Profile p = profile;
    p.runtime = loadRuntime(name, profile.kind);
    return p;
}

Profile loadPlatform(const std::string& hw, const std::string& runtime) {
    return withRuntime(loadProfile(hw), runtime);
}

std::string predictionMethod(const Profile& p) {
    return "predicted by the " + p.name + " analytical model (profile v" +
           std::to_string(p.version) + ") under the " + p.runtime.name + " runtime (v" +
           std::to_string(p.runtime.version) + ")";
}

}  // namespace archscope
