#pragma once
// Reads the {"value","unit","source"|"assumption"} parameters of profile and runtime files:
// every figure must carry a unit and a source or an assumption; errors name the file and the
// dotted field. Internal to core/hw (profile_io.cpp, runtime_io.cpp).
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "arch/error.h"
#include "runtime.h"
#include "util/json_input.h"

namespace archscope::hwio {

using nlohmann::json;

/// One file's parameter reader.
class ParameterReader {
public:
    /// `what` names the kind of file in errors ("profile", "runtime"); every parameter read is
    /// appended to `out`.
    ParameterReader(const json& root, std::string what, std::string where,
                    std::vector<ProfileParameter>& out)
        : m_root(root), m_what(std::move(what)), m_where(std::move(where)), m_out(out) {}

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw ArchError(m_what + " " + m_where + ": field \"" + path + "\": " + what);
    }

    bool has(const std::string& path) const { return locate(path) != nullptr; }

    /// The largest believable figure in `unit`: past it a figure is a typo or an attack, and
    /// its products (1e308 TFLOP/s x 1e12) stop being finite. A fraction is at most 1.
    static double unitCap(const std::string& unit) {
        static const std::pair<const char*, double> caps[] = {
            {"fraction", 1.0}, {"TFLOP/s", 1e6}, {"Gop/s", 1e9}, {"GB/s", 1e7},
            {"GB", 1e6},       {"GiB", 1e6},     {"MiB", 1e9},   {"MHz", 1e5},
            {"us", 1e7},       {"cycles", 1e9},  {"ops", 1e6}};
        for (const auto& [u, cap] : caps)
            if (unit == u) return cap;
        return 1e9;
    }

    /// A finite number in [`min`, the unit's cap] in `unit`; `min` < 0 disables the lower check.
    double number(const std::string& path, const std::string& unit, double min = 0.0,
                  bool strictlyPositive = false) {
        const json& v = parameter(path, unit);
        if (!v.is_number()) fail(path, "\"value\" must be a number, got " + jsonin::quote(v));
        const double x = v.get<double>();
        if (!std::isfinite(x)) fail(path, "value is not finite");
        if (strictlyPositive && !(x > 0.0)) fail(path, "must be > 0, got " + jsonin::quote(v));
        // A positive figure 12 orders of magnitude below its cap (1e-300 TFLOP/s) is a typo, and
        // dividing by it makes an infinite latency.
        if (strictlyPositive && x < unitCap(unit) * 1e-12) {
            char floorText[32];
            std::snprintf(floorText, sizeof floorText, "%g", unitCap(unit) * 1e-12);
            fail(path, jsonin::quote(v) + " " + unit + " is below the floor of " + floorText + " " +
                           unit);
        }
        if (x < min) fail(path, "must be >= " + std::to_string(min) + ", got " + jsonin::quote(v));
        const double cap = unitCap(unit);
        if (x > cap) {
            char capText[32];
            std::snprintf(capText, sizeof capText, "%g", cap);
            fail(path, jsonin::quote(v) + " " + unit + " is over the cap: at most " + capText +
                           " " + unit +
                           (unit == "fraction" ? " (a fraction of the roofline)" : ""));
        }
        return x;
    }
    int count(const std::string& path, const std::string& unit) {
        const double x = number(path, unit, 1.0);
        if (x != std::floor(x) || x > 1e6) fail(path, "must be a whole number >= 1");
        return int(x);
    }
    bool flag(const std::string& path) {
        const json& v = parameter(path, "bool");
        if (!v.is_boolean()) fail(path, "\"value\" must be true or false");
        return v.get<bool>();
    }
    std::string choice(const std::string& path, const std::set<std::string>& allowed) {
        const json& v = parameter(path, "rule");
        if (!v.is_string() || !allowed.count(v.get<std::string>())) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            fail(path, "value must be one of " + list + ", got " + jsonin::quote(v));
        }
        return v.get<std::string>();
    }
    const json& raw(const std::string& path, const std::string& unit) {
        return parameter(path, unit);
    }
    /// A size given in GB (datasheets) or GiB, in bytes.
    double bytes(const std::string& path) {
        const json* node = locate(path);
        const bool gib = node && node->is_object() && node->value("unit", "") == "GiB";
        return number(path, gib ? "GiB" : "GB") * (gib ? double(1ull << 30) : 1e9);
    }

private:
    const json* locate(const std::string& path) const {
        const json* node = &m_root;
        size_t start = 0;
        while (start <= path.size()) {
            const size_t dot = path.find('.', start);
            const std::string key = path.substr(start, dot - start);
            if (!node->is_object()) return nullptr;
            auto it = node->find(key);
            if (it == node->end()) return nullptr;
            node = &*it;
            if (dot == std::string::npos) break;
            start = dot + 1;
        }
        return node;
    }

    const json& parameter(const std::string& path, const std::string& unit) {
        const json* node = locate(path);
        if (!node)
            fail(path, "missing (expected {\"value\":..,\"unit\":\"" + unit + "\",\"source\":..})");
        if (!node->is_object() || !node->contains("value")) {
            fail(path, "expected an object {\"value\":..,\"unit\":\"" + unit +
                           "\",\"source\" or \"assumption\":..}");
        }
        auto u = node->find("unit");
        if (u == node->end() || !u->is_string())
            fail(path, "missing \"unit\" (expected \"" + unit + "\")");
        if (u->get<std::string>() != unit) {
            fail(path, "unit \"" + jsonin::excerpt(u->get<std::string>()) +
                           "\" is not the expected \"" + unit + "\"");
        }
        auto src = node->find("source");
        auto assumption = node->find("assumption");
        const bool hasSource =
            src != node->end() && src->is_string() && !src->get<std::string>().empty();
        const bool hasAssumption = assumption != node->end() && assumption->is_string() &&
                                   !assumption->get<std::string>().empty();
        if (!hasSource && !hasAssumption) {
            fail(path, "needs a \"source\" or an \"assumption\" with its reason");
        }
        const json& v = (*node)["value"];
        m_out.push_back({path, v.is_string() ? v.get<std::string>() : v.dump(), unit,
                         hasSource ? src->get<std::string>() : assumption->get<std::string>(),
                         !hasSource});
        return v;
    }

    const json& m_root;
    std::string m_what;
    std::string m_where;
    std::vector<ProfileParameter>& m_out;
};

/// A fusion rule at `path` ("fusion.bn"): producer, consumer or none.
inline FusionRule readFusionRule(ParameterReader& r, const std::string& path) {
    const std::string rule = r.choice(path, {"producer", "consumer", "none"});
    return rule == "producer"   ? FusionRule::Producer
           : rule == "consumer" ? FusionRule::Consumer
                                : FusionRule::None;
}

}  // namespace archscope::hwio
