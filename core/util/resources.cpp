#include "resources.h"

#include <cstdlib>
#include <system_error>

#include "arch/error.h"

namespace archscope {
namespace fs = std::filesystem;

std::vector<fs::path> resourceDirs() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("ARCHSCOPE_RESOURCE_DIR"); env && *env) dirs.emplace_back(env);
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) dirs.push_back(exe.parent_path().parent_path() / "share" / "archscope");
    dirs.emplace_back(ARCHSCOPE_INSTALLED_RESOURCE_DIR);
    dirs.emplace_back(ARCHSCOPE_RESOURCE_DIR);
    return dirs;
}

fs::path findResource(const std::string& relative) {
    std::string searched;
    for (const auto& dir : resourceDirs()) {
        fs::path candidate = dir / relative;
        std::error_code ec;
        if (fs::exists(candidate, ec)) return candidate;
        searched += (searched.empty() ? "" : ", ") + dir.string();
    }
    throw ArchError("resource \"" + relative + "\" not found; searched: " + searched +
                    ". Set ARCHSCOPE_RESOURCE_DIR to the folder holding profiles/ and spaces/.");
}

fs::path userDataDir() {
    fs::path base;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
        base = xdg;
    } else if (const char* home = std::getenv("HOME"); home && *home) {
        base = fs::path(home) / ".local" / "share";
    } else {
        base = fs::temp_directory_path();
    }
    fs::path dir = base / "archscope";
    std::error_code ec;
    fs::create_directories(dir, ec);
    return dir;
}

}  // namespace archscope
