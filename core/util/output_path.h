#pragma once

#include <string>
#include <string_view>

namespace archscope {

/// The one check before a command computes for minutes and then writes a file: throws ArchError
/// unless `path` is non-empty, not a folder, and in a folder that exists. `what` names the file
/// in the message ("profile", "supernet file"); `option` is what to change ("--out").
/// Example message: cannot write profile a/b.json: folder a does not exist (create it or choose
/// another --out).
void requireOutputPath(const std::string& path, std::string_view what,
                       std::string_view option = "--out");

}  // namespace archscope
