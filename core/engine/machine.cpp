#include "engine/machine.h"

#include <sqlite3.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

namespace archscope::engine {
namespace {

std::string cpuModel() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos) {
                auto value = line.substr(colon + 1);
                value.erase(0, value.find_first_not_of(' '));
                return value;
            }
        }
    }
    return "unknown";
}

}  // namespace

nlohmann::json machineContext() {
    nlohmann::json j;
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) == 0) j["host"] = host;
    utsname u{};
    if (uname(&u) == 0) j["os"] = std::string(u.sysname) + " " + u.release + " " + u.machine;
    j["cpu"] = cpuModel();
    j["logical_cpus"] = std::thread::hardware_concurrency();
    j["archscope"] = ARCHSCOPE_VERSION;
    j["sqlite"] = sqlite3_libversion();
    return j;
}

}  // namespace archscope::engine
