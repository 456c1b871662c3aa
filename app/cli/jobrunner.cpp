// Running engine jobs from the shell: progress on a terminal, JSON lines for scripts, Ctrl-C.
#include "jobrunner.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "arch/error.h"
#include "engine/jobcontroller.h"
#include "engine/runkinds.h"
#include "store/store.h"
#include "table.h"

namespace archscope::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int) {
    g_interrupted = true;
}

}  // namespace

std::filesystem::path dbPath(const std::string& option) {
    return option.empty() ? store::defaultDatabasePath() : std::filesystem::path(option);
}

void addDbOption(CLI::App* cmd, std::string& db) {
    cmd->add_option("--db", db, "Result store file (default: the user data folder's archscope.db)");
}

namespace {

std::string etaText(std::optional<double> eta) {
    if (!eta) return "--:--";
    const long s = long(*eta + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

/// Prints events: JSON lines on stdout with --json, a progress bar on a terminal's stderr, and
/// nothing while running otherwise (the summary follows at the end).
class EventPrinter {
public:
    explicit EventPrinter(bool json) : m_json(json), m_bar(!json && isatty(STDERR_FILENO)) {}

    void operator()(const engine::JobEvent& event) {
        if (std::holds_alternative<engine::Finished>(event) ||
            std::holds_alternative<engine::Failed>(event)) {
            std::lock_guard lock(m_mutex);
            m_last = event;
        }
        if (m_json) {
            std::cout << engine::eventToJson(event).dump() << "\n";
            if (!std::holds_alternative<engine::Result>(event)) std::cout.flush();
            return;
        }
        if (const auto* p = std::get_if<engine::Progress>(&event); p && m_bar) {
            constexpr int kWidth = 30;
            const double share = p->total > 0 ? double(p->done) / double(p->total) : 1.0;
            const int filled = int(share * kWidth);
            std::cerr << "\r[" << std::string(size_t(filled), '#')
                      << std::string(size_t(kWidth - filled), ' ') << "] " << p->done << "/"
                      << p->total << " " << formatFixed(100.0 * share, 1) << "%  ETA "
                      << etaText(p->etaSeconds) << "   " << std::flush;
            m_barShown = true;
        }
        if (std::holds_alternative<engine::Finished>(event) ||
            std::holds_alternative<engine::Failed>(event)) {
            if (m_barShown) std::cerr << "\n";
        }
    }

    std::optional<engine::JobEvent> last() {
        std::lock_guard lock(m_mutex);
        return m_last;
    }

private:
    bool m_json;
    bool m_bar;
    bool m_barShown = false;
    std::mutex m_mutex;
    std::optional<engine::JobEvent> m_last;
};

}  // namespace

bool interruptedBySignal() {
    return g_interrupted;
}

void runToEnd(const std::shared_ptr<engine::StoreWriter>& writer, int64_t runId, bool json,
              int workers, bool summary) {
    auto printer = std::make_shared<EventPrinter>(json);
    auto controller = engine::controllerForRun(
        writer, runId, [printer](const engine::JobEvent& e) { (*printer)(e); }, workers);
    g_interrupted = false;
    auto previous = std::signal(SIGINT, onInterrupt);
    // SIGTERM too: mpirun and batch systems stop a job with it; what finished gets stored.
    auto previousTerm = std::signal(SIGTERM, onInterrupt);
    controller->start();
    while (!controller->done()) {
        if (g_interrupted) controller->cancel();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    controller->wait();
    std::signal(SIGINT, previous);
    std::signal(SIGTERM, previousTerm);

    const auto last = printer->last();
    const std::string db = writer->path().string();
    if (const auto* f = last ? std::get_if<engine::Failed>(&*last) : nullptr)
        throw ArchError("run " + std::to_string(runId) + " failed: " + f->message +
                        " (what was stored is kept; `archscope-cli resume --db " + db + " --run " +
                        std::to_string(runId) + "` continues it)");
    const auto* fin = last ? std::get_if<engine::Finished>(&*last) : nullptr;
    if (!fin) throw ArchError("run " + std::to_string(runId) + " ended without a final event");
    // A cancelled run is not a success: exit non-zero so scripts notice (the run is resumable).
    if (fin->cancelled)
        throw ArchError("run " + std::to_string(runId) + " cancelled with " +
                        std::to_string(fin->evaluations) + " evaluations stored; `archscope-cli " +
                        "resume --db " + db + " --run " + std::to_string(runId) + "` continues it");
    if (!json && summary)
        std::cout << "run " << runId << ": " << fin->evaluations << " evaluations stored in " << db
                  << " (" << formatFixed(fin->elapsedSeconds, 2) << " s)\n";
}

}  // namespace archscope::cli
