#include "util/timestamp.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace archscope {

std::string utcTimestamp(bool withMilliseconds) {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[40];
    const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    if (withMilliseconds) {
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
            1000;
        std::snprintf(buf + n, sizeof buf - n, ".%03dZ", int(ms));
    } else {
        std::snprintf(buf + n, sizeof buf - n, "Z");
    }
    return buf;
}

}  // namespace archscope
