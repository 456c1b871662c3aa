#include "engine/storewriter.h"

#include <future>

namespace archscope::engine {

StoreWriter::StoreWriter(const std::filesystem::path& path) : m_path(path) {
    auto ready = m_opened.get_future();
    m_thread = std::jthread([this](std::stop_token stop) { loop(stop); });
    ready.get();  // rethrows the open error; the thread has then already returned
}

StoreWriter::~StoreWriter() {
    if (m_thread.joinable()) {
        m_thread.request_stop();
        m_thread.join();
    }
}

void StoreWriter::post(Write write) {
    {
        std::unique_lock lock(m_mutex);
        m_spaceCv.wait(lock, [&] { return m_queue.size() < kMaxQueued; });
        m_queue.push_back(std::move(write));
        ++m_posted;
        if (m_queue.size() > 1) return;  // the writer was already woken for this batch
    }
    m_wake.notify_one();
}

void StoreWriter::flush() {
    std::unique_lock lock(m_mutex);
    const uint64_t target = m_posted;
    m_committedCv.wait(lock, [&] { return m_committed >= target; });
    if (m_error) std::rethrow_exception(std::exchange(m_error, nullptr));
}

void StoreWriter::loop(std::stop_token stop) {
    std::optional<store::ResultStore> db;
    try {
        db.emplace(m_path);
        m_opened.set_value();
    } catch (...) {
        m_opened.set_exception(std::current_exception());
        return;
    }
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, stop, [&] { return !m_queue.empty(); });
        if (m_queue.empty()) break;  // stop requested and nothing left to write
        std::deque<Write> batch;
        batch.swap(m_queue);
        const uint64_t upTo = m_posted;
        lock.unlock();
        m_spaceCv.notify_all();
        std::exception_ptr error;
        try {
            auto tx = db->transaction();
            for (auto& write : batch) write(*db);
            tx.commit();
        } catch (...) {
            error = std::current_exception();
        }
        batch.clear();
        lock.lock();
        if (error && !m_error) m_error = error;
        m_committed = upTo;
        m_committedCv.notify_all();
    }
}

}  // namespace archscope::engine
