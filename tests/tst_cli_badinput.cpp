// Hostile input as a table (docs/reliability.md lists the same rows): each row writes its input
// files, runs one archscope-cli command, and checks the exit code, a fragment of the message,
// a short stderr (no echoed input), and that no file in the folder was created or changed.
#include <sqlite3.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QMap>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/cliprocess.h"

using archscope::testing::runCli;
using nlohmann::json;

namespace {

using Files = QMap<QString, QByteArray>;

QByteArray shippedProfile(const std::function<void(json&)>& edit) {
    std::ifstream in(std::string(ARCHSCOPE_TEST_DATA_DIR) + "/../../resources/profiles/tpuv3.json");
    json j = json::parse(in);
    edit(j);
    return QByteArray::fromStdString(j.dump());
}

QByteArray space(const char* stage) {
    return QByteArray(R"({"base":{"blocks":["r1_k3_s11_e6_i16_o24"]},"stages":[)") + stage + "]}";
}

QByteArray measureFile(const char* model) {
    return QByteArray(R"({"context":{"batch":1,"device":"cpu"},"models":[)") + model + "]}";
}

/// Every file under `dir` with its bytes (SQLite -wal/-shm side files included).
Files snapshot(const QString& dir) {
    Files out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (f.open(QIODevice::ReadOnly)) out.insert(QDir(dir).relativeFilePath(path), f.readAll());
    }
    return out;
}

/// A row's file with these bytes gets the small supernet trained in initTestCase instead.
const QByteArray kTrainedSupernet = "<trained supernet>";

void writeForeignDatabase(const QString& path) {
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "CREATE TABLE notes(text); INSERT INTO notes VALUES('mine');",
                          nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(db);
}

}  // namespace

class TestCliBadInput : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_fixtures;
    QByteArray m_supernet;  ///< a supernet of efficientnet-x, trained on 256 images; empty: none

