// CSV and JSON export of a run: header, one row per evaluation, quoting, empty cells for
// unknown values, front membership.
#include <QTemporaryDir>
#include <QTest>
#include <sstream>

#include "arch/error.h"
#include "store/export.h"
#include "zoo/zoo.h"

using namespace archscope;
using namespace archscope::store;

class TestStoreExport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_path;
    int64_t m_run = 0;
    std::vector<Evaluation> m_evals;

private Q_SLOTS:
    void initTestCase() {
        m_path = std::filesystem::path(m_dir.path().toStdString()) / "export.db";
        ResultStore s(m_path);
        m_run = s.createRun("sweep", {{"random", 2}}, {{"host", "h"}}, 2);
        auto spec = *zooSpec("efficientnet-b0");
        spec.name = "b0, \"quoted\"";  // needs CSV quoting
        const int64_t arch = s.internArchitecture(spec);
        Evaluation a;
        a.runId = m_run;
        a.seq = 0;
        a.architectureId = arch;
        a.macs = 388121280;
        a.params = 5288548;
        a.method = "IR cost (exact)";
        a.layers = {LayerCost{0, "stem/conv", "conv", 1, 2, 3, std::nullopt, std::nullopt}};
        Evaluation b = a;
        b.seq = 1;
        b.predictedMs = 0.5;
        b.measured = MeasuredLatency{1.5, 1.25, 2.0, 20, {{"device", "cpu"}}};
        b.accuracy = AccuracyEstimate{71.5, "zero-cost", {{"score", "naswot"}}, "imagenet"};
        b.platform = "tpuv3";
        m_evals = {a, b};
        s.insertEvaluations(m_evals);
        s.setFront(m_run, {m_evals[1].id});
        s.setRunStatus(m_run, kStatusFinished);
    }

    void csvHasHeaderAndOneRowPerEvaluation() {
        StoreReader r(m_path);
        std::ostringstream out;
        exportRunCsv(r, m_run, out);
        std::istringstream in(out.str());
        std::string header, row0, row1, extra;
        std::getline(in, header);
        std::getline(in, row0);
        std::getline(in, row1);
        QVERIFY(!std::getline(in, extra));
        QVERIFY(header.rfind("run_id,evaluation_id,seq,arch_hash,arch_name,", 0) == 0);
        QVERIFY(header.find(",on_front") != std::string::npos);
        const std::string hash =
            m_evals[0].archHash.empty() ? r.evaluations(m_run)[0].archHash : m_evals[0].archHash;
        const std::string id0 = std::to_string(m_evals[0].id);
        QCOMPARE(row0, std::to_string(m_run) + "," + id0 + ",0," + hash +
                           ",\"b0, \"\"quoted\"\"\",,,,1,fp32,388121280,5288548,,,,,,,,,,,"
                           "IR cost (exact),0");
        QVERIFY2(row1.find(",tpuv3,") != std::string::npos, row1.c_str());
        QVERIFY2(row1.find(",0.5,1.5,1.25,2.0,20,71.5,zero-cost estimate,zero-cost,imagenet,") !=
                     std::string::npos,
                 row1.c_str());
        QVERIFY(row1.size() > 2 && row1.substr(row1.size() - 2) == ",1");
    }

    void jsonCarriesRunArchitecturesAndEvaluations() {
        StoreReader r(m_path);
        const auto j = exportRunJson(r, m_run, true);
        QCOMPARE(j["run"]["id"].get<int64_t>(), m_run);
        QCOMPARE(j["run"]["status"].get<std::string>(), std::string("finished"));
        QCOMPARE(j["run"]["evaluations"].get<int>(), 2);
        QCOMPARE(j["architectures"].size(), size_t(1));
        QCOMPARE(j["architectures"][0]["name"].get<std::string>(), std::string("b0, \"quoted\""));
        QVERIFY(j["architectures"][0]["network"].contains("blocks"));
        const auto& e = j["evaluations"];
        QCOMPARE(e.size(), size_t(2));
        QVERIFY(e[0]["measured"].is_null());
        QVERIFY(e[0]["accuracy"].is_null());
        QCOMPARE(e[0]["on_front"].get<bool>(), false);
        QCOMPARE(e[0]["layers"].size(), size_t(1));
        QCOMPARE(e[1]["measured"]["median_ms"].get<double>(), 1.5);
        QCOMPARE(e[1]["measured"]["context"]["device"].get<std::string>(), std::string("cpu"));
        QCOMPARE(e[1]["accuracy"]["estimator"].get<std::string>(), std::string("zero-cost"));
        QCOMPARE(e[1]["on_front"].get<bool>(), true);
        QVERIFY(!exportRunJson(r, m_run, false)["evaluations"][0].contains("layers"));
    }

    void unknownRunIsAnError() {
        StoreReader r(m_path);
        std::ostringstream out;
        QVERIFY_THROWS_EXCEPTION(ArchError, exportRunCsv(r, m_run + 1, out));
        QVERIFY_THROWS_EXCEPTION(ArchError, exportRunJson(r, m_run + 1));
    }
};

QTEST_GUILESS_MAIN(TestStoreExport)
#include "tst_store_export.moc"
