#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "profile.h"

namespace archscope {

/// A profile in the file format of resources/profiles (format_version 2) with its runtime
/// embedded ("runtime", the runtime_io format for its own kind): the top-level fields
/// and every parameter of Profile::parameters in its original order, each with its unit and its
/// "source" (or "assumption" when it is still one). profileFromJson reads it back to an equal
/// profile.
nlohmann::ordered_json profileToJson(const Profile& p);

/// Writes `doc` to `path` (through a temporary file in the same folder, then a rename, so a
/// failed write leaves no half file). Throws ArchError naming the path and the reason.
void writeProfileFile(const nlohmann::ordered_json& doc, const std::string& path);

/// profileToJson + writeProfileFile.
void saveProfile(const Profile& p, const std::string& path);

}  // namespace archscope
