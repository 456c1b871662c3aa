#include "profile_writer.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "runtime_io.h"
#include "util/output_path.h"

namespace archscope {
namespace {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

/// The node at a dotted path, created as objects on the way.
ordered_json& nodeAt(ordered_json& root, const std::string& path) {
    ordered_json* node = &root;
    size_t start = 0;
    while (true) {
        const size_t dot = path.find('.', start);
        node = &(*node)[path.substr(start, dot - start)];
        if (dot == std::string::npos) return *node;
        start = dot + 1;
    }
}

/// The stored text of a value back as JSON: rules are strings, everything else was dumped JSON.
ordered_json valueOf(const ProfileParameter& p) {
    if (p.unit == "rule") return p.value;
    try {
        return ordered_json::parse(p.value);
    } catch (const ordered_json::parse_error&) {
        return p.value;
    }
}

}  // namespace

ordered_json profileToJson(const Profile& p) {
    ordered_json j;
    j["format"] = "archscope-profile";
    j["format_version"] = 2;
    j["name"] = p.name;
    j["display_name"] = p.displayName;
    j["kind"] = p.kind;
    j["version"] = p.version;
    j["default_dtype"] = std::string(dtypeName(p.defaultDtype));
    j["default_runtime"] = p.runtime.name;
    for (const auto& param : p.parameters) {
        ordered_json& node = nodeAt(j, param.path);
        node = ordered_json::object();
        node["value"] = valueOf(param);
        node["unit"] = param.unit;
        node[param.assumption ? "assumption" : "source"] = param.source;
    }
    // The runtime in effect goes with the profile: a calibration fits its figures too.
    j["runtime"] = runtimeToJson(p.runtime);
    return j;
}

void writeProfileFile(const ordered_json& doc, const std::string& path) {
    requireOutputPath(path, "profile");
    const fs::path target(path);
    const fs::path tmp = fs::path(path + ".tmp");
    std::error_code ec;
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) {
            throw ArchError("cannot write profile " + path + ": " + std::strerror(errno) +
                            " (check the folder's permissions or choose another --out)");
        }
        out << doc.dump(2) << "\n";
        out.close();
        if (!out) {
            fs::remove(tmp, ec);
            throw ArchError("cannot write profile " + path + ": writing failed (disk full?)");
        }
    }
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw ArchError("cannot write profile " + path + ": " + ec.message());
    }
}

void saveProfile(const Profile& p, const std::string& path) {
    writeProfileFile(profileToJson(p), path);
}

}  // namespace archscope
