// Validation tables: every shipped table loads, a broken table is rejected naming the file and
// the field, and the statistics come out as computed by hand on a tiny table.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "arch/expand.h"
#include "hw/validation.h"
#include "util/resources.h"
#include "zoo/zoo.h"

using namespace archscope;
using nlohmann::json;

namespace {

json tinyTable() {
    return json::parse(R"({
        "format": "archscope-validation", "format_version": 1,
        "name": "tiny", "title": "hand-made",
        "source": {"shared_file": "none", "citation": "this test"},
        "platform": "v100", "runtime": "tensorrt", "software": "none", "dtype": "fp16",
        "role": "holdout", "conversion": "none",
        "rows": [
            {"model": "efficientnet-b0", "batch": 1, "resolution": 224, "latency_ms": 2.0,
             "source_row": "a"},
            {"model": "efficientnet-b0", "batch": 2, "resolution": 224, "latency_ms": 3.0,
             "source_row": "b"},
            {"model": "efficientnet-b0", "batch": 1, "resolution": 256, "latency_ms": 2.5,
             "source_row": "c"}
        ]})");
}

std::string errorOf(const json& j) {
    try {
        validationTableFromJson(j, "broken.json");
    } catch (const ArchError& e) {
        return e.what();
    }
    return "";
}

ValidationPoint point(double measured, double predicted, int64_t macs, int64_t activations) {
    return {"efficientnet-b0", 1, 224, measured, predicted, macs, activations};
}

}  // namespace

