// The windowed search dispatch: proposals depend on the seed, the window and the results, never
// on the order results arrive in; a candidate that throws is stored as failed and the run goes
// on; a run that lost in-flight work (gaps in its seqs) resumes without loss or duplicates.
#include <QTemporaryDir>
#include <QtTest>
#include <random>

#include "arch/error.h"
#include "arch/expand.h"
#include "engine/jobcontroller.h"
#include "engine/runkinds.h"
#include "search/candidate_evaluator.h"
#include "search/evaluators.h"
#include "search/searchrun.h"
#include "store/store.h"
#include "zoo/zoo.h"

using namespace archscope;

namespace {

int64_t macsOf(const NetworkSpec& spec) {
    return totalCost(expandLayers(buildNetwork(spec))).macs;
}

// Deterministic stand-ins (the LibTorch estimators are tested in tst_torch_*). "test-picky"
// throws, as an estimator running out of memory would, for networks whose MACs divide by 3.
void registerTestEstimators() {
    auto capacity = [](const NetworkSpec& spec) {
        return AccuracyResult{100.0 - 1000.0 / std::log(double(macsOf(spec))),
                              "test",
                              "synthetic score",
                              "",
                              {},
                              0.0,
                              std::nullopt,
                              false};
    };
    registerAccuracyEstimator({"test-capacity", "log-capacity stand-in",
                               [capacity](const nlohmann::json&) -> EstimateFn {
                                   return [capacity](const NetworkSpec& spec, std::stop_token) {
                                       return capacity(spec);
                                   };
                               },
                               [](const nlohmann::json& s) { return s; }});
    registerAccuracyEstimator({"test-picky", "fails for some networks",
                               [capacity](const nlohmann::json&) -> EstimateFn {
                                   return [capacity](const NetworkSpec& spec, std::stop_token) {
                                       if (macsOf(spec) % 3 == 0)
                                           throw std::runtime_error("out of memory (test)");
                                       return capacity(spec);
                                   };
                               },
                               [](const nlohmann::json& s) { return s; }});
}

// An estimator that cannot even be built, as the proxy estimator without its dataset.
void registerUnusableEstimator() {
    registerAccuracyEstimator({"test-no-dataset", "cannot be built",
                               [](const nlohmann::json&) -> EstimateFn {
                                   throw ArchError("the test dataset is missing");
                               },
                               [](const nlohmann::json& s) { return s; }});
}

nlohmann::json params(int budget, int window, const std::string& accuracy = "test-capacity") {
    SearchRunParams p;
    p.search = SearchParams::fromJson({{"budget", budget},
                                       {"seed", 5},
                                       {"population", 8},
                                       {"tournament", 3},
                                       {"window", window}});
    p.hw = "tpuv3";
    p.accuracy = accuracy;
    return p.toJson();
}

/// Evaluates up to `slots` tasks "at once" and hands back a random one of them each time, as
/// MPI workers of different speeds would; after `loseAfter` outcomes it throws (a lost worker).
class ShuffledBackend : public EvaluationBackend {
public:
    ShuffledBackend(const SearchRunParams& p, int slots, unsigned seed, int loseAfter)
        : m_evaluator(p), m_slots(slots), m_rng(seed), m_loseAfter(loseAfter) {}

