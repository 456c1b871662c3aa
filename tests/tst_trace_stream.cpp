// The streamed trace import (events folded as the parser passes them, never a whole JSON tree)
// must read exactly what the parsed-document import reads: the same plan, or the same error.
#include <QTest>
#include <fstream>
#include <functional>
#include <sstream>

#include "arch/error.h"
#include "store/import.h"
#include "store/trace_events.h"

using namespace archscope;
using namespace archscope::store;

namespace {

std::string dataFile(const char* name) {
    std::ifstream in(std::string(ARCHSCOPE_TEST_DATA_DIR) + "/import/" + name, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The plan as comparable text, or "error: <message>".
std::string outcome(const std::function<ImportPlan()>& read) {
    try {
        const ImportPlan plan = read();
        nlohmann::json out = {{"format", plan.format}, {"machine", plan.machine}};
        for (const auto& m : plan.models) {
            nlohmann::json layers = nlohmann::json::array();
            for (const auto& l : m.evaluation.layers) {
                layers.push_back({l.name, l.measuredMs ? *l.measuredMs : -1.0});
            }
            nlohmann::json unmatched = nlohmann::json::array();
            for (const auto& u : m.unmatched) unmatched.push_back({u.name, u.ms});
            out["models"].push_back({{"name", m.spec.name},
                                     {"median", m.evaluation.measured->medianMs},
                                     {"p10", m.evaluation.measured->p10Ms},
                                     {"p90", m.evaluation.measured->p90Ms},
                                     {"reps", m.evaluation.measured->reps},
                                     {"matched", m.matchedMs},
                                     {"unmatched_ms", m.unmatchedMs},
                                     {"layers_matched", m.layersMatched},
                                     {"layers", layers},
                                     {"unmatched", unmatched}});
        }
        return out.dump();
    } catch (const ArchError& e) {
        return std::string("error: ") + e.what();
    }
}

const char* kEvent =
    R"({"name": "aten::conv2d", "ph": "X", "ts": 1, "dur": 5, "tid": 1, "pid": 1})";
const char* kPass =
    R"({"name": "archscope-network:efficientnet-b0:c3934cf9465207b1", "ph": "X", "ts": 0,
        "dur": 10, "tid": 1, "pid": 1})";

}  // namespace

class TestTraceStream : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void streamReadsWhatTheDocumentReads_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expect");  // a fragment of the outcome
        const std::string ev = kEvent, pass = kPass;
        auto row = [](const char* name, const std::string& text, const char* expect) {
            QTest::newRow(name) << QByteArray::fromStdString(text) << QString(expect);
        };
        row("committed PyTorch trace", dataFile("efficientnet-b0-cpu.pytorch-trace.json"),
            "pytorch-chrome-trace");
        row("committed XProf trace", dataFile("efficientnet-b0-synthetic.xprof-trace.json"),
            "--model");
        row("measure --json", dataFile("measure-cpu.json"), "archscope-measure");
        row("bare array", "[" + pass + "," + ev + "]", "pytorch-chrome-trace");
        row("object with device properties",
            R"({"deviceProperties": [{"name": "cpu"}], "traceEvents": [)" + pass + "," + ev + "]}",
            "device_properties");
        row("non-objects in the list are skipped but counted",
            R"([1, "x", [2, {"dur": -1}], null, )" + pass + "," + ev +
                R"(, {"ph": "X", "dur": -50}])",
            "field \"[6].dur\": -50");
        row("nested objects inside an event are kept",
            "[" + pass + R"(, {"name": "aten::conv2d", "ph": "X", "ts": 1, "dur": 5,
                 "args": {"deep": {"er": [1, {"x": 2}]}}, "tid": 1, "pid": 1}])",
            "pytorch-chrome-trace");
        row("repeated traceEvents: the last counts (a bad first list)",
            R"({"traceEvents": [{"ph": "X", "dur": -1}], "traceEvents": [)" + pass + "," + ev +
                "]}",
            "pytorch-chrome-trace");
        row("repeated traceEvents: the last counts (a bad last list)",
            R"({"traceEvents": [)" + pass + "," + ev + R"(], "traceEvents": [{"ph": 7}]})",
            "field \"traceEvents[0].ph\"");
        row("traceEvents not a list", R"({"traceEvents": {"a": {"ph": 7, "dur": -1}}})", "neither");
        row("an object elsewhere at the event depth is no event",
            R"({"other": [{"ph": 7}], "traceEvents": [)" + pass + "," + ev + "]}",
            "pytorch-chrome-trace");
        row("first bad event wins", R"({"traceEvents": [{"dur": 1e308}, {"ph": 1}]})",
            "field \"traceEvents[0].dur\": 1e+308");
        row("thread names after the ops (XProf)",
            R"([{"name": "fusion", "ph": "X", "ts": 0, "dur": 4, "pid": 1, "tid": 2,
                 "args": {"tf_op": "model/stem/conv"}},
                {"name": "thread_name", "ph": "M", "pid": 1, "tid": 2,
                 "args": {"name": "XLA Ops"}}])",
            "xprof-trace-viewer");
    }
    void streamReadsWhatTheDocumentReads() {
        QFETCH(QByteArray, bytes);
        const std::string text = bytes.toStdString();
        QFETCH(QString, expect);
        ImportOptions options;
        if (text.find("tf_op") != std::string::npos && !expect.contains("--model")) {
            options.model = "efficientnet-b0";
        }
        const std::string fromDocument = outcome(
            [&] { return readImportDocument(nlohmann::json::parse(text), "t.json", options); });
        const std::string fromStream = outcome([&] {
            std::istringstream in(text);
            return readImportStream(in, "t.json", options);
        });
        QCOMPARE(QString::fromStdString(fromStream), QString::fromStdString(fromDocument));
        QVERIFY2(fromStream.find(expect.toStdString()) != std::string::npos, fromStream.c_str());
    }

    void theTreeNeverHoldsTheEvents() {
        std::istringstream in(R"({"traceEvents": [)" + std::string(kPass) + "," + kEvent +
                              R"(], "displayTimeUnit": "ms"})");
        const StreamedTrace t = parseTraceStream(in, "t.json");
        QCOMPARE(t.doc.dump(), std::string(R"({"displayTimeUnit":"ms","traceEvents":[]})"));
        QCOMPARE(int(t.events.count), 2);
        QCOMPARE(int(t.events.complete.size()), 2);
        QVERIFY(t.events.network.has_value());
        QCOMPARE(t.events.network->hash, std::string("c3934cf9465207b1"));
    }

    void aSyntaxErrorAfterABadEventIsStillASyntaxError() {
        // The parsed-document reader sees the syntax error first; the stream must too.
        std::istringstream in(R"({"traceEvents": [{"ph": 7}, {"name": )");
        QVERIFY_THROWS_EXCEPTION(nlohmann::json::parse_error,
                                 readImportStream(in, "t.json", ImportOptions{}));
    }
};

QTEST_GUILESS_MAIN(TestTraceStream)
#include "tst_trace_stream.moc"
