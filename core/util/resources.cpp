#include "resources.h"

#include <cstdlib>
#include <set>
#include <system_error>

#include "arch/error.h"

namespace archscope {
namespace fs = std::filesystem;

std::vector<fs::path> resourceDirs() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("ARCHSCOPE_RESOURCE_DIR"); env && *env)
        dirs.emplace_back(env);
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

fs::path findJsonResource(const std::string& nameOrPath, const std::string& folder,
                          const std::string& what) {
    if (nameOrPath.find('/') != std::string::npos || nameOrPath.ends_with(".json"))
        return nameOrPath;
    try {
        return findResource(folder + "/" + nameOrPath + ".json");
    } catch (const ArchError&) {
        std::string known;
        for (const auto& n : listJsonResources(folder)) known += (known.empty() ? "" : ", ") + n;
        throw ArchError("unknown " + what + " \"" + nameOrPath + "\"; known: " + known +
                        " (or give the path to a " + what + " .json file)");
    }
}

std::vector<std::string> listJsonResources(const std::string& folder) {
    std::set<std::string> names;
    for (const auto& dir : resourceDirs()) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir / folder, ec)) {
            if (entry.path().extension() == ".json") names.insert(entry.path().stem().string());
        }
    }
    return {names.begin(), names.end()};
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
