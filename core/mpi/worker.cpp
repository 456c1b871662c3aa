#include "mpi/worker.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

namespace archscope::mpi {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kHeartbeatEvery{1};

class Worker {
public:
    explicit Worker(const TaskEvaluatorFactory& factory) : m_factory(factory) {}

    void run(const Session& session) {
        send(0, Tag::Hello, json{{"pid", long(getpid())}, {"host", session.host()}}.dump());
        m_lastBeat = Clock::now();
        Backoff backoff;
        for (;;) {
            auto m = tryReceive(0);
            if (!m) {
                beatIfDue();
                backoff.sleep();
                continue;
            }
            backoff.reset();
            switch (m->tag) {
                case Tag::Stop:
                    send(0, Tag::Bye, "");
                    return;
                case Tag::Setup:
                    setUp(m->text);
                    break;
                case Tag::Task:
                    if (!evaluate(m->text)) {  // told to stop meanwhile
                        send(0, Tag::Bye, "");
                        return;
                    }
                    break;
                default:
                    break;  // nothing else is addressed to a worker
            }
        }
    }

private:
    void beatIfDue() {
        if (Clock::now() - m_lastBeat < kHeartbeatEvery) return;
        send(0, Tag::Heartbeat, "");
        m_lastBeat = Clock::now();
    }

    void setUp(const std::string& text) {
        try {
            m_evaluate = m_factory(json::parse(text));
        } catch (const std::exception& e) {
            m_evaluate = nullptr;
            send(0, Tag::SetupFailed, e.what());
        }
    }

    /// Runs the task on a thread while this one keeps the heartbeat and listens for Stop.
    /// Returns false when Stop came first.
    bool evaluate(const std::string& text) {
        std::atomic<bool> done{false};
        json result;
        std::jthread thread([&](std::stop_token stop) {
            try {
                if (!m_evaluate) throw std::runtime_error("this worker has no setup");
                result = m_evaluate(json::parse(text), stop);
            } catch (const std::exception& e) {
                result = {{"worker_error", e.what()}};
            }
            done = true;
        });
        Backoff backoff;
        while (!done) {
            if (auto m = tryReceive(0); m && m->tag == Tag::Stop) {
                thread.request_stop();  // estimators check it between batches
                return false;           // the jthread joins on leaving
            }
            beatIfDue();
            backoff.sleep();
        }
        thread.join();
        send(0, Tag::Outcome, result.dump());
        m_lastBeat = Clock::now();
        return true;
    }

    const TaskEvaluatorFactory& m_factory;
    TaskEvaluator m_evaluate;
    Clock::time_point m_lastBeat;
};

}  // namespace

void runWorker(const Session& session, const TaskEvaluatorFactory& factory) {
    Worker(factory).run(session);
}

}  // namespace archscope::mpi
