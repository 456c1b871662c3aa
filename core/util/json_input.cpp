#include "json_input.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "arch/error.h"

namespace archscope::jsonin {
namespace {

std::string numberText(double x) {
    std::ostringstream s;
    s.precision(17);
    s << x;
    return s.str();
}

[[noreturn]] void failValue(const std::string& where, const std::string& name,
                            const std::string& what) {
    throw ArchError(where + ": field \"" + name + "\": " + what);
}

}  // namespace

std::string excerpt(std::string_view text, size_t max) {
    if (text.size() <= max) return std::string(text);
    return std::string(text.substr(0, max)) + "... (" + std::to_string(text.size()) +
           " characters)";
}

std::string quote(const json& value) {
    // Dumping a huge array only to cut it would cost its size in memory: summarise containers.
    if (value.is_array() && value.size() > 16) {
        return "an array of " + std::to_string(value.size()) + " elements";
    }
    if (value.is_object() && value.size() > 16) {
        return "an object of " + std::to_string(value.size()) + " fields";
    }
    return excerpt(value.dump(-1, ' ', false, json::error_handler_t::replace));
}

std::string plainMessage(const std::exception& e) {
    std::string_view m = e.what();
    if (m.starts_with("[json.exception.")) {
        const size_t close = m.find("] ");
        if (close != std::string_view::npos) m.remove_prefix(close + 2);
    }
    return excerpt(m, 200);
}

json parseText(std::string_view text, const std::string& where) {
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {  // parse_error, and out_of_range.406 for 1e309
        throw ArchError(where + ": not valid JSON: " + plainMessage(e));
    }
}

json parseFile(const std::filesystem::path& path, const std::string& what) {
    const std::string where = what + " \"" + path.string() + "\"";
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        throw ArchError(where + ": is a directory; give a JSON file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ArchError(where + ": cannot open the file; check the path");
    try {
        return json::parse(in);
    } catch (const json::exception& e) {
        throw ArchError(where + ": not valid JSON: " + plainMessage(e));
    }
}

int64_t integerValue(const json& v, const std::string& where, const std::string& name, int64_t lo,
                     int64_t hi) {
    const std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    if (v.is_number_unsigned()) {
        if (v.get<uint64_t>() > uint64_t(hi)) {
            failValue(where, name,
                      quote(v) + " is out of range: expected a whole number in " + range);
        }
        return int64_t(v.get<uint64_t>());
    }
    int64_t x = 0;
    if (v.is_number_integer()) {
        x = v.get<int64_t>();
    } else if (v.is_number_float()) {
        const double d = v.get<double>();
        if (!std::isfinite(d) || d != std::floor(d)) {
            failValue(where, name, quote(v) + " is not a whole number: expected one in " + range);
        }
        if (d < double(lo) || d > double(hi)) {
            failValue(where, name,
                      quote(v) + " is out of range: expected a whole number in " + range);
        }
        x = int64_t(d);
    } else {
        failValue(where, name,
                  "expected a whole number in " + range + ", got " + std::string(v.type_name()) +
                      " " + quote(v));
    }
    if (x < lo || x > hi) {
        failValue(where, name, quote(v) + " is out of range: expected a whole number in " + range);
    }
    return x;
}

double numberValue(const json& v, const std::string& where, const std::string& name, double lo,
                   double hi, bool loOpen) {
    const std::string range = (loOpen ? "(" : "[") + numberText(lo) + ", " + numberText(hi) + "]";
    if (!v.is_number()) {
        failValue(where, name,
                  "expected a number in " + range + ", got " + std::string(v.type_name()) + " " +
                      quote(v));
    }
    const double x = v.get<double>();
    if (!std::isfinite(x)) failValue(where, name, "is not a finite number");
    if (x < lo || x > hi || (loOpen && x == lo)) {
        failValue(where, name, quote(v) + " is out of range: expected a number in " + range);
    }
    return x;
}

Fields::Fields(const json& object, std::string where, std::string prefix)
    : m_object(object), m_where(std::move(where)), m_prefix(std::move(prefix)) {
    if (!m_object.is_object()) {
        if (m_prefix.empty()) {
            throw ArchError(m_where + ": expected a JSON object, got " +
                            std::string(m_object.type_name()));
        }
        throw ArchError(m_where + ": field \"" + m_prefix.substr(0, m_prefix.size() - 1) +
                        "\": expected an object, got " + std::string(m_object.type_name()));
    }
}

bool Fields::has(const char* key) const {
    return m_object.contains(key);
}

std::string Fields::path(std::string_view key) const {
    return m_prefix + std::string(key);
}

void Fields::fail(std::string_view key, const std::string& what) const {
    failValue(m_where, path(key), what);
}

const json& Fields::raw(const char* key) const {
    auto it = m_object.find(key);
    if (it == m_object.end()) fail(key, "missing");
    return *it;
}

int64_t Fields::integer(const char* key, int64_t lo, int64_t hi) const {
    return integerValue(raw(key), m_where, path(key), lo, hi);
}
int64_t Fields::integer(const char* key, int64_t lo, int64_t hi, int64_t fallback) const {
    return has(key) ? integer(key, lo, hi) : fallback;
}

double Fields::number(const char* key, double lo, double hi, bool loOpen) const {
    return numberValue(raw(key), m_where, path(key), lo, hi, loOpen);
}
double Fields::number(const char* key, double lo, double hi, bool loOpen, double fallback) const {
    return has(key) ? number(key, lo, hi, loOpen) : fallback;
}

std::string Fields::text(const char* key, size_t maxLength) const {
    const json& v = raw(key);
    if (!v.is_string()) {
        fail(key, "expected a string, got " + std::string(v.type_name()) + " " + quote(v));
    }
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > maxLength) {
        fail(key, "is " + std::to_string(s.size()) + " characters long; at most " +
                      std::to_string(maxLength) + " allowed (" + excerpt(s) + ")");
    }
    return s;
}
std::string Fields::text(const char* key, size_t maxLength, const std::string& fallback) const {
    return has(key) ? text(key, maxLength) : fallback;
}

bool Fields::flag(const char* key) const {
    const json& v = raw(key);
    if (!v.is_boolean()) {
        fail(key, "expected true or false, got " + std::string(v.type_name()) + " " + quote(v));
    }
    return v.get<bool>();
}
bool Fields::flag(const char* key, bool fallback) const {
    return has(key) ? flag(key) : fallback;
}

Fields Fields::object(const char* key) const {
    return Fields(raw(key), m_where, path(key) + ".");
}

}  // namespace archscope::jsonin