    int freeSlots() const override { return m_slots - int(m_tasks.size()); }
    void submit(EvaluationTask task) override { m_tasks.push_back(std::move(task)); }
    std::vector<EvaluationOutcome> collect(std::stop_token stop) override {
        if (m_loseAfter-- == 0) throw ArchError("MPI rank 2 was lost (test)");
        const size_t i = std::uniform_int_distribution<size_t>(0, m_tasks.size() - 1)(m_rng);
        auto outcome = m_evaluator.evaluate(m_tasks[i], stop);
        m_tasks.erase(m_tasks.begin() + long(i));
        return {std::move(*outcome)};
    }

private:
    SearchEvaluator m_evaluator;
    int m_slots;
    std::mt19937 m_rng;
    int m_loseAfter;
    std::vector<EvaluationTask> m_tasks;
};

void useShuffledBackend(int slots, unsigned seed, int loseAfter = -1) {
    registerSearchRunKind([=](const SearchRunParams& p, int64_t) {
        return std::make_unique<ShuffledBackend>(p, slots, seed, loseAfter);
    });
}

/// Runs (or resumes) a run to its end; returns the message of a Failed event, if any.
std::string drive(const std::shared_ptr<engine::StoreWriter>& writer, int64_t runId) {
    std::string failure;
    auto controller = engine::controllerForRun(
        writer, runId,
        [&](const engine::JobEvent& e) {
            if (const auto* f = std::get_if<engine::Failed>(&e)) failure = f->message;
        },
        1);
    controller->start();
    controller->wait();
    return failure;
}

/// "seq:hash:accuracy" per evaluation in seq order: what a run stored, comparably.
QStringList stored(const std::filesystem::path& db, int64_t runId) {
    store::StoreReader reader(db);
    auto evaluations = reader.evaluations(runId);
    std::sort(evaluations.begin(), evaluations.end(),
              [](const auto& a, const auto& b) { return *a.seq < *b.seq; });
    QStringList out;
    for (const auto& e : evaluations) {
        out << QString("%1:%2:%3")
                   .arg(*e.seq)
                   .arg(QString::fromStdString(e.archHash))
                   .arg(e.accuracy ? QString::number(e.accuracy->value, 'g', 17) : "failed");
    }
    return out;
}

std::vector<int64_t> frontSeqs(const std::filesystem::path& db, int64_t runId) {
    store::StoreReader reader(db);
    std::map<int64_t, int64_t> seqOfId;
    for (const auto& e : reader.evaluations(runId)) seqOfId[e.id] = *e.seq;
    std::vector<int64_t> seqs;
    for (int64_t id : reader.front(runId)) seqs.push_back(seqOfId.at(id));
    std::sort(seqs.begin(), seqs.end());
    return seqs;
}

}  // namespace

class TestSearchWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        registerTestEstimators();
        registerUnusableEstimator();
    }
    void cleanup() { registerSearchRunKind(); }  // back to local evaluation

    void arrivalOrderDoesNotChangeProposals() {
        QTemporaryDir dir;
        const std::filesystem::path db = dir.filePath("w.db").toStdString();
        auto writer = std::make_shared<engine::StoreWriter>(db);
        registerSearchRunKind();
        const int64_t serial = engine::createRun(*writer, kSearchKind, params(40, 6), 40);
        QCOMPARE(QString::fromStdString(drive(writer, serial)), QString());
        useShuffledBackend(6, 1);
        const int64_t shuffledA = engine::createRun(*writer, kSearchKind, params(40, 6), 40);
        QCOMPARE(QString::fromStdString(drive(writer, shuffledA)), QString());
        useShuffledBackend(3, 2);  // fewer evaluators than the window, another arrival order
        const int64_t shuffledB = engine::createRun(*writer, kSearchKind, params(40, 6), 40);
        QCOMPARE(QString::fromStdString(drive(writer, shuffledB)), QString());
        registerSearchRunKind();
        const int64_t oneByOne = engine::createRun(*writer, kSearchKind, params(40, 1), 40);
        QCOMPARE(QString::fromStdString(drive(writer, oneByOne)), QString());
        writer.reset();

        const QStringList expected = stored(db, serial);
        QCOMPARE(expected.size(), 43);  // 40 candidates, the base and 2 references
        QCOMPARE(stored(db, shuffledA), expected);
        QCOMPARE(stored(db, shuffledB), expected);
        // The window is part of the run: evolution sees results later with a wider one.
        QVERIFY(stored(db, oneByOne) != expected);
        QCOMPARE(frontSeqs(db, shuffledA), frontSeqs(db, serial));
    }

    void failingCandidateIsStoredAndTheRunGoesOn() {
        QTemporaryDir dir;
        const std::filesystem::path db = dir.filePath("f.db").toStdString();
        auto writer = std::make_shared<engine::StoreWriter>(db);
        const int64_t run =
            engine::createRun(*writer, kSearchKind, params(40, 1, "test-picky"), 40);
        QCOMPARE(QString::fromStdString(drive(writer, run)), QString());
        writer.reset();
        store::StoreReader reader(db);
        QCOMPARE(QString::fromStdString(reader.requireRun(run).status), QString("finished"));
        const auto evaluations = reader.evaluations(run);
        QCOMPARE(int(evaluations.size()), 43);
        int failed = 0;
        for (const auto& e : evaluations) {
            const bool shouldFail = *e.macs % 3 == 0;
            QCOMPARE(e.error.has_value(), shouldFail);
            QCOMPARE(e.accuracy.has_value(), !shouldFail);
            QVERIFY(e.predictedMs);  // what was computed before the failure is kept
            if (e.error) QVERIFY(e.error->find("out of memory (test)") != std::string::npos);
            failed += shouldFail;
        }
        QVERIFY2(failed > 0 && failed < 40, "the test needs failures and successes");
        for (int64_t id : reader.front(run)) {
            for (const auto& e : evaluations) QVERIFY(e.id != id || !e.error);
        }
    }

    void unusableEstimatorFailsTheRunNotEachCandidate() {
        QTemporaryDir dir;
        const std::filesystem::path db = dir.filePath("u.db").toStdString();
        auto writer = std::make_shared<engine::StoreWriter>(db);
        const int64_t run =
            engine::createRun(*writer, kSearchKind, params(10, 1, "test-no-dataset"), 10);
        QVERIFY(QString::fromStdString(drive(writer, run)).contains("dataset is missing"));
        writer.reset();
        store::StoreReader reader(db);
        QCOMPARE(reader.evaluationCount(run), int64_t(0));
        QCOMPARE(QString::fromStdString(reader.requireRun(run).status), QString("failed"));
    }

    void lostWorkResumesWithoutLossOrDuplicates_data() {
        QTest::addColumn<bool>("resumeShuffled");
        QTest::newRow("resume one by one") << false;
        QTest::newRow("resume shuffled") << true;
    }

    void lostWorkResumesWithoutLossOrDuplicates() {
        QFETCH(bool, resumeShuffled);
        QTemporaryDir dir;
        const std::filesystem::path db = dir.filePath("g.db").toStdString();
        auto writer = std::make_shared<engine::StoreWriter>(db);
        const int64_t whole = engine::createRun(*writer, kSearchKind, params(40, 6), 40);
        QCOMPARE(QString::fromStdString(drive(writer, whole)), QString());
        useShuffledBackend(6, 3, 20);
        const int64_t broken = engine::createRun(*writer, kSearchKind, params(40, 6), 40);
        QVERIFY(QString::fromStdString(drive(writer, broken)).contains("rank 2 was lost"));
        writer->flush();
        {
            store::StoreReader reader(db);
            QCOMPARE(QString::fromStdString(reader.requireRun(broken).status), QString("failed"));
            const auto seqs = reader.finishedSeqs(broken);
            QCOMPARE(int(seqs.size()), 20);
            // 3 references and 17 candidates: contiguous candidates would end at seq 16.
            QVERIFY2(seqs.back() > 16, "the lost work should leave gaps in the seqs");
        }
        if (resumeShuffled) {
            useShuffledBackend(4, 4);
        } else {
            registerSearchRunKind();
        }
        QCOMPARE(QString::fromStdString(drive(writer, broken)), QString());
        writer.reset();
        QCOMPARE(stored(db, broken), stored(db, whole));
    }

    void windowIsValidated() {
        QVERIFY_THROWS_EXCEPTION(ArchError, SearchParams::fromJson({{"window", 0}}));
        QVERIFY_THROWS_EXCEPTION(ArchError,
                                 SearchParams::fromJson({{"window", kMaxSearchWindow + 1}}));
        QCOMPARE(SearchParams::fromJson(nlohmann::json::object()).window, 1);  // older runs
    }

    void outcomesCrossRanksLosslessly() {
        SearchEvaluator evaluator(SearchRunParams::fromJson(params(1, 1)));
        EvaluationTask task{7, 3, resolveModel("efficientnet-b0")};
        const auto outcome = evaluator.evaluate(task, {});
        QVERIFY(outcome);
        const auto back = evaluationOutcomeFromJson(
            nlohmann::json::parse(evaluationOutcomeToJson(*outcome).dump()));
        QVERIFY(back.evaluation.sameContent(outcome->evaluation));
        QCOMPARE(back.evaluation.layers, outcome->evaluation.layers);
        QCOMPARE(back.metrics.accuracy, outcome->metrics.accuracy);
        QCOMPARE(back.metrics.latencyMs, outcome->metrics.latencyMs);
        const auto t = evaluationTaskFromJson(evaluationTaskToJson(task));
        QCOMPARE(t.seq, int64_t(3));
        QCOMPARE(t.runId, int64_t(7));
        QVERIFY_THROWS_EXCEPTION(ArchError, evaluationOutcomeFromJson({{"evaluation", 1}}));
    }
};

QTEST_GUILESS_MAIN(TestSearchWindow)
#include "tst_searchwindow.moc"
