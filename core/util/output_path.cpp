#include "output_path.h"

#include <filesystem>

#include "arch/error.h"

namespace archscope {

void requireOutputPath(const std::string& path, std::string_view what, std::string_view option) {
    namespace fs = std::filesystem;
    const std::string file(what);
    if (path.empty()) throw ArchError("no output path given for the " + file);
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        throw ArchError("cannot write " + file + " " + path + ": folder " + dir.string() +
                        " does not exist (create it or choose another " + std::string(option) +
                        ")");
    }
    if (fs::is_directory(target, ec)) {
        throw ArchError("cannot write " + file + " " + path + ": it is a folder; give a file name");
    }
}

}  // namespace archscope
