// The "search" run kind on the engine and the store: reference points, stored labels, a run
// cancelled mid-way and resumed ends exactly like an uninterrupted run, and the front is stored.
#include <sqlite3.h>

#include <QTemporaryDir>
#include <QtTest>
#include <atomic>

#include "arch/error.h"
#include "arch/expand.h"
#include "engine/jobcontroller.h"
#include "engine/runkinds.h"
#include "search/evaluators.h"
#include "search/searchrun.h"
#include "store/store.h"

using namespace archscope;

namespace {

// A deterministic stand-in estimator: the real ones (proxy training, NASWOT) need LibTorch and
// are tested in tst_torch_estimators; here the run mechanics are under test.
void registerTestEstimator() {
    registerAccuracyEstimator(
        {"test-capacity", "log-capacity stand-in for tests",
         [](const nlohmann::json&) -> EstimateFn {
             return [](const NetworkSpec& spec, std::stop_token) {
                 const NetworkCost c = totalCost(expandLayers(buildNetwork(spec)));
                 return AccuracyResult{100.0 - 1000.0 / std::log(double(c.macs)),
                                       "test-capacity",
                                       "synthetic score",
                                       "",
                                       {},
                                       0.0,
                                       std::nullopt,
                                       false};
             };
         },
         [](const nlohmann::json& s) { return s; }});
}

nlohmann::json params(int budget) {
    SearchRunParams p;
    p.search = SearchParams::fromJson(
        {{"budget", budget}, {"seed", 3}, {"population", 16}, {"tournament", 4}});
    p.hw = "tpuv3";
    p.accuracy = "test-capacity";
    return p.toJson();
}

struct Driven {
    std::vector<engine::Result> results;
    std::string failure;
};

/// Runs (or resumes) a run; cancels after `cancelAfter` results when >= 0.
Driven drive(const std::shared_ptr<engine::StoreWriter>& writer, int64_t runId, int cancelAfter) {
    Driven out;
    std::atomic<int> results{0};
    engine::JobController* self = nullptr;
    auto controller = engine::controllerForRun(
        writer, runId,
        [&](const engine::JobEvent& e) {  // the job's thread only, one event at a time
            if (const auto* f = std::get_if<engine::Failed>(&e)) out.failure = f->message;
            if (const auto* r = std::get_if<engine::Result>(&e)) out.results.push_back(*r);
            if (std::holds_alternative<engine::Result>(e) && ++results == cancelAfter && self) {
                self->cancel();
            }
        },
        1);
    self = controller.get();
    controller->start();
    controller->wait();
    return out;
}

std::vector<std::string> hashesBySeq(const std::filesystem::path& db, int64_t runId) {
    store::StoreReader reader(db);
    auto evaluations = reader.evaluations(runId);
    std::sort(evaluations.begin(), evaluations.end(),
              [](const auto& a, const auto& b) { return *a.seq < *b.seq; });
    std::vector<std::string> out;
    for (const auto& e : evaluations) out.push_back(std::to_string(*e.seq) + ":" + e.archHash);
    return out;
}

}  // namespace

class TestSearchRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        registerTestEstimator();
        registerSearchRunKind();
    }

    void storesReferencesAndLabels() {
        QTemporaryDir dir;
        const std::filesystem::path db = dir.filePath("s.db").toStdString();
        auto writer = std::make_shared<engine::StoreWriter>(db);
        const int64_t run = engine::createRun(*writer, kSearchKind, params(30), 30);
        drive(writer, run, -1);
        writer.reset();
        store::StoreReader reader(db);
        const auto evaluations = reader.evaluations(run);
        QCOMPARE(int(evaluations.size()), 33);  // base + 2 references + 30 candidates
        int references = 0;
        for (const auto& e : evaluations) {
            QVERIFY(e.predictedMs && *e.predictedMs > 0);
            QCOMPARE(QString::fromStdString(*e.platform), QString("tpuv3"));
            QVERIFY(e.accuracy && e.accuracy->estimator == "test-capacity");
            QVERIFY(QString::fromStdString(e.method).contains("predicted by the tpuv3"));
            QVERIFY(!reader.layerCosts(e.id).empty());
            references += *e.seq < 0;
        }
        QCOMPARE(references, 3);
        QVERIFY(!reader.front(run).empty());
        QCOMPARE(QString::fromStdString(reader.requireRun(run).status), QString("finished"));
    }

    void cancelledRunResumesExactly() {
        QTemporaryDir dir;
        const std::filesystem::path db = dir.filePath("s.db").toStdString();
        auto writer = std::make_shared<engine::StoreWriter>(db);
        const int64_t whole = engine::createRun(*writer, kSearchKind, params(60), 60);
        drive(writer, whole, -1);
        const int64_t broken = engine::createRun(*writer, kSearchKind, params(60), 60);
        drive(writer, broken, 25);
        writer->flush();
        {
            store::StoreReader reader(db);
            QCOMPARE(QString::fromStdString(reader.requireRun(broken).status),
                     QString("cancelled"));
            QVERIFY(reader.evaluationCount(broken) < 63);
        }
        drive(writer, broken, -1);  // resume
        writer.reset();
        QCOMPARE(hashesBySeq(db, broken), hashesBySeq(db, whole));
        store::StoreReader reader(db);
        QCOMPARE(reader.front(broken).size(), reader.front(whole).size());
    }

    // Events carry typed figures: where the latency came from and what the accuracy value is.
    void resultsCarryTypedFigures() {
        QTemporaryDir dir;
        auto writer = std::make_shared<engine::StoreWriter>(dir.filePath("s.db").toStdString());
        const int64_t run = engine::createRun(*writer, kSearchKind, params(5), 5);
        const Driven d = drive(writer, run, -1);
        QCOMPARE(int(d.results.size()), 8);
        for (const auto& r : d.results) {
            QCOMPARE(r.latency.source, store::LatencySource::Predicted);
            QVERIFY(r.latency.ms > 0);
            QVERIFY(QString::fromStdString(r.latency.method).contains("tpuv3"));
            QVERIFY(r.accuracy);
            QCOMPARE(QString::fromStdString(r.accuracy->metric), QString("synthetic score"));
            QCOMPARE(QString::fromStdString(r.accuracy->estimator), QString("test-capacity"));
        }
    }

    // A stored candidate that the seed no longer proposes (a space file edited in between, or a
    // tampered database) stops the resume with both hashes, instead of mixing two searches.
    void resumeStopsOnAnArchitectureMismatch() {
        QTemporaryDir dir;
        const std::filesystem::path db = dir.filePath("s.db").toStdString();
        auto writer = std::make_shared<engine::StoreWriter>(db);
        const int64_t run = engine::createRun(*writer, kSearchKind, params(40), 40);
        drive(writer, run, 20);
        writer.reset();
        sqlite3* raw = nullptr;
        QCOMPARE(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
        QCOMPARE(sqlite3_exec(raw,
                              "UPDATE evaluations SET architecture_id = (SELECT architecture_id "
                              "FROM evaluations WHERE seq = -2) WHERE seq = 3",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        sqlite3_close(raw);
        writer = std::make_shared<engine::StoreWriter>(db);
        const Driven resumed = drive(writer, run, -1);
        QVERIFY2(resumed.failure.find("candidate 3 replays as architecture") != std::string::npos,
                 resumed.failure.c_str());
        QVERIFY(resumed.results.empty());
    }

    void badParamsAreRefusedBeforeStoring() {
        QTemporaryDir dir;
        auto writer = std::make_shared<engine::StoreWriter>(dir.filePath("s.db").toStdString());
        nlohmann::json p = params(10);
        p["accuracy"] = "no-such-estimator";
        QVERIFY_THROWS_EXCEPTION(ArchError, engine::createRun(*writer, kSearchKind, p, 10));
        p = params(10);
        p["hw"] = "no-such-profile";
        QVERIFY_THROWS_EXCEPTION(ArchError, engine::createRun(*writer, kSearchKind, p, 10));
        writer->flush();
        store::StoreReader reader(dir.filePath("s.db").toStdString());
        QVERIFY(reader.listRuns().empty());
    }
};

QTEST_GUILESS_MAIN(TestSearchRun)
#include "tst_searchrun.moc"