private Q_SLOTS:
    void initTestCase() {
#if ARCHSCOPE_CLI_HAS_TORCH
        // About a second: 256 images, one epoch. Without the dataset the supernet rows that need
        // a trained file are left out (the refusals that need none still run).
        const QString file = m_fixtures.filePath("x.supernet");
        const auto r = runCli({"supernet", "--space", "efficientnet-x", "--out", file, "--subset",
                               "256", "--train-batch", "32", "--epochs", "1"});
        QFile f(file);
        if (r.exitCode == 0 && f.open(QIODevice::ReadOnly)) m_supernet = f.readAll();
        if (m_supernet.isEmpty()) qWarning() << "no supernet trained:" << r.err.left(300);
#endif
    }

    void rejectsAndChangesNothing_data() {
        QTest::addColumn<Files>("files");
        QTest::addColumn<QStringList>("args");  // "@" is replaced by the folder
        QTest::addColumn<QString>("fragment");
        QTest::addColumn<int>("exitCode");
        const QStringList search = {"search",   "--hw", "tpuv3", "--accuracy", "imagenet",
                                    "--budget", "2",    "--db",  "@/new.db",   "--space"};
        auto row = [](const char* name, Files f, QStringList a, const char* fragment,
                      int exitCode = 1) {
            QTest::newRow(name) << f << a << QString(fragment) << exitCode;
        };
        // Networks: overflow, exact types, caps, versions.
        row("params overflow",
            {{"a.json", R"({"blocks":["r1_k3_s11_e64_i1048576_o1048576"],"width":100})"}},
            {"show", "@/a.json"}, "over the cap of 16777216 channels");
        row("stem kernel int max",
            {{"a.json", R"({"blocks":["r1_k3_s11_e6_i16_o24"],"stem":{"kernel":2147483647}})"}},
            {"show", "@/a.json"}, "field \"stem.kernel\": 2147483647 is out of range");
        row("head filters int max",
            {{"a.json", R"({"blocks":["r1_k3_s11_e6_i16_o24"],"head_filters":2147483647})"}},
            {"show", "@/a.json"}, "field \"head_filters\"");
        row("depth divisor int max",
            {{"a.json", R"({"blocks":["r1_k3_s11_e6_i16_o24"],"depth_divisor":2147483647})"}},
            {"show", "@/a.json"}, "field \"depth_divisor\"");
        row("width 1e309", {{"a.json", R"({"blocks":["r1_k3_s11_e6_i16_o24"],"width":1e309})"}},
            {"show", "@/a.json"}, "a.json\": not valid JSON: number overflow");
        row("resolution 224.7",
            {{"a.json", R"({"blocks":["r1_k3_s11_e6_i16_o24"],"resolution":224.7})"}},
            {"show", "@/a.json"}, "field \"resolution\": 224.7 is not a whole number");
        row("bool as int",
            {{"a.json", R"({"blocks":["r1_k3_s11_e6_i16_o24"],"num_classes":true})"}},
            {"show", "@/a.json"}, "field \"num_classes\": expected a whole number");
        row("version wraps",
            {{"a.json", R"({"blocks":["r1_k3_s11_e6_i16_o24"],"version":4294967297})"}},
            {"show", "@/a.json"}, "field \"version\": 4294967297");
        row("blocks not a list", {{"a.json", R"({"blocks":"r1_k3_s11_e6_i16_o24"})"}},
            {"show", "@/a.json"}, "field \"blocks\": expected a list");
        row("format 7 (scripts/mutate_inputs.py)",
            {{"a.json", R"({"format":7,"blocks":["r1_k3_s11_e6_i16_o24"]})"}}, {"show", "@/a.json"},
            "field \"format\": expected a string, got number 7");
        row("a profile's format",
            {{"a.json", R"({"format":"archscope-profile","blocks":["r1_k3_s11_e6_i16_o24"]})"}},
            {"show", "@/a.json"}, "field \"format\": expected \"archscope-network\"");
        row("b-0", {{"a.json", R"({"blocks":["r1_k3_s11_e6_i16_o24_b-0"]})"}}, {"show", "@/a.json"},
            "option \"b-0\"");
        row("huge block string",
            {{"a.json",
              "{\"blocks\":[\"r1_k3_s11_e6_i16_o24_" + QByteArray(2'000'000, 'x') + "\"]}"}},
            {"show", "@/a.json"}, "characters)");
        row("depth 100 x r1000",
            {{"a.json", R"({"blocks":["r1000_k3_s11_e1_i16_o16"],"depth":100})"}},
            {"show", "@/a.json"}, "cap of 4096 blocks");
        // CLI11 rejects it before any code runs, with its own exit code for a bad argument.
        row("batch over cap", {}, {"show", "efficientnet-b0", "--batch", "1000000"},
            "Value 1000000 not in range 1 to 65536", 105);
        // Search spaces: a broken one creates no store.
        row("space kernel 3.5", {{"s.json", space(R"({"kernel":[3.5]})")}},
            search + QStringList{"@/s.json"},
            "field \"stages[0].kernel[0]\": 3.5 is not a whole number");
        row("space bad JSON", {{"s.json", "{"}}, search + QStringList{"@/s.json"},
            "s.json\": not valid JSON");
        row("space filters string", {{"s.json", space(R"({"filters":["2"]})")}},
            search + QStringList{"@/s.json"}, "field \"stages[0].filters[0]\": expected a number");
        // Profiles: every figure finite, within its unit's cap; fractions at most 1.
        row("profile peak 1e308", {{"p.json", shippedProfile([](json& j) {
                                        j["matrix"]["peak"]["bf16"]["value"] = 1e308;
                                    })}},
            {"predict", "efficientnet-b0", "--hw", "@/p.json"}, "field \"matrix.peak.bf16\"");
        row("profile efficiency 5",
            {{"p.json", shippedProfile([](json& j) { j["matrix"]["efficiency"]["value"] = 5; })}},
            {"predict", "efficientnet-b0", "--hw", "@/p.json"}, "at most 1 fraction");
        row("profile version wraps",
            {{"p.json", shippedProfile([](json& j) { j["version"] = 4294967297LL; })}},
            {"predict", "efficientnet-b0", "--hw", "@/p.json"}, "field \"version\"");
        // Imports: times finite and positive, counts exact; nothing stored.
        const QStringList import = {"import", "@/m.json", "--db", "@/new.db"};
        row("median -1", {{"m.json", measureFile(R"({"name":"efficientnet-b0","median_ms":-1})")}},
            import, "field \"models[0].median_ms\": -1 is out of range");
        row("p10 1e308",
            {{"m.json", measureFile(R"({"name":"efficientnet-b0","median_ms":5,"p10_ms":1e308})")}},
            import, "field \"models[0].p10_ms\"");
        row("reps -5",
            {{"m.json", measureFile(R"({"name":"efficientnet-b0","median_ms":5,"reps":-5})")}},
            import, "field \"models[0].reps\"");
        row("reps 2.5",
            {{"m.json", measureFile(R"({"name":"efficientnet-b0","median_ms":5,"reps":2.5})")}},
            import, "2.5 is not a whole number");
        row("resolution -1 stored with the figures",
            {{"m.json",
              measureFile(R"({"name":"efficientnet-b0","median_ms":5,"resolution":-1})")}},
            import, "field \"models[0].resolution\": -1 is out of range");
        row("name not a string", {{"m.json", measureFile(R"({"name":7,"median_ms":5})")}}, import,
            "field \"models[0].name\": expected a string");
        row("dtype int8",
            {{"m.json", R"({"context":{"batch":1,"device":"cpu","dtype":"int8"},)"
                        R"("models":[{"name":"efficientnet-b0","median_ms":5}]})"}},
            import,
            "field \"context.dtype\": unknown dtype \"int8\"; use bf16, fp16, fp32 or tf32");
        row("trace dur -50", {{"m.json", R"([{"ph":"X","name":"aten::conv2d","ts":0,"dur":-50}])"}},
            import, "field \"[0].dur\": -50 is out of range");
        row("trace dur 1e308",
            {{"m.json",
              R"({"traceEvents":[{"ph":"X","name":"aten::conv2d","ts":0,"dur":1e308}]})"}},
            import, "field \"traceEvents[0].dur\"");
        row("trace ph number", {{"m.json", R"([{"ph":7,"name":"aten::conv2d","ts":0,"dur":5}])"}},
            import, "field \"[0].ph\": expected a string");
        // Stores: a foreign or missing file is never touched or created.
        row("foreign db sweep", {{"f.db", {}}},
            {"sweep", "--models", "efficientnet-b0", "--db", "@/f.db"},
            "not an Archscope result store");
        row("foreign db import",
            {{"f.db", {}}, {"m.json", measureFile(R"({"name":"efficientnet-b0","median_ms":5})")}},
            {"import", "@/m.json", "--db", "@/f.db"}, "not an Archscope result store");
        row("resume typo", {}, {"resume", "--db", "@/typo.db", "--run", "1"}, "does not exist");
#if ARCHSCOPE_CLI_HAS_TORCH
        // Supernets: files that are missing or are no supernet, spaces that do not exist or
        // differ from the file's. A failed training creates no file and keeps the one it found.
        const QStringList quick = {"--subset", "256", "--train-batch", "32", "--epochs", "1"};
        row("supernet missing", {}, {"supernet", "--info", "@/missing.supernet"},
            "supernet file \"@/missing.supernet\" does not exist");
        row("supernet not a supernet", {{"b.supernet", "not a supernet"}},
            {"supernet", "--info", "@/b.supernet"}, "is not a supernet file");
        row("supernet --check not a supernet", {{"b.supernet", "not a supernet"}},
            {"supernet", "--check", "@/b.supernet"}, "is not a supernet file");
        row("supernet --out over a non-supernet", {{"b.supernet", "not a supernet"}},
            QStringList{"supernet", "--out", "@/b.supernet"} + quick, "is not a supernet file");
        row("supernet unknown space", {},
            QStringList{"supernet", "--space", "nosuch", "--out", "@/x.supernet"} + quick,
            "neither a shipped space");
        row("supernet broken space", {{"s.json", "{"}},
            QStringList{"supernet", "--space", "@/s.json", "--out", "@/x.supernet"} + quick,
            "search space file \"@/s.json\": not valid JSON");
        row("supernet two modes", {}, {"supernet", "--info", "@/a", "--out", "@/b"},
            "give exactly one of --out, --info, --check");
        if (!m_supernet.isEmpty()) {
            row("supernet of another space", {{"x.supernet", kTrainedSupernet}},
                QStringList{"supernet", "--space", "efficientnet", "--out", "@/x.supernet"} + quick,
                "holds a supernet of space \"efficientnet-x\", not of --space \"efficientnet\"");
            row("search with another space's supernet", {{"x.supernet", kTrainedSupernet}},
                {"search", "--space", "efficientnet", "--hw", "tpuv3", "--accuracy", "supernet",
                 "--supernet", "@/x.supernet", "--budget", "3", "--db", "@/new.db"},
                "was trained on space \"efficientnet-x\", not on --space \"efficientnet\"");
            row("estimate a network outside the supernet", {{"x.supernet", kTrainedSupernet}},
                {"estimate", "efficientnet-b0", "--accuracy", "supernet", "--supernet",
                 "@/x.supernet"},
                "is not a path of this supernet");
        }
#endif
    }

    void rejectsAndChangesNothing() {
        QFETCH(Files, files);
        QFETCH(QStringList, args);
        QFETCH(QString, fragment);
        QFETCH(int, exitCode);
        QTemporaryDir dir;
        for (auto it = files.begin(); it != files.end(); ++it) {
            const QString path = dir.filePath(it.key());
            if (it.key().endsWith(".db")) {
                writeForeignDatabase(path);
                continue;
            }
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(it.value() == kTrainedSupernet ? m_supernet : it.value());
        }
        const Files before = snapshot(dir.path());
        for (QString& a : args) a.replace("@", dir.path());
        fragment.replace("@", dir.path());
        const auto r = runCli(args);
        QVERIFY2(r.exitCode == exitCode,
                 (QByteArray::number(r.exitCode) + " " + r.err).constData());
        QVERIFY2(QString::fromUtf8(r.err).contains(fragment), r.err.left(600).constData());
        QVERIFY2(!r.err.contains("[json.exception"), r.err.constData());
        QVERIFY2(r.err.size() < 2000, QByteArray::number(r.err.size()).constData());  // no echo
        QVERIFY2(r.out.isEmpty(), r.out.left(300).constData());
        const Files after = snapshot(dir.path());
        QCOMPARE(after.keys(), before.keys());  // nothing created, nothing removed
        QVERIFY(after == before);               // nothing changed
    }
};

QTEST_GUILESS_MAIN(TestCliBadInput)
#include "tst_cli_badinput.moc"
