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

/// Per-user data folder ($XDG_DATA_HOME/archscope or ~/.local/share/archscope); created on demand.
std::filesystem::path userDataDir();

}  // namespace archscope
