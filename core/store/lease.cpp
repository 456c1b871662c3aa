#include "store/lease.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace archscope::store {

int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

RunOwner thisProcess() {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    return {int64_t(getpid()), host[0] ? host : "unknown-host", unixNow()};
}

bool isThisProcess(const RunOwner& owner) {
    const RunOwner self = thisProcess();
    return owner.pid == self.pid && owner.host == self.host;
}

bool ownerAlive(const RunOwner& owner, int64_t nowUnix) {
    if (nowUnix - owner.heartbeatUnix > kLeaseStaleSeconds) return false;
    if (owner.host != thisProcess().host) return true;  // cannot ask another host's kernel
    if (owner.pid <= 0 || owner.pid > int64_t(INT32_MAX)) return false;
    // kill(pid, 0) delivers nothing: it only asks whether the process exists.
    return kill(pid_t(owner.pid), 0) == 0 || errno == EPERM;
}

}  // namespace archscope::store
