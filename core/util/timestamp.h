#pragma once

#include <string>

namespace archscope {

/// Now as ISO 8601 UTC: "2025-01-31T12:00:00Z", or "2025-01-31T12:00:00.123Z" with milliseconds
/// (the store's timestamps, which order evaluations written within one second).
std::string utcTimestamp(bool withMilliseconds = false);

}  // namespace archscope
