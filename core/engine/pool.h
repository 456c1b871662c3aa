#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace archscope::engine {

/// Pause/resume for cooperative workers. Threading: any thread may pause/resume; workers call
/// wait() between items.
class PauseGate {
public:
    void pause();
    void resume();
    bool paused() const;
    /// Blocks while paused. Returns false when `stop` is requested (the caller should stop).
    bool wait(std::stop_token stop);

private:
    mutable std::mutex m_mutex;
    std::condition_variable_any m_cv;
    bool m_paused = false;
};

/// Serializes work on one device: a CPU latency measurement must not share the CPU with another
/// measurement, or both figures are wrong. Hold the returned lock while measuring on `device`
/// ("cpu", "cuda:0", ...); different devices do not block each other. Threading: any thread.
std::unique_lock<std::mutex> lockDevice(const std::string& device);

/// Results a worker may leave undelivered before it waits for the calling thread: bounds memory
/// when the consumer (the store writer) is slower than the workers, and bounds the work done
/// after a pause (at most workers * (kReadyPerWorker + 1) results).
inline constexpr int kReadyPerWorker = 2;

/// Runs `evaluate(item, stop)` for every item on `workers` threads and hands each result to
/// `onResult` on the CALLING thread, in completion order. Stops taking new items when `stop` is
/// requested, waits at `gate` while paused. An exception from `evaluate` or `onResult` stops the
/// pool and is rethrown here after the workers have joined. Returns the results delivered.
template <class R>
int64_t runPool(const std::vector<int64_t>& items, int workers, std::stop_token stop,
                PauseGate& gate, const std::function<R(int64_t, std::stop_token)>& evaluate,
                const std::function<void(int64_t, R&&)>& onResult) {
    std::stop_source halt;  // our own stop: the caller's stop, or an error
    std::stop_callback forward(stop, [&halt] { halt.request_stop(); });
    std::mutex mutex;
    std::condition_variable cv;
    std::condition_variable_any space;
    std::deque<std::pair<int64_t, R>> ready;
    std::exception_ptr error;
    std::atomic<size_t> next{0};
    int running = std::max(1, workers);
    const int count = running;
    const size_t readyLimit = size_t(count * kReadyPerWorker);

    auto work = [&] {
        const std::stop_token token = halt.get_token();
        try {
            while (gate.wait(token)) {
                const size_t i = next.fetch_add(1);
                if (i >= items.size()) break;
                R r = evaluate(items[i], token);
                std::unique_lock lock(mutex);
                // On stop, still deliver: what was computed is never dropped.
                space.wait(lock, token, [&] { return ready.size() < readyLimit; });
                ready.emplace_back(items[i], std::move(r));
                cv.notify_one();
            }
        } catch (...) {
            std::lock_guard lock(mutex);
            if (!error) error = std::current_exception();
            halt.request_stop();
        }
        std::lock_guard lock(mutex);
        --running;
        cv.notify_one();
    };
    int64_t delivered = 0;
    {
        std::vector<std::jthread> threads;
        threads.reserve(size_t(count));
        for (int i = 0; i < count; ++i) threads.emplace_back(work);
        std::unique_lock lock(mutex);
        for (;;) {
            cv.wait(lock, [&] { return !ready.empty() || running == 0; });
            if (ready.empty()) break;
            auto batch = std::move(ready);
            ready.clear();
            lock.unlock();
            space.notify_all();
            try {
                for (auto& [item, r] : batch) {
                    onResult(item, std::move(r));
                    ++delivered;
                }
            } catch (...) {
                lock.lock();
                if (!error) error = std::current_exception();
                halt.request_stop();
                continue;
            }
            lock.lock();
        }
    }  // joins the workers
    if (error) std::rethrow_exception(error);
    return delivered;
}

}  // namespace archscope::engine
