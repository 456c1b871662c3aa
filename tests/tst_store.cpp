// The result store: schema creation and migrations, refusal of newer/garbage/corrupt files,
// batched writes read back equal, WAL readers that never block the writer.
#include <sqlite3.h>

#include <unistd.h>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <fstream>
#include <thread>

#include "arch/error.h"
#include "arch/json.h"
#include "store/run_state.h"
#include "store/schema.h"
#include "store/store.h"
#include "zoo/zoo.h"

using namespace archscope;
using namespace archscope::store;

namespace {

std::string readBytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void rawExec(const std::filesystem::path& p, const char* sql) {
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(p.c_str(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

Evaluation fullEvaluation(int64_t runId, int64_t archId, int64_t seq) {
    Evaluation e;
    e.runId = runId;
    e.seq = seq;
    e.architectureId = archId;
    e.platform = "tpuv3";
    e.profileVersion = "2";
    e.batch = 128;
    e.dtype = "bf16";
    e.macs = 390000000 + seq;
    e.params = 5288548;
    e.predictedMs = 1.25 + seq * 0.001;
    e.measured = MeasuredLatency{2.5, 2.4, 2.75, 30, {{"device", "cpu"}, {"threads", 2}}};
    e.accuracy = AccuracyEstimate{
        76.3, "proxy", {{"epochs", 3}, {"seed", 1}}, "fashion-mnist", "top-1 accuracy (%)"};
    e.costSeconds = 12.5;
    e.method = "test";
    e.layers = {LayerCost{0, "stem/conv", "conv", 10, 20, 30, 0.5, std::nullopt},
                LayerCost{1, "stem/bn", "bn", std::nullopt, 64, 40, std::nullopt, 0.25}};
    return e;
}

}  // namespace

class TestStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::filesystem::path file(const char* name) const {
        return std::filesystem::path(m_dir.path().toStdString()) / name;
    }

private Q_SLOTS:
    void freshFileGetsCurrentSchema() {
        const auto p = file("fresh.db");
        {
            ResultStore s(p);
            QVERIFY(s.listRuns().empty());
        }
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(p.c_str(), &db), SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr);
        QCOMPARE(sqlite3_step(st), SQLITE_ROW);
        QCOMPARE(sqlite3_column_int(st, 0), kSchemaVersion);
        sqlite3_finalize(st);
        sqlite3_close(db);
        QCOMPARE(migrations().back().version, kSchemaVersion);
    }

    void version2StoreMigratesToRunLeases() {
        // A store as schema 2 left it: a run some process was working on when it died.
        const auto p = file("v2lease.db");
        std::string sql;
        for (const auto& m : migrations())
            if (m.version <= 2) sql += m.sql;
        sql +=
            "PRAGMA user_version=2;"
            "INSERT INTO runs(kind, status, started_at) VALUES('sweep', 'running', 'x');";
        rawExec(p, sql.c_str());
        {
            ResultStore s(p);  // migrates to the current version
            const RunRecord r = s.requireRun(1);
            QCOMPARE(r.status, std::string(kStatusInterrupted));  // no owner: interrupted
            QVERIFY(!r.owner);
            s.takeRunLease(1);
            QCOMPARE(s.requireRun(1).status, std::string(kStatusRunning));
            QCOMPARE(s.requireRun(1).owner->pid, int64_t(getpid()));
        }
        StoreReader reader(p);
        QCOMPARE(reader.requireRun(1).kind, std::string("sweep"));
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(p.c_str(), &db), SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, nullptr);
        QCOMPARE(sqlite3_step(st), SQLITE_ROW);
        QCOMPARE(sqlite3_column_int(st, 0), kApplicationId);
        sqlite3_finalize(st);
        sqlite3_close(db);
    }

