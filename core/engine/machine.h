#pragma once

#include <nlohmann/json.hpp>

namespace archscope::engine {

/// Where a run ran, stored with it: {"host","os","cpu","logical_cpus","archscope","sqlite"}.
/// Read from uname(2), /proc/cpuinfo and std::thread::hardware_concurrency().
nlohmann::json machineContext();

}  // namespace archscope::engine
