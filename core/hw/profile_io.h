#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "profile.h"

namespace archscope {

/// The newest profile file format version this code reads (the file's "format_version").
/// Version 2 names a runtime ("default_runtime", resources/runtimes) or embeds a calibrated one
/// ("runtime"); version 1 carried fusion rules and overheads itself (read as a runtime of its own).
inline constexpr int kProfileFormatVersion = 2;

/// Parses a profile. Every parameter is {"value":..,"unit":..,"source":..} or
/// {"value":..,"unit":..,"assumption":"reason"}; units are checked. Throws ArchError naming
/// `where` (the file) and the field that is missing or wrong.
Profile profileFromJson(const nlohmann::json& j, const std::string& where);

/// Loads a profile by short name ("tpuv3": resources/profiles/tpuv3.json, found with
/// findResource) or by path to a .json file.
Profile loadProfile(const std::string& nameOrPath);

/// Short names of the shipped profiles (resources/profiles/*.json), sorted.
std::vector<std::string> listProfiles();

}  // namespace archscope
