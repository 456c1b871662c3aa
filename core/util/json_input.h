#pragma once
// Strict reading of untrusted JSON at the edge: exact types (no float->int or bool->int),
// ranges with the cap in the message, finite numbers only, dotted field names, and messages
// that quote at most a short excerpt of the input. nlohmann's own exceptions stop here.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace archscope::jsonin {

using nlohmann::json;

/// At most `max` characters of `text`, with "... (N characters)" when cut, for error messages.
std::string excerpt(std::string_view text, size_t max = 80);
/// A JSON value as a short quote for error messages (its dump, cut by excerpt()).
std::string quote(const json& value);
/// nlohmann's message without its "[json.exception.x.y] " prefix, cut to a readable length.
std::string plainMessage(const std::exception& e);

/// Parses a whole file; a missing file, bad JSON or a number that overflows a double
/// (1e309) is an ArchError naming `what` and the file.
json parseFile(const std::filesystem::path& path, const std::string& what);
/// Parses text; errors are prefixed by `where`.
json parseText(std::string_view text, const std::string& where);

/// Reads fields of one JSON object; every error names `where` and the dotted field
/// (`prefix` + key, e.g. "stem.kernel").
class Fields {
public:
    Fields(const json& object, std::string where, std::string prefix = {});

    bool has(const char* key) const;
    /// The field's dotted name ("stem.kernel").
    std::string path(std::string_view key) const;
    [[noreturn]] void fail(std::string_view key, const std::string& what) const;

    /// A whole number in [lo, hi]. Accepts 224 and 224.0; rejects 224.7, true, "224".
    int64_t integer(const char* key, int64_t lo, int64_t hi) const;
    int64_t integer(const char* key, int64_t lo, int64_t hi, int64_t fallback) const;
    /// A finite number in [lo, hi] (or (lo, hi] when `loOpen`).
    double number(const char* key, double lo, double hi, bool loOpen = false) const;
    double number(const char* key, double lo, double hi, bool loOpen, double fallback) const;
    std::string text(const char* key, size_t maxLength = 4096) const;
    std::string text(const char* key, size_t maxLength, const std::string& fallback) const;
    bool flag(const char* key) const;
    bool flag(const char* key, bool fallback) const;
    /// A nested object, read with a prefix extending this one's.
    Fields object(const char* key) const;
    const json& raw(const char* key) const;

private:
    const json& m_object;
    std::string m_where;
    std::string m_prefix;
};

/// The checks behind Fields, for values not held in an object (array elements).
/// `name` is the dotted field ("stages[2].kernel[0]").
int64_t integerValue(const json& v, const std::string& where, const std::string& name, int64_t lo,
                     int64_t hi);
double numberValue(const json& v, const std::string& where, const std::string& name, double lo,
                   double hi, bool loOpen = false);

}  // namespace archscope::jsonin
