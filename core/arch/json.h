#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "layer.h"
#include "network.h"

namespace archscope {

/// Architecture files: {"format":"archscope-network","version":1,"name":..,"blocks":[block
/// strings],"width":..,"depth":..,"resolution":..,...}. Versioned so old files keep loading.
inline constexpr int kNetworkFormatVersion = 1;

nlohmann::json networkSpecToJson(const NetworkSpec& spec);
/// Throws ArchError naming the field that is missing or wrong (`where` names the file).
NetworkSpec networkSpecFromJson(const nlohmann::json& j, const std::string& where = "network");

NetworkSpec loadNetworkSpecFile(const std::string& path);
void saveNetworkSpecFile(const NetworkSpec& spec, const std::string& path);

/// A stable string for hashing and equality: canonical JSON with sorted keys, no whitespace.
std::string canonicalNetworkString(const NetworkSpec& spec);
/// 64-bit FNV-1a of canonicalNetworkString, as 16 hex digits.
std::string networkHash(const NetworkSpec& spec);

nlohmann::json layerToJson(const Layer& layer);

}  // namespace archscope