class TestHwValidation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shippedTablesLoad_data() {
        QTest::addColumn<QString>("name");
        const auto names = listValidationTables();
        QVERIFY2(names.size() >= 6, "fewer than 6 shipped validation tables");
        for (const auto& n : names) QTest::newRow(n.c_str()) << QString::fromStdString(n);
    }
    void shippedTablesLoad() {
        QFETCH(QString, name);
        const ValidationTable t = loadValidationTable(name.toStdString());
        QCOMPARE(QString::fromStdString(t.name), name);
        QVERIFY(t.rows.size() >= 4);
        QVERIFY(!t.citation.empty() && !t.sharedFile.empty() && !t.software.empty());
        QVERIFY(t.role == "holdout" || t.role == "fit");
        for (const auto& row : t.rows) {
            QVERIFY(zooSpec(row.model).has_value());
            QVERIFY(row.latencyMs > 0.0);
            QVERIFY(!row.sourceRow.empty());
        }
    }

    void allTablesLoadTogether() {
        const auto tables = loadValidationTables();
        QCOMPARE(tables.size(), listValidationTables().size());
    }

    void unknownTableNamesTheKnownOnes() {
        try {
            loadValidationTable("no-such-table");
            QFAIL("no error");
        } catch (const ArchError& e) {
            QVERIFY2(std::string(e.what()).find("dle-tf2-a100-fp16") != std::string::npos,
                     e.what());
        }
    }

    void brokenTableRejected_data() {
        QTest::addColumn<QString>("pointer");  // JSON pointer to change
        QTest::addColumn<QString>("value");    // JSON text to put there; empty = remove
        QTest::addColumn<QString>("field");    // the dotted field the error must name
        QTest::newRow("format") << "/format"
                                << "\"archscope-profile\""
                                << "format";
        QTest::newRow("version") << "/format_version"
                                 << "2"
                                 << "format_version";
        QTest::newRow("no citation") << "/source/citation"
                                     << ""
                                     << "source.citation";
        QTest::newRow("runtime") << "/runtime"
                                 << "\"onnxruntime\""
                                 << "runtime";
        QTest::newRow("dtype") << "/dtype"
                               << "\"int8\""
                               << "dtype";
        QTest::newRow("role") << "/role"
                              << "\"train\""
                              << "role";
        QTest::newRow("no rows") << "/rows"
                                 << "[]"
                                 << "rows";
        QTest::newRow("model") << "/rows/1/model"
                               << "\"efficientnet-b9\""
                               << "rows[1].model";
        QTest::newRow("batch 0") << "/rows/0/batch"
                                 << "0"
                                 << "rows[0].batch";
        QTest::newRow("batch float") << "/rows/0/batch"
                                     << "1.5"
                                     << "rows[0].batch";
        QTest::newRow("latency") << "/rows/2/latency_ms"
                                 << "-1"
                                 << "rows[2].latency_ms";
        QTest::newRow("no latency") << "/rows/2/latency_ms"
                                    << ""
                                    << "rows[2].latency_ms";
        QTest::newRow("resolution") << "/rows/0/resolution"
                                    << "\"224\""
                                    << "rows[0].resolution";
    }
    void brokenTableRejected() {
        QFETCH(QString, pointer);
        QFETCH(QString, value);
        QFETCH(QString, field);
        json j = tinyTable();
        QCOMPARE(errorOf(j), std::string());
        const json::json_pointer ptr(pointer.toStdString());
        if (value.isEmpty()) {
            j[ptr.parent_pointer()].erase(ptr.back());
        } else {
            j[ptr] = json::parse(value.toStdString());
        }
        const std::string error = errorOf(j);
        QVERIFY2(error.find("broken.json") != std::string::npos, error.c_str());
        const std::string quoted = QStringLiteral("\"%1\"").arg(field).toStdString();
        QVERIFY2(error.find(quoted) != std::string::npos, error.c_str());
    }

    void dtypeMessageIsTheParsers() {
        json j = tinyTable();
        j["dtype"] = "int8";
        const std::string error = errorOf(j);
        QVERIFY2(error.find("field \"dtype\": " + unknownDtypeMessage("int8", "dtype")) !=
                     std::string::npos,
                 error.c_str());
        j["dtype"] = "half";  // PyTorch's name, stored under the canonical one
        QCOMPARE(validationTableFromJson(j, "half.json").dtype, std::string("fp16"));
    }

    void statisticsByHand() {
        // measured 1 2 3 4; predicted swaps the middle pair: 5 concordant, 1 discordant of 6.
        // MACs run backwards (tau -1); activations tie in two pairs: tau-b = 4 / sqrt(4 x 6).
        const ValidationResult r = summarizeValidation(
            {point(1, 1, 40, 10), point(2, 3, 30, 10), point(3, 2, 20, 20), point(4, 4, 10, 20)});
        QCOMPARE(r.count, 4);
        QVERIFY(qAbs(r.tauModel - 4.0 / 6.0) < 1e-12);
        QVERIFY(qAbs(r.tauMacs + 1.0) < 1e-12);
        QVERIFY(qAbs(r.tauActivations - 4.0 / std::sqrt(24.0)) < 1e-12);
        // |pred / meas - 1|: 0, 50, 33.3, 0 percent -> median (0 + 33.3) / 2.
        QVERIFY(qAbs(r.medianAbsErrorPercent - 100.0 / 6.0) < 1e-9);
    }

    void validateTableCostsEachRow() {
        const ValidationTable t = validationTableFromJson(tinyTable(), "tiny.json");
        std::vector<int> resolutions;
        std::vector<std::string> tableNames;
        const ValidationResult r = validateTable(
            t, [&](const NetworkSpec& spec, int batch, const ValidationTable& table) -> double {
                resolutions.push_back(spec.scaling.resolution);
                tableNames.push_back(table.name);
                return 2.0 * batch;  // ms
            });
        QCOMPARE(tableNames, (std::vector<std::string>(3, "tiny")));
        QCOMPARE(resolutions, (std::vector<int>{224, 224, 256}));
        QCOMPARE(r.count, 3);
        QCOMPARE(r.points[1].predictedMs, 4.0);
        QCOMPARE(r.points[1].measuredMs, 3.0);
        // Costs are for the whole batch, at the row's resolution.
        QCOMPARE(r.points[1].macs, 2 * r.points[0].macs);
        QCOMPARE(r.points[1].activationElements, 2 * r.points[0].activationElements);
        QVERIFY(r.points[2].macs > r.points[0].macs);
        int64_t activations = 0, macs = 0;
        for (const auto& l : expandLayers(buildNetwork(*zooSpec("efficientnet-b0")), 1)) {
            activations += l.inputElements + l.outputElements;
            macs += l.macs;
        }
        QCOMPARE(r.points[0].activationElements, activations);
        QCOMPARE(r.points[0].macs, macs);
        QVERIFY(macs > 380000000);
        // Predicted 2, 4, 2 against measured 2, 3, 2.5: pairs (a,b) concordant, (a,c) tied in
        // prediction, (b,c) concordant: tau-b = 2 / sqrt(2 x 3).
        QVERIFY(qAbs(r.tauModel - 2.0 / std::sqrt(6.0)) < 1e-12);
    }

    void validateOnPlatformAndTheProxyMark() {
        ValidationResult r;
        r.tauModel = 0.8, r.tauMacs = 0.7, r.tauActivations = 0.6;
        QVERIFY(!modelRanksBelowProxy(r));
        r.tauActivations = 0.85;
        QVERIFY(modelRanksBelowProxy(r));
        r.tauActivations = 0.6, r.tauMacs = 0.81;
        QVERIFY(modelRanksBelowProxy(r));

        const auto tables = loadValidationTables();
        QVERIFY(!tables.empty());
        const TableValidation own = validateOnPlatform(tables.front());
        QVERIFY2(own.skipped.empty(), own.skipped.c_str());
        QCOMPARE(own.runtime, tables.front().runtime);
        QVERIFY(own.method.find(own.runtime + " runtime") != std::string::npos);
        QCOMPARE(own.result.count, int(tables.front().rows.size()));
        const TableValidation missing = validateOnPlatform(tables.front(), "no-such-runtime");
        QVERIFY(!missing.skipped.empty());
        QVERIFY(missing.method.empty());
    }
};

QTEST_GUILESS_MAIN(TestHwValidation)
#include "tst_hw_validation.moc"
