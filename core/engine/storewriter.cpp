#include "engine/storewriter.h"

#include <future>

namespace archscope::engine {

StoreWriter::StoreWriter(const std::filesystem::path& path, store::OpenMode mode) : m_path(path) {
    auto ready = m_opened.get_future();
    m_thread = std::jthread([this, mode](std::stop_token stop) { loop(stop, mode); });
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
        m_queue.push_back({std::move(write), std::this_thread::get_id()});
        ++m_posted;
        if (m_queue.size() > 1) return;  // the writer was already woken for this batch
    }
    m_wake.notify_one();
}

void StoreWriter::flush() {
    std::unique_lock lock(m_mutex);
    const uint64_t target = m_posted;
    m_committedCv.wait(lock, [&] { return m_committed >= target; });
    const auto it = m_errors.find(std::this_thread::get_id());
    if (it == m_errors.end()) return;
    const std::exception_ptr error = it->second;
    m_errors.erase(it);
    std::rethrow_exception(error);
}

std::map<std::thread::id, std::exception_ptr> StoreWriter::apply(store::ResultStore& db,
                                                                 std::deque<Queued>& batch) {
    std::map<std::thread::id, std::exception_ptr> errors;
    try {
        auto tx = db.transaction();
        for (auto& q : batch) q.write(db);
        tx.commit();
        return errors;
    } catch (...) {
        if (batch.size() == 1) {
            errors.emplace(batch.front().poster, std::current_exception());
            return errors;
        }
    }
    // The batch was rolled back: replay each write alone so only the failing one fails.
    for (auto& q : batch) {
        try {
            auto tx = db.transaction();
            q.write(db);
            tx.commit();
        } catch (...) {
            errors.emplace(q.poster, std::current_exception());  // keeps a thread's first
        }
    }
    return errors;
}

void StoreWriter::loop(std::stop_token stop, store::OpenMode mode) {
    std::optional<store::ResultStore> db;
    try {
        db.emplace(m_path, mode);
        m_opened.set_value();
    } catch (...) {
        m_opened.set_exception(std::current_exception());
        return;
    }
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, stop, [&] { return !m_queue.empty(); });
        if (m_queue.empty()) break;  // stop requested and nothing left to write
        std::deque<Queued> batch;
        batch.swap(m_queue);
        const uint64_t upTo = m_posted;
        lock.unlock();
        m_spaceCv.notify_all();
        auto errors = apply(*db, batch);
        batch.clear();
        lock.lock();
        for (auto& [poster, error] : errors) m_errors.emplace(poster, error);
        m_committed = upTo;
        m_committedCv.notify_all();
    }
}

}  // namespace archscope::engine