    void foreignDatabaseIsLeftUnchanged() {
        const auto p = file("foreign.db");
        rawExec(p, "CREATE TABLE notes(text); INSERT INTO notes VALUES('mine');");
        const std::string before = readBytes(p);
        QVERIFY_THROWS_EXCEPTION(ArchError, ResultStore{p});
        QCOMPARE(readBytes(p), before);  // no WAL switch (header bytes 18/19), no tables
        QVERIFY(!std::filesystem::exists(p.string() + "-wal"));
    }

    // A version-2 file kept a search's metric inside accuracy_settings; migration 3 gives it its
    // own column, so readers never dig it out of JSON or method text.
    void version2FileGetsTheAccuracyMetricColumn() {
        const auto p = file("v2.db");
        std::string sql;
        for (const auto& m : migrations())
            if (m.version <= 2) sql += m.sql;
        sql +=
            "PRAGMA user_version=2;"
            "INSERT INTO runs(id, kind, status, started_at) VALUES(1, 'search', 'finished', 'x');"
            "INSERT INTO architectures(id, hash, name, network) VALUES(1, 'h', 'n', '{}');"
            "INSERT INTO evaluations(run_id, seq, architecture_id, predicted_ms, accuracy, "
            "accuracy_estimator, accuracy_settings, created_at) VALUES(1, 0, 1, 1.5, 2.5, "
            "'zero-cost', '{\"metric\":\"NASWOT score\"}', 'x'),"
            "(1, 1, 1, 1.5, 70.0, 'published', 'not json', 'x');";
        rawExec(p, sql.c_str());
        ResultStore s(p);
        const auto back = s.evaluations(1);
        QCOMPARE(back.size(), size_t(2));
        QCOMPARE(back[0].accuracy->metric, std::string("NASWOT score"));
        QCOMPARE(back[0].accuracy->figure().metric, std::string("NASWOT score"));
        QCOMPARE(back[1].accuracy->metric, std::string());
        QCOMPARE(back[1].accuracy->figure().metric, std::string("published estimate"));
    }

    // A version-3 file has no status history; migration 4 adds run_events, its runs read as their
    // status alone, and every status change from then on is logged.
    void version3FileGetsRunEvents() {
        const auto p = file("v3.db");
        std::string sql;
        for (const auto& m : migrations())
            if (m.version <= 3) sql += m.sql;
        sql +=
            "PRAGMA user_version=3;"
            "INSERT INTO runs(id, kind, status, started_at) VALUES(1, 'search', 'cancelled', 'x');";
        rawExec(p, sql.c_str());
        ResultStore s(p);
        QVERIFY(s.statusHistory(1).empty());
        QCOMPARE(describeRunState(s.requireRun(1), s.statusHistory(1)).text,
                 std::string("cancelled"));
        s.setRunStatus(1, kStatusRunning);
        s.setRunStatus(1, kStatusFinished);
        const auto history = s.statusHistory(1);
        QCOMPARE(history.size(), size_t(2));
        QCOMPARE(history.back().status, std::string(kStatusFinished));
    }

    // The one rule: measured wins, else predicted, else none (never a 0 ms latency).
    void judgedLatencyRule() {
        Evaluation e;
        QCOMPARE(e.latency().source, LatencySource::None);
        QVERIFY(!e.latency().value());
        e.predictedMs = 3.0;
        e.platform = "tpuv3";
        e.profileVersion = "1";
        e.runtime = "xla v1";
        QCOMPARE(e.latency().source, LatencySource::Predicted);
        QCOMPARE(*e.latency().value(), 3.0);
        QCOMPARE(e.latency().method, std::string("predicted: tpuv3 profile v1, xla v1 runtime"));
        e.measured = MeasuredLatency{5.0, 4.0, 6.0, 10, {{"device", "cpu"}}};
        QCOMPARE(e.latency().source, LatencySource::Measured);
        QCOMPARE(e.latency().ms, 5.0);
        QCOMPARE(e.latency().method, std::string("measured on cpu (median of 10)"));
        QCOMPARE(std::string(latencySourceName(e.latency().source)), std::string("measured"));
    }

