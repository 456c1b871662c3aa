// The job engine: event order, cancellation, pause/resume, resume from the store, errors,
// the worker pool and the device lock.
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "arch/error.h"
#include "arch/json.h"
#include "engine/jobcontroller.h"
#include "engine/random_arch.h"
#include "engine/runkinds.h"
#include "engine/sweep.h"

using namespace archscope;
using namespace archscope::engine;

namespace {

/// Collects events from the job thread.
struct Recorder {
    std::mutex mutex;
    std::vector<JobEvent> events;
    std::atomic<int64_t> results{0};
    EventSink sink() {
        return [this](const JobEvent& e) {
            if (std::holds_alternative<Result>(e)) ++results;
            std::lock_guard lock(mutex);
            events.push_back(e);
        };
    }
    std::vector<JobEvent> snapshot() {
        std::lock_guard lock(mutex);
        return events;
    }
};

template <class T>
int countOf(const std::vector<JobEvent>& events) {
    int n = 0;
    for (const auto& e : events) n += std::holds_alternative<T>(e);
    return n;
}

/// A job whose items fail at `failAt`, to test error propagation.
class FailingJob : public Job {
public:
    void run(JobContext& ctx) override {
        ctx.started("failing", 10, 0);
        std::vector<int64_t> items(10);
        for (int i = 0; i < 10; ++i) items[size_t(i)] = i;
        const std::function<int(int64_t, std::stop_token)> eval = [](int64_t i, std::stop_token) {
            if (i == 5) throw ArchError("item 5 is broken");
            return int(i);
        };
        const std::function<void(int64_t, int&&)> onResult = [](int64_t, int&&) {};
        runPool<int>(items, 1, ctx.stopToken(), ctx.pauseGate(), eval, onResult);
    }
};

}  // namespace

class TestEngine : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    std::filesystem::path freshDb() {
        return std::filesystem::path(m_dir.path().toStdString()) /
               ("engine" + std::to_string(++m_counter) + ".db");
    }

