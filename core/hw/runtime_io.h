#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "profile.h"
#include "runtime.h"

namespace archscope {

/// The runtime file format version this code reads (the file's "format_version").
inline constexpr int kRuntimeFormatVersion = 1;

/// Parses a runtime file (resources/runtimes/<name>.json) for one platform kind: the shared
/// fusion rules plus that kind's section of "platforms". Every parameter is
/// {"value":..,"unit":..,"source"|"assumption":..}. Throws ArchError naming `where` and the field
/// that is missing or wrong, or saying which kinds the runtime covers when `kind` is not one.
Runtime runtimeFromJson(const nlohmann::json& j, const std::string& where, const std::string& kind);

/// Loads a runtime by short name ("pytorch-eager") or by path to a .json file, for `kind`.
Runtime loadRuntime(const std::string& nameOrPath, const std::string& kind);

/// Short names of the shipped runtimes (resources/runtimes/*.json), sorted.
std::vector<std::string> listRuntimes();
/// The platform kinds a shipped runtime covers ("tpu", "gpu", "cpu").
std::vector<std::string> runtimeKinds(const std::string& name);
/// The shipped runtimes that cover platforms of `kind`, sorted: the choices for one profile.
std::vector<std::string> runtimesForKind(const std::string& kind);

/// The runtime as a file with only its own kind's section: what a calibrated profile embeds.
nlohmann::ordered_json runtimeToJson(const Runtime& r);

/// `profile` running under the runtime `name` (empty = the profile's default). A runtime
/// embedded in the profile (a calibrated one) is used when `name` is empty or its own name.
/// Throws ArchError when the runtime does not cover the profile's kind.
Profile withRuntime(const Profile& profile, const std::string& name);

/// loadProfile(hw) under the runtime `runtime` (empty = its default): the one way every command
/// and page picks its platform.
Profile loadPlatform(const std::string& hw, const std::string& runtime);

/// "predicted by the tpuv3 analytical model (profile v1) under the xla runtime (v1)": the method
/// text stored and printed with every predicted latency.
std::string predictionMethod(const Profile& p);

}  // namespace archscope