    void reopenKeepsData() {
        const auto p = file("reopen.db");
        int64_t run = 0;
        {
            ResultStore s(p);
            run = s.createRun("sweep", {{"x", 1}}, {{"host", "h"}}, 7);
        }
        ResultStore s(p);
        const auto r = s.requireRun(run);
        QCOMPARE(r.kind, std::string("sweep"));
        QCOMPARE(r.params["x"].get<int>(), 1);
        QCOMPARE(r.machine["host"].get<std::string>(), std::string("h"));
        QCOMPARE(r.planned.value_or(0), int64_t(7));
        QCOMPARE(r.status, std::string(kStatusRunning));
    }

    void walForeignKeysAndBusyTimeout() {
        ResultStore s(file("wal.db"));
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(file("wal.db").c_str(), &db), SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
        QCOMPARE(sqlite3_step(st), SQLITE_ROW);
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))),
                 QByteArray("wal"));
        sqlite3_finalize(st);
        sqlite3_close(db);
        // foreign_keys is on for the writer: an evaluation of a missing run is refused.
        Evaluation e;
        e.runId = 999;
        e.architectureId = 999;
        QVERIFY_THROWS_EXCEPTION(ArchError, s.insertEvaluation(e));
    }

    void newerSchemaIsRefusedWithTheNeededVersion() {
        const auto p = file("newer.db");
        { ResultStore s(p); }
        rawExec(p, "PRAGMA user_version=99");
        const std::string before = readBytes(p);
        for (int readerMode = 0; readerMode < 2; ++readerMode) {
            try {
                if (readerMode)
                    StoreReader r(p);
                else
                    ResultStore s(p);
                QFAIL("a newer schema was accepted");
            } catch (const ArchError& e) {
                const std::string msg = e.what();
                QVERIFY2(msg.find("schema version 99") != std::string::npos, e.what());
                QVERIFY2(msg.find("up to version " + std::to_string(kSchemaVersion)) !=
                             std::string::npos,
                         e.what());
            }
        }
        QCOMPARE(readBytes(p), before);
    }

    // A reader polling a store that another process is creating sees version 0 for a moment
    // (tst_cli_runlease's `runs` polls did): the message says so, not "migrate it".
    void readerOfAStoreWithoutSchemaSaysItMayBeBeingCreated() {
        const auto p = file("empty-schema.db");
        rawExec(p, "CREATE TABLE t(x)");
        try {
            StoreReader r(p);
            QFAIL("a store without the schema was read");
        } catch (const ArchError& e) {
            QVERIFY2(
                std::string(e.what()).find("another process is creating it") != std::string::npos,
                e.what());
        }
    }

    void garbageFileIsReportedAndLeftUnchanged() {
        const auto p = file("garbage.db");
        {
            std::ofstream out(p, std::ios::binary);
            for (int i = 0; i < 5000; ++i) out << char(i * 7 + 3);
        }
        const std::string before = readBytes(p);
        try {
            ResultStore s(p);
            QFAIL("a garbage file was opened");
        } catch (const ArchError& e) {
            QVERIFY2(std::string(e.what()).find("not a SQLite database") != std::string::npos,
                     e.what());
        }
        QVERIFY_THROWS_EXCEPTION(ArchError, StoreReader{p});
        QCOMPARE(readBytes(p), before);
        QVERIFY(!std::filesystem::exists(p.string() + "-wal"));
    }

    void corruptDatabaseIsReportedAndLeftUnchanged() {
        const auto p = file("corrupt.db");
        {
            ResultStore s(p);
            const int64_t run = s.createRun("sweep", {}, {});
            const int64_t arch = s.internArchitecture(*zooSpec("efficientnet-b0"));
            std::vector<Evaluation> evals;
            for (int i = 0; i < 500; ++i) evals.push_back(fullEvaluation(run, arch, i));
            s.insertEvaluations(evals);
        }
        rawExec(p, "PRAGMA wal_checkpoint(TRUNCATE)");
        {  // scribble over pages 3..5 (b-tree pages of the tables), keeping the header valid
            std::fstream f(p, std::ios::binary | std::ios::in | std::ios::out);
            f.seekp(2 * 4096 + 100);
            for (int i = 0; i < 3 * 4096; ++i) f.put(char(0xA5 ^ i));
        }
        const std::string before = readBytes(p);
        try {
            ResultStore s(p);
            QFAIL("a corrupt file was opened");
        } catch (const ArchError& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find("corrupt") != std::string::npos ||
                         msg.find("malformed") != std::string::npos,
                     e.what());
            QVERIFY2(msg.find("left unchanged") != std::string::npos, e.what());
        }
        QCOMPARE(readBytes(p), before);
        // What `runs` and `export` do first: a corrupt page is an error, not a short list.
        try {
            StoreReader r(p);
            r.requireIntact();
            QFAIL("a corrupt file read as intact");
        } catch (const ArchError& e) {
            QVERIFY2(std::string(e.what()).find("corrupt") != std::string::npos ||
                         std::string(e.what()).find("malformed") != std::string::npos,
                     e.what());
        }
        QCOMPARE(readBytes(p), before);
    }

    void readerNeedsACreatedDatabase() {
        QVERIFY_THROWS_EXCEPTION(ArchError, StoreReader{file("missing.db")});
    }

    void batchedInsertReadsBackEqual() {
        ResultStore s(file("roundtrip.db"));
        const int64_t run = s.createRun("test", {}, {});
        const int64_t archA = s.internArchitecture(*zooSpec("efficientnet-b0"));
        const int64_t archB = s.internArchitecture(*zooSpec("efficientnet-b1"));
        std::vector<Evaluation> evals;
        for (int i = 0; i < 1000; ++i) {
            Evaluation e = fullEvaluation(run, i % 2 ? archB : archA, i);
            if (i % 3 == 0) {  // sparse rows: what a sweep or an import leaves empty
                e.measured.reset();
                e.accuracy.reset();
                e.platform.reset();
                e.predictedMs.reset();
                e.layers.clear();
            }
            evals.push_back(std::move(e));
        }
        s.insertEvaluations(evals);
        QVERIFY(evals.front().id > 0);
        const auto back = s.evaluations(run);
        QCOMPARE(back.size(), evals.size());
        for (size_t i = 0; i < back.size(); ++i) {
            QVERIFY2(back[i].sameContent(evals[i]), std::to_string(i).c_str());
            QCOMPARE(back[i].id, evals[i].id);
            QCOMPARE(back[i].layers.size(), size_t(0));  // layers are read on demand
            QCOMPARE(s.layerCosts(back[i].id), evals[i].layers);
        }
        QCOMPARE(back[1].archHash, networkHashOf("efficientnet-b1"));
        QCOMPARE(s.evaluationCount(run), int64_t(1000));
        QCOMPARE(s.finishedSeqs(run).size(), size_t(1000));
    }

    void sameNetworkIsStoredOnce() {
        ResultStore s(file("dedup.db"));
        auto spec = *zooSpec("efficientnet-b0");
        const int64_t a = s.internArchitecture(spec);
        spec.name = "renamed";  // the name is not part of the architecture
        QCOMPARE(s.internArchitecture(spec), a);
        spec.scaling.width = 1.1;
        QVERIFY(s.internArchitecture(spec) != a);
        const NetworkSpec back = s.architectureSpec(a);
        QCOMPARE(back, *zooSpec("efficientnet-b0"));
    }

    void duplicateSeqInARunIsRefused() {
        ResultStore s(file("dup.db"));
        const int64_t run = s.createRun("test", {}, {});
        const int64_t arch = s.internArchitecture(*zooSpec("efficientnet-b0"));
        Evaluation e = fullEvaluation(run, arch, 5);
        s.insertEvaluation(e);
        Evaluation again = fullEvaluation(run, arch, 5);
        QVERIFY_THROWS_EXCEPTION(ArchError, s.insertEvaluation(again));
        QCOMPARE(s.evaluationCount(run), int64_t(1));
    }

    void plotRowsAndFront() {
        ResultStore s(file("plot.db"));
        const int64_t run = s.createRun("test", {}, {});
        const int64_t arch = s.internArchitecture(*zooSpec("efficientnet-b0"));
        std::vector<Evaluation> evals;
        for (int i = 0; i < 10; ++i) evals.push_back(fullEvaluation(run, arch, i));
        evals[4].measured.reset();
        s.insertEvaluations(evals);
        s.setFront(run, {evals[2].id, evals[7].id});
        QCOMPARE(s.front(run), (std::vector<int64_t>{evals[2].id, evals[7].id}));
        const auto rows = s.plotRows(run);
        QCOMPARE(rows.size(), size_t(10));
        for (size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(rows[i].evaluationId, evals[i].id);
            QCOMPARE(rows[i].onFront, i == 2 || i == 7);
            QCOMPARE(rows[i].macs, evals[i].macs);
            QCOMPARE(rows[i].predictedMs, evals[i].predictedMs);
            QCOMPARE(rows[i].accuracy.value_or(0), 76.3);
            QCOMPARE(rows[i].measuredMs.has_value(), i != 4);
        }
        s.setFront(run, {evals[3].id});  // replaces the membership
        QCOMPARE(s.front(run), (std::vector<int64_t>{evals[3].id}));
    }

    void runStatusLifecycle() {
        ResultStore s(file("status.db"));
        const int64_t run = s.createRun("test", {}, {});
        QVERIFY(!s.requireRun(run).endedAt);
        s.setRunStatus(run, kStatusFailed, "boom");
        const auto r = s.requireRun(run);
        QCOMPARE(r.status, std::string(kStatusFailed));
        QCOMPARE(r.message, std::string("boom"));
        QVERIFY(r.endedAt);
        QVERIFY_THROWS_EXCEPTION(ArchError, s.requireRun(run + 100));
    }

    void statusHistoryTellsAResumedRun() {
        ResultStore s(file("history.db"));
        const int64_t run = s.createRun("test", {}, {});
        s.setRunStatus(run, kStatusRunning);
        s.setRunStatus(run, kStatusPaused);
        s.setRunStatus(run, kStatusRunning);
        QCOMPARE(describeRunState(s.requireRun(run), s.statusHistory(run)).text,
                 std::string("running"));  // a pause is not a resume
        s.setRunStatus(run, kStatusCancelled);
        s.setRunStatus(run, kStatusRunning);  // resume after cancel
        // The cancel ended the lease and nobody took it again: the owner is gone, so the run reads
        // as interrupted and its story says so.
        QCOMPARE(describeRunState(s.requireRun(run), s.statusHistory(run)).text,
                 std::string("cancelled → resumed → interrupted"));
        s.setRunStatus(run, kStatusRunning);  // that process died; resumed again
        s.setRunStatus(run, kStatusFinished);
        const auto history = s.statusHistory(run);
        QCOMPARE(history.size(), size_t(8));
        QCOMPARE(history.front().status, std::string(kStatusCreated));
        const RunState state = describeRunState(s.requireRun(run), history);
        QCOMPARE(state.resumes, 2);
        QCOMPARE(state.text, std::string("cancelled → resumed → interrupted → resumed → finished"));
        s.setRunStatus(run + 100, kStatusFailed);  // no such run: nothing logged, no throw
        QVERIFY(s.statusHistory(run + 100).empty());
        // A run stored before the history existed reads as its status alone.
        QCOMPARE(describeRunState(s.requireRun(run), {}).text, std::string("finished"));
    }

    void bestOfRunPrefersTheFrontAndAccuracy() {
        QVERIFY(!bestOfRun({}));
        std::vector<PlotRow> rows = {{1, "a", 2.0, std::nullopt, 70.0, {}, false},
                                     {2, "b", 1.0, 3.0, 75.0, {}, true},
                                     {3, "c", 0.5, std::nullopt, 75.0, {}, true},
                                     {4, "d", 9.0, std::nullopt, 90.0, {}, false}};
        // Row 4 is off the stored front (a reference): not a candidate. Of the two front rows
        // with 75, the faster wins; row 2's latency is its measured 3.0, not the predicted 1.0.
        auto best = bestOfRun(rows);
        QCOMPARE(best->evaluationId, int64_t(3));
        QCOMPARE(best->latencyMs.value_or(0), 0.5);
        for (auto& r : rows) r.onFront = false, r.accuracy.reset();
        best = bestOfRun(rows);  // no front, no accuracy: the fastest
        QCOMPARE(best->evaluationId, int64_t(3));
        QVERIFY(!best->accuracy);
    }

    void evaluationsAfterAnIdAreTheNewOnes() {
        ResultStore s(file("after.db"));
        const int64_t run = s.createRun("test", {}, {});
        const int64_t arch = s.internArchitecture(*zooSpec("efficientnet-b0"));
        std::vector<Evaluation> evals;
        for (int i = 0; i < 5; ++i) evals.push_back(fullEvaluation(run, arch, i));
        s.insertEvaluations(evals);
        const auto after = s.evaluationsAfter(run, evals[2].id);
        QCOMPARE(after.size(), size_t(2));
        QCOMPARE(after[0].id, evals[3].id);
        QVERIFY(s.evaluationsAfter(run, evals[4].id).empty());
    }

    void readerIsNotBlockedByAnOpenWriteTransaction() {
        const auto p = file("concurrent.db");
        ResultStore s(p);
        const int64_t run = s.createRun("test", {}, {});
        const int64_t arch = s.internArchitecture(*zooSpec("efficientnet-b0"));
        StoreReader reader(p);
        {
            auto tx = s.transaction();
            std::vector<Evaluation> evals;
            for (int i = 0; i < 100; ++i) evals.push_back(fullEvaluation(run, arch, i));
            s.insertEvaluations(evals);
            // The write lock is held and nothing is committed: the reader answers at once with
            // the last committed state.
            QCOMPARE(reader.evaluationCount(run), int64_t(0));
            tx.commit();
        }
        QCOMPARE(reader.evaluationCount(run), int64_t(100));
    }

    void concurrentReaderWhileWriting() {
        const auto p = file("threads.db");
        int64_t run = 0;
        {
            ResultStore s(p);
            run = s.createRun("test", {}, {});
        }
        std::atomic<bool> writing{true};
        std::thread writer([&] {
            ResultStore s(p);  // the writer connection lives on its own thread
            const int64_t arch = s.internArchitecture(*zooSpec("efficientnet-b0"));
            for (int batch = 0; batch < 50; ++batch) {
                std::vector<Evaluation> evals;
                for (int i = 0; i < 200; ++i)
                    evals.push_back(fullEvaluation(run, arch, batch * 200 + i));
                s.insertEvaluations(evals);
            }
            writing = false;
        });
        StoreReader reader(p);
        int64_t last = 0;
        int reads = 0;
        while (writing) {
            const int64_t n = reader.evaluationCount(run);
            QVERIFY(n >= last);
            QCOMPARE(n % 200, int64_t(0));  // whole batches only: each is one transaction
            last = n;
            ++reads;
        }
        writer.join();
        QCOMPARE(reader.evaluationCount(run), int64_t(10000));
        QVERIFY(reads > 0);
    }

private:
    static std::string networkHashOf(const char* model) { return networkHash(*zooSpec(model)); }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
