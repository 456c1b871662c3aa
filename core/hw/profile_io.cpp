#include "profile_io.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "arch/error.h"
#include "parameter_reader.h"
#include "runtime_io.h"
#include "util/json_input.h"
#include "util/resources.h"

namespace archscope {
namespace {

using hwio::ParameterReader;
using nlohmann::json;
namespace fs = std::filesystem;

std::string text(const json& j, const char* key, const std::string& where) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string() || it->get<std::string>().empty()) {
        throw ArchError("profile " + where + ": field \"" + key + "\": missing or not a string");
    }
    if (it->get_ref<const std::string&>().size() > 256) {
        throw ArchError("profile " + where + ": field \"" + key +
                        "\": longer than 256 characters (" +
                        jsonin::excerpt(it->get_ref<const std::string&>()) + ")");
    }
    return it->get<std::string>();
}

void readMatrix(ParameterReader& r, Profile& p) {
    MatrixUnitSpec& m = p.matrix;
    const std::string mapping = r.choice("matrix.mapping", {"systolic", "tiles"});
    m.mapping = mapping == "systolic" ? MatrixMapping::Systolic : MatrixMapping::Tiles;
    m.unitsPerCore = r.count("matrix.units_per_core", "count");
    m.kChannelMultiple = r.count("matrix.k_channel_multiple", "channels");
    bool anyPeak = false;
    for (int d = 0; d < kDtypeCount; ++d) {
        const std::string path = "matrix.peak." + std::string(dtypeName(Dtype(d)));
        if (!r.has(path)) continue;
        m.peakMacsPerSecond[d] = r.number(path, "TFLOP/s", 0.0, true) * 1e12 / 2.0;
        anyPeak = true;
    }
    if (!anyPeak) r.fail("matrix.peak", "missing: give at least one of " + dtypeNameList());
    m.efficiency = r.number("matrix.efficiency", "fraction", 0.0, true);
    if (m.mapping == MatrixMapping::Systolic) {
        m.nMultiple = r.count("matrix.n_multiple", "channels");
        m.mMultiple = r.count("matrix.m_multiple", "rows");
        m.clockHz = r.number("matrix.clock", "MHz", 0.0, true) * 1e6;
        m.weightLoadCycles = r.number("matrix.weight_load", "cycles");
        // Self-check: the peak follows from units x array x clock (hardware.md).
        const double derived =
            double(p.cores) * m.unitsPerCore * m.kChannelMultiple * m.nMultiple * m.clockHz;
        const double stated =
            *std::max_element(m.peakMacsPerSecond.begin(), m.peakMacsPerSecond.end());
        if (std::abs(derived - stated) > 0.03 * stated) {
            r.fail("matrix.peak", "the largest peak (" + std::to_string(stated * 2e-12) +
                                      " TFLOP/s) disagrees with cores x units x array x clock (" +
                                      std::to_string(derived * 2e-12) + " TFLOP/s) by over 3%");
        }
    } else {
        const json& tiles = r.raw("matrix.tiles", "MxN");
        if (!tiles.is_array() || tiles.empty()) r.fail("matrix.tiles", "expected [[M,N],...]");
        for (const auto& t : tiles) {
            if (!t.is_array() || t.size() != 2 || !t[0].is_number_integer() ||
                !t[1].is_number_integer() || t[0].get<int64_t>() < 1 || t[1].get<int64_t>() < 1 ||
                t[0].get<int64_t>() > 65536 || t[1].get<int64_t>() > 65536) {
                r.fail("matrix.tiles", "each tile must be [M,N] with whole numbers in [1, 65536]");
            }
            m.tiles.emplace_back(t[0].get<int>(), t[1].get<int>());
        }
        m.tileKMultiple = r.count("matrix.tile_k_multiple", "elements");
    }
}

void readVector(ParameterReader& r, Profile& p) {
    VectorUnitSpec& v = p.vector;
    v.peakOpsPerSecond = r.number("vector.peak", "Gop/s", 0.0, true) * 1e9;
    v.laneChannels = r.count("vector.lane_channels", "channels");
    v.sharesMatrixUnits = r.flag("vector.shares_matrix_units");
    v.efficiency = r.number("vector.efficiency", "fraction", 0.0, true);
    for (int i = 0; i < kVectorOpCount; ++i) {
        v.opsPerElement[i] =
            r.number("vector.ops_per_element." + std::string(vectorOpName(VectorOp(i))), "ops");
    }
}

/// A format-1 profile carried its software's rules itself (fusion, overheads); they become a
/// runtime of their own, with no per-class derating, so old calibrated files predict as before.
Runtime legacyRuntime(const json& j, const std::string& where, const Profile& p) {
    Runtime r;
    r.name = p.name + "-rules";
    r.displayName = "the fusion rules and overheads of " + p.name + " (format-1 profile)";
    r.kind = p.kind;
    r.file = where;
    r.version = p.version;
    ParameterReader reader(j, "profile", where, r.parameters);
    for (const auto& [key, kind] : kFusionKeys)
        r.fusion[int(kind)] = hwio::readFusionRule(reader, "fusion." + std::string(key));
    r.perGroupSeconds = reader.number("overhead.per_fused_op", "us") * 1e-6;
    r.perKernelLaunchSeconds = reader.number("overhead.per_kernel_launch", "us") * 1e-6;
    const std::string why = "not in a format-1 profile: no derating";
    r.parameters.push_back({"overhead.per_step", "0", "us", why, true});
    for (int c = 0; c < kOpClassCount; ++c) {
        r.parameters.push_back(
            {"efficiency." + std::string(opClassName(OpClass(c))), "1", "fraction", why, true});
    }
    return r;
}

}  // namespace