private Q_SLOTS:
    void randomVariantsAreDeterministicAndBuild() {
        for (int64_t i = 0; i < 50; ++i) {
            const auto a = randomEfficientNetVariant(42, i);
            QCOMPARE(networkHash(a), networkHash(randomEfficientNetVariant(42, i)));
            const Network net = buildNetwork(a);
            QVERIFY(net.resolution >= 128 && net.resolution <= 320);
            QVERIFY(a.scaling.width >= 0.5 && a.scaling.width <= 2.0);
        }
        QVERIFY(networkHash(randomEfficientNetVariant(42, 0)) !=
                networkHash(randomEfficientNetVariant(42, 1)));
        QVERIFY(networkHash(randomEfficientNetVariant(42, 0)) !=
                networkHash(randomEfficientNetVariant(43, 0)));
    }

    void sweepParamsRoundTripAndValidate() {
        const auto p = SweepParams::forModels({"efficientnet-b0", "efficientnet-b2"}, 4);
        const auto back = SweepParams::fromJson(p.toJson());
        QCOMPARE(back.total(), int64_t(2));
        QCOMPARE(back.batch, 4);
        QCOMPARE(back.candidate(1), p.candidate(1));
        QVERIFY_THROWS_EXCEPTION(ArchError, SweepParams::fromJson(nlohmann::json::object()));
        QVERIFY_THROWS_EXCEPTION(ArchError, findRunKind("no-such-kind"));
        QVERIFY(!runKindNames().empty());
    }

    void eventsArriveInOrder() {
        auto writer = std::make_shared<StoreWriter>(freshDb());
        const int64_t run =
            createRun(*writer, kSweepKind, SweepParams::forRandom(40, 1, 1).toJson(), 40);
        Recorder rec;
        auto c = controllerForRun(writer, run, rec.sink(), 2);
        c->start();
        c->wait();
        const auto events = rec.snapshot();
        QVERIFY(std::holds_alternative<Started>(events.front()));
        QCOMPARE(std::get<Started>(events.front()).total, int64_t(40));
        QVERIFY(std::holds_alternative<Finished>(events.back()));
        QCOMPARE(countOf<Started>(events), 1);
        QCOMPARE(countOf<Finished>(events), 1);
        QCOMPARE(countOf<Result>(events), 40);
        int64_t lastDone = -1;
        std::set<int64_t> seqs;
        for (const auto& e : events) {
            if (const auto* p = std::get_if<Progress>(&e)) {
                QVERIFY(p->done >= lastDone);
                lastDone = p->done;
            }
            if (const auto* r = std::get_if<Result>(&e)) {
                seqs.insert(r->seq);
                QCOMPARE(r->method, std::string(kIrCostMethod));
                QVERIFY(r->macs.value_or(0) > 0);
            }
        }
        QCOMPARE(lastDone, int64_t(40));  // the last progress is always delivered
        QCOMPARE(seqs.size(), size_t(40));
        const auto& fin = std::get<Finished>(events.back());
        QCOMPARE(fin.evaluations, int64_t(40));
        QVERIFY(!fin.cancelled);
        const auto stored =
            writer->call([run](store::ResultStore& s) { return s.requireRun(run); });
        QCOMPARE(stored.status, std::string(store::kStatusFinished));
        QVERIFY(stored.endedAt);
        const auto evals =
            writer->call([run](store::ResultStore& s) { return s.evaluations(run); });
        const int64_t layers = writer->call(
            [&](store::ResultStore& s) { return int64_t(s.layerCosts(evals[0].id).size()); });
        QVERIFY(layers > 50);  // per-layer costs are stored with each evaluation
    }

    void cancelStopsAndResumeCompletesWithoutDuplicates() {
        auto writer = std::make_shared<StoreWriter>(freshDb());
        const int64_t total = 3000;
        const int64_t run =
            createRun(*writer, kSweepKind, SweepParams::forRandom(total, 9, 1).toJson(), total);
        Recorder rec;
        auto c = controllerForRun(writer, run, rec.sink(), 2);
        c->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.results >= 50, 60000);
        c->cancel();
        c->wait();
        auto events = rec.snapshot();
        QVERIFY(std::holds_alternative<Finished>(events.back()));
        const auto fin = std::get<Finished>(events.back());
        QVERIFY(fin.cancelled);
        QVERIFY2(fin.evaluations < total, "the run finished before the cancel");
        QCOMPARE(fin.evaluations, rec.results.load());  // every result reported was stored
        QCOMPARE(writer->call([run](store::ResultStore& s) { return s.requireRun(run).status; }),
                 std::string(store::kStatusCancelled));

        Recorder again;
        auto resumed = controllerForRun(writer, run, again.sink(), 2);
        resumed->start();
        resumed->wait();
        events = again.snapshot();
        QCOMPARE(std::get<Started>(events.front()).alreadyDone, fin.evaluations);
        QCOMPARE(again.results.load(), total - fin.evaluations);
        QCOMPARE(std::get<Finished>(events.back()).evaluations, total);
        const auto seqs =
            writer->call([run](store::ResultStore& s) { return s.finishedSeqs(run); });
        QCOMPARE(int64_t(seqs.size()), total);
        for (int64_t i = 0; i < total; ++i) QCOMPARE(seqs[size_t(i)], i);
    }

    void pauseHoldsWorkAndResumeContinues() {
        auto writer = std::make_shared<StoreWriter>(freshDb());
        const int64_t total = 2000;
        const int64_t run =
            createRun(*writer, kSweepKind, SweepParams::forRandom(total, 5, 1).toJson(), total);
        Recorder rec;
        auto c = controllerForRun(writer, run, rec.sink(), 2);
        c->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.results >= 20, 60000);
        c->pause();
        QVERIFY(c->paused());
        // Items in flight and results not yet delivered finish (how many depends on the load,
        // so the count is not pinned); then nothing moves.
        int64_t settled = rec.results.load();
        for (int i = 0; i < 50; ++i) {
            QTest::qWait(200);
            const int64_t now = rec.results.load();
            if (now == settled) break;
            settled = now;
        }
        QTest::qWait(1000);
        const int64_t afterPause = rec.results.load();
        QCOMPARE(afterPause, settled);
        QVERIFY(!c->done());
        QVERIFY(afterPause < total);
        QCOMPARE(writer->call([run](store::ResultStore& s) { return s.requireRun(run).status; }),
                 std::string(store::kStatusPaused));
        c->resume();
        c->wait();
        const auto events = rec.snapshot();
        QVERIFY(std::holds_alternative<Finished>(events.back()));
        QVERIFY(!std::get<Finished>(events.back()).cancelled);
        QCOMPARE(std::get<Finished>(events.back()).evaluations, total);
    }

    void cancelWhilePausedEnds() {
        auto writer = std::make_shared<StoreWriter>(freshDb());
        const int64_t run =
            createRun(*writer, kSweepKind, SweepParams::forRandom(2000, 6, 1).toJson(), 2000);
        Recorder rec;
        auto c = controllerForRun(writer, run, rec.sink(), 2);
        c->start();
        QTRY_VERIFY_WITH_TIMEOUT(rec.results >= 5, 60000);
        c->pause();
        c->cancel();
        c->wait();  // must not hang on the pause gate
        const auto events = rec.snapshot();
        QVERIFY(std::get<Finished>(events.back()).cancelled);
    }

    void failureIsReportedAndStored() {
        auto writer = std::make_shared<StoreWriter>(freshDb());
        const int64_t run =
            writer->call([](store::ResultStore& s) { return s.createRun("failing", {}, {}); });
        Recorder rec;
        JobController c(std::make_unique<FailingJob>(), writer, run, rec.sink(), 1);
        c.start();
        c.wait();
        const auto events = rec.snapshot();
        QVERIFY(std::holds_alternative<Failed>(events.back()));
        QCOMPARE(std::get<Failed>(events.back()).message, std::string("item 5 is broken"));
        QCOMPARE(countOf<Finished>(events), 0);
        const auto r = writer->call([run](store::ResultStore& s) { return s.requireRun(run); });
        QCOMPARE(r.status, std::string(store::kStatusFailed));
        QCOMPARE(r.message, std::string("item 5 is broken"));
    }

    void writerReportsWriteErrorsOnFlush() {
        StoreWriter writer(freshDb());
        writer.post([](store::ResultStore&) { throw ArchError("disk on fire"); });
        QVERIFY_THROWS_EXCEPTION(ArchError, writer.flush());
        writer.flush();  // reported once
        QCOMPARE(writer.call([](store::ResultStore& s) { return int(s.listRuns().size()); }), 0);
    }

    void writerErrorBelongsToTheWriteThatCausedIt() {
        StoreWriter writer(freshDb());
        std::atomic<bool> go{false};
        std::exception_ptr otherError;
        int64_t otherRun = 0;
        // Another thread's good write shares a batch with this thread's failing one.
        std::thread other([&] {
            while (!go) std::this_thread::yield();
            writer.post([&](store::ResultStore& s) { otherRun = s.createRun("x", {}, {}); });
            try {
                writer.flush();
            } catch (...) {
                otherError = std::current_exception();
            }
        });
        writer.post([](store::ResultStore&) { throw ArchError("disk on fire"); });
        go = true;
        other.join();
        QVERIFY_THROWS_EXCEPTION(ArchError, writer.flush());  // this thread's error, here
        QVERIFY(!otherError);                                 // never handed to the other
        QVERIFY(otherRun > 0);                                // whose write was kept
        QCOMPARE(writer.call([](store::ResultStore& s) { return int(s.listRuns().size()); }), 1);
    }

    void pauseNeverLandsOnAFinishedRun() {
        // pause() races the job thread's final status: whatever the interleaving, a run whose
        // job finished is stored finished, never paused.
        auto writer = std::make_shared<StoreWriter>(freshDb());
        for (int attempt = 0; attempt < 20; ++attempt) {
            const int64_t run = createRun(
                *writer, kSweepKind, SweepParams::forRandom(3, uint64_t(attempt), 1).toJson(), 3);
            Recorder rec;
            auto c = controllerForRun(writer, run, rec.sink(), 1);
            c->start();
            while (!c->done()) c->pause(), c->resume(), c->pause();
            c->wait();
            const auto status =
                writer->call([run](store::ResultStore& s) { return s.requireRun(run).status; });
            QCOMPARE(status, std::string(store::kStatusFinished));
        }
    }

    void writerOpenErrorIsRethrown() {
        const auto p = freshDb();
        { std::ofstream(p) << "this is not a database, it is a text file of some length"; }
        QVERIFY_THROWS_EXCEPTION(ArchError, StoreWriter{p});
    }

    void deviceLockSerializesOneDevice() {
        std::atomic<int> inside{0};
        std::atomic<int> maxInside{0};
        std::vector<std::jthread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 20; ++i) {
                    auto lock = lockDevice("cpu");
                    const int n = ++inside;
                    int m = maxInside.load();
                    while (n > m && !maxInside.compare_exchange_weak(m, n)) {
                    }
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
                    --inside;
                }
            });
        threads.clear();  // joins
        QCOMPARE(maxInside.load(), 1);
        auto cpu = lockDevice("cpu");
        auto gpu = lockDevice("cuda:0");  // another device is not blocked by the cpu lock
        QVERIFY(cpu.owns_lock() && gpu.owns_lock());
    }

    void poolStopsTakingItemsOnStop() {
        std::stop_source stop;
        PauseGate gate;
        std::vector<int64_t> items(1000);
        for (int i = 0; i < 1000; ++i) items[size_t(i)] = i;
        std::atomic<int> evaluated{0};
        const std::function<int(int64_t, std::stop_token)> eval = [&](int64_t i, std::stop_token) {
            if (++evaluated == 10) stop.request_stop();
            return int(i);
        };
        int64_t delivered = 0;
        const std::function<void(int64_t, int&&)> onResult = [&](int64_t, int&&) { ++delivered; };
        const int64_t n = runPool<int>(items, 3, stop.get_token(), gate, eval, onResult);
        QCOMPARE(n, delivered);
        QCOMPARE(int64_t(evaluated.load()), delivered);  // nothing evaluated is dropped
        QVERIFY(delivered < 1000);
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
