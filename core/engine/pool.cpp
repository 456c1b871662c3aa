#include "engine/pool.h"

#include <map>
#include <memory>

namespace archscope::engine {

void PauseGate::pause() {
    std::lock_guard lock(m_mutex);
    m_paused = true;
}

void PauseGate::resume() {
    {
        std::lock_guard lock(m_mutex);
        m_paused = false;
    }
    m_cv.notify_all();
}

bool PauseGate::paused() const {
    std::lock_guard lock(m_mutex);
    return m_paused;
}

bool PauseGate::wait(std::stop_token stop) {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, stop, [&] { return !m_paused; });
    return !stop.stop_requested();
}

std::unique_lock<std::mutex> lockDevice(const std::string& device) {
    static std::mutex registryMutex;
    static std::map<std::string, std::unique_ptr<std::mutex>> devices;  // never shrinks
    std::mutex* m = nullptr;
    {
        std::lock_guard lock(registryMutex);
        auto& slot = devices[device];
        if (!slot) slot = std::make_unique<std::mutex>();
        m = slot.get();
    }
    return std::unique_lock(*m);
}

}  // namespace archscope::engine