// Long (~95 lines) because it reads the file's sections in file order, each in a few lines; the
// units (readMatrix, readVector, ...) already have their own functions.
Profile profileFromJson(const json& j, const std::string& where) {
    if (!j.is_object()) throw ArchError("profile " + where + ": expected a JSON object");
    Profile p;
    p.file = where;
    if (text(j, "format", where) != "archscope-profile") {
        throw ArchError("profile " + where + ": field \"format\": expected \"archscope-profile\"");
    }
    auto fv = j.find("format_version");
    if (fv == j.end() || !fv->is_number_integer() || fv->get<int64_t>() < 1 ||
        fv->get<int64_t>() > kProfileFormatVersion) {
        throw ArchError("profile " + where + ": field \"format_version\": this build reads " +
                        "format versions 1 to " + std::to_string(kProfileFormatVersion) +
                        "; a newer file needs a newer Archscope");
    }
    const int formatVersion = fv->get<int>();
    p.name = text(j, "name", where);
    p.displayName = text(j, "display_name", where);
    p.kind = text(j, "kind", where);
    if (p.kind != "tpu" && p.kind != "gpu" && p.kind != "cpu") {
        throw ArchError("profile " + where + ": field \"kind\": must be tpu, gpu or cpu");
    }
    auto ver = j.find("version");
    // Compared as 64-bit: 4294967297 must not wrap to 1.
    if (ver == j.end() || !ver->is_number_integer() || ver->get<int64_t>() < 1 ||
        ver->get<int64_t>() > 1000000) {
        throw ArchError("profile " + where +
                        ": field \"version\": missing or not a whole number in [1, 1000000]");
    }
    p.version = ver->get<int>();
    const std::string dtype = text(j, "default_dtype", where);
    if (!dtypeFromName(dtype)) {
        throw ArchError("profile " + where +
                        ": field \"default_dtype\": " + unknownDtypeMessage(dtype, "dtype"));
    }
    p.defaultDtype = *dtypeFromName(dtype);

    ParameterReader r(j, "profile", where, p.parameters);
    p.cores = r.count("cores", "count");
    readMatrix(r, p);
    readVector(r, p);
    p.memory.bandwidthBytesPerSecond = r.number("memory.bandwidth", "GB/s", 0.0, true) * 1e9;
    p.memory.capacityBytes = r.bytes("memory.capacity");
    p.memory.efficiency = r.number("memory.efficiency", "fraction", 0.0, true);
    if (r.has("memory.overlap")) {
        p.memory.overlap = r.number("memory.overlap", "fraction");
        if (p.memory.overlap > 1.0) r.fail("memory.overlap", "must be <= 1");
    }
    if (r.has("memory.weight_bandwidth")) {
        p.memory.weightBandwidthBytesPerSecond =
            r.number("memory.weight_bandwidth", "GB/s", 0.0, true) * 1e9;
    }
    // Optional on-chip memory (TPUv4i's CMEM): both figures or neither.
    const bool onChipCapacity = r.has("memory.on_chip.capacity");
    const bool onChipBandwidth = r.has("memory.on_chip.bandwidth");
    if (onChipCapacity != onChipBandwidth) {
        r.fail(onChipCapacity ? "memory.on_chip.bandwidth" : "memory.on_chip.capacity",
               "missing: an on-chip memory needs both capacity and bandwidth");
    }
    if (onChipCapacity) {
        p.memory.onChipCapacityBytes =
            r.number("memory.on_chip.capacity", "MiB", 0.0, true) * double(1 << 20);
        p.memory.onChipBandwidthBytesPerSecond =
            r.number("memory.on_chip.bandwidth", "GB/s", 0.0, true) * 1e9;
    }
    if (formatVersion == 1) {
        p.runtime = legacyRuntime(j, where, p);
        p.defaultRuntime = p.runtime.name;
    } else {
        for (const char* legacy : {"fusion", "overhead"}) {
            if (j.contains(legacy)) {
                throw ArchError("profile " + where + ": field \"" + legacy +
                                "\": belongs to a runtime in format version 2 (resources/"
                                "runtimes); name one with \"default_runtime\"");
            }
        }
        p.defaultRuntime = text(j, "default_runtime", where);
        auto embedded = j.find("runtime");
        if (embedded != j.end()) {
            // A calibrated profile carries its fitted runtime.
            p.runtime = runtimeFromJson(*embedded, where + " (its \"runtime\")", p.kind);
            if (p.runtime.name != p.defaultRuntime) {
                throw ArchError("profile " + where + ": field \"runtime.name\": \"" +
                                p.runtime.name + "\" is not the default_runtime \"" +
                                p.defaultRuntime + "\"");
            }
        } else {
            try {
                p.runtime = loadRuntime(p.defaultRuntime, p.kind);
            } catch (const ArchError& e) {
                throw ArchError("profile " + where + ": field \"default_runtime\": " + e.what());
            }
        }
    }
    if (!p.supports(p.defaultDtype)) {
        throw ArchError("profile " + where + ": field \"default_dtype\": no matrix.peak." +
                        std::string(dtypeName(p.defaultDtype)) + " given");
    }
    return p;
}

Profile loadProfile(const std::string& nameOrPath) {
    const fs::path path = findJsonResource(nameOrPath, "profiles", "profile");
    return profileFromJson(jsonin::parseFile(path, "profile"), path.string());
}

std::vector<std::string> listProfiles() {
    return listJsonResources("profiles");
}

}  // namespace archscope
