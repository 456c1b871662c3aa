#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace archscope {

/// Folders searched for shipped resources (profiles/, spaces/), first match wins:
/// $ARCHSCOPE_RESOURCE_DIR, <executable>/../share/archscope (installed), the install prefix's
/// data dir, then the source tree's resources/ (a build that was not installed).
std::vector<std::filesystem::path> resourceDirs();

/// The path of `relative` (e.g. "profiles/tpuv3.json") in the first folder that has it.
/// Throws ArchError naming the file and every folder searched.
std::filesystem::path findResource(const std::string& relative);

/// The file a name or path refers to: given as is when it looks like a path (has a '/' or ends
/// in .json), else resources/<folder>/<name>.json. Throws ArchError "unknown <what> "<name>";
/// known: ..." listing listJsonResources(folder).
std::filesystem::path findJsonResource(const std::string& nameOrPath, const std::string& folder,
                                       const std::string& what);

/// Names (file stems) of resources/<folder>/*.json over every resource folder, sorted.
std::vector<std::string> listJsonResources(const std::string& folder);

/// Per-user data folder ($XDG_DATA_HOME/archscope or ~/.local/share/archscope); created on demand.
std::filesystem::path userDataDir();

}  // namespace archscope
