#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

#include "store/store.h"

namespace archscope::engine {

/// The single writer thread of a result store: it owns the ResultStore (opened on that thread)
/// and applies queued writes, committing everything queued at once in one transaction (batched
/// writes under load, one commit per write when idle).
/// Threading: post()/call()/flush() may be called from any thread.
class StoreWriter {
public:
    /// Opens (creates/migrates) the store; rethrows its ArchError here if that fails.
    /// ExistingOnly never creates a file (resume).
    explicit StoreWriter(const std::filesystem::path& path,
                         store::OpenMode mode = store::OpenMode::CreateIfMissing);
    /// Commits what is queued, then stops the thread.
    ~StoreWriter();
    StoreWriter(const StoreWriter&) = delete;
    StoreWriter& operator=(const StoreWriter&) = delete;

    const std::filesystem::path& path() const { return m_path; }

    using Write = std::function<void(store::ResultStore&)>;
    /// Queues a write; it runs later on the writer thread. A failure is reported by the next
    /// flush() of the thread that posted it (never to another thread).
    /// Blocks while kMaxQueued writes are waiting, so a fast producer cannot outgrow memory.
    void post(Write write);
    /// Waits until everything posted so far is committed; rethrows the first error of a write
    /// this thread posted since its last flush. When a batch fails it is rolled back and each
    /// of its writes is replayed in its own transaction, so an error belongs to the write that
    /// caused it and the others are kept.
    void flush();
    /// Runs `f` on the writer thread, waits for its commit and returns its result.
    template <class F>
    auto call(F&& f) -> std::invoke_result_t<F&, store::ResultStore&> {
        using R = std::invoke_result_t<F&, store::ResultStore&>;
        if constexpr (std::is_void_v<R>) {
            post([&f](store::ResultStore& s) { f(s); });
            flush();
        } else {
            std::optional<R> out;
            post([&f, &out](store::ResultStore& s) { out.emplace(f(s)); });
            flush();
            return std::move(*out);
        }
    }

    static constexpr size_t kMaxQueued = 1024;

private:
    struct Queued {
        Write write;
        std::thread::id poster;
    };
    void loop(std::stop_token stop, store::OpenMode mode);
    /// Runs a batch in one transaction, or each write alone when that fails; returns the
    /// errors by posting thread.
    std::map<std::thread::id, std::exception_ptr> apply(store::ResultStore& db,
                                                        std::deque<Queued>& batch);

    std::filesystem::path m_path;
    std::mutex m_mutex;
    std::condition_variable_any m_wake;
    std::condition_variable m_committedCv;
    std::condition_variable m_spaceCv;
    std::deque<Queued> m_queue;
    uint64_t m_posted = 0;
    uint64_t m_committed = 0;
    std::map<std::thread::id, std::exception_ptr> m_errors;  ///< first error per posting thread
    std::promise<void> m_opened;  // a member: the thread may still touch it after the wait
    std::jthread m_thread;        // last: starts after the members above exist
};

}  // namespace archscope::engine
