// Platform profiles: every shipped profile loads with sources, and a broken profile is rejected
// with a message that names the file and the field.
#include <QtTest>

#include <fstream>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "hw/profile_io.h"
#include "util/resources.h"

using namespace archscope;
using nlohmann::json;

namespace {

json shippedJson(const std::string& name) {
    std::ifstream in(findResource("profiles/" + name + ".json"));
    return json::parse(in);
}

std::string errorOf(const json& j, const std::string& where = "broken.json") {
    try {
        profileFromJson(j, where);
    } catch (const ArchError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

class TestHwProfile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shippedProfilesLoad_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"tpuv2", "tpuv3", "tpuv4i", "v100", "a100", "h100", "h200", "cpu"}) {
            QTest::newRow(n) << QString(n);
        }
    }
    void shippedProfilesLoad() {
        QFETCH(QString, name);
        const Profile p = loadProfile(name.toStdString());
        QCOMPARE(QString::fromStdString(p.name), name);
        QVERIFY(p.version >= 1);
        QVERIFY(p.supports(p.defaultDtype));
        QVERIFY(p.memory.bandwidthBytesPerSecond > 0);
        QVERIFY(p.parameters.size() > 20);
        for (const auto& param : p.parameters) {
            QVERIFY2(!param.source.empty(), param.path.c_str());
            QVERIFY2(!param.unit.empty(), param.path.c_str());
        }
    }

    void listsEveryShippedProfile() {
        const auto names = listProfiles();
        for (const char* n : {"tpuv2", "tpuv3", "tpuv4i", "v100", "a100", "h100", "h200", "cpu"}) {
            QVERIFY2(std::find(names.begin(), names.end(), n) != names.end(), n);
        }
    }

    void datasheetFigures() {
        const Profile v3 = loadProfile("tpuv3");
        QCOMPARE(v3.cores, 2);
        QCOMPARE(v3.matrix.unitsPerCore, 2);
        QCOMPARE(v3.matrix.peakMacsPerSecond[int(Dtype::Bf16)], 123e12 / 2);
        QCOMPARE(v3.memory.bandwidthBytesPerSecond, 900e9);
        const Profile v100 = loadProfile("v100");
        QVERIFY(!v100.supports(Dtype::Bf16));  // Volta Tensor Cores have no bf16
        QVERIFY_THROWS_EXCEPTION(ArchError, requireDtype(v100, Dtype::Bf16));
        QCOMPARE(loadProfile("cpu").fusionOf(OpKind::Act), FusionRule::None);
        QCOMPARE(v3.fusionOf(OpKind::SeMultiply), FusionRule::Consumer);
    }

    void brokenProfileNamesFileAndField_data() {
        QTest::addColumn<QString>("pointer");   // JSON pointer to change
        QTest::addColumn<QString>("newValue");  // JSON text; empty = remove the field
        QTest::addColumn<QString>("expected");  // substrings, '|'-separated
        QTest::newRow("missing bandwidth") << "/memory/bandwidth"
                                           << ""
                                           << "memory.bandwidth|missing";
        QTest::newRow("negative bandwidth") << "/memory/bandwidth/value"
                                            << "-900"
                                            << "memory.bandwidth|must be > 0|-900";
        QTest::newRow("zero bandwidth") << "/memory/bandwidth/value"
                                        << "0"
                                        << "memory.bandwidth|> 0";
        QTest::newRow("unknown unit") << "/memory/bandwidth/unit"
                                      << "\"TB/s\""
                                      << "memory.bandwidth|unit \"TB/s\"";
        QTest::newRow("no source") << "/matrix/clock/source"
                                   << ""
                                   << "matrix.clock|\"source\" or an \"assumption\"";
        QTest::newRow("not a number") << "/vector/peak/value"
                                      << "\"fast\""
                                      << "vector.peak|must be a number";
        QTest::newRow("bad rule") << "/fusion/add/value"
                                  << "\"sometimes\""
                                  << "fusion.add|one of";
        QTest::newRow("missing rule") << "/fusion/bn"
                                      << ""
                                      << "fusion.bn|missing";
        QTest::newRow("peak disagrees") << "/matrix/clock/value"
                                        << "500"
                                        << "matrix.peak|disagrees";
        QTest::newRow("fractional count") << "/matrix/units_per_core/value"
                                          << "1.5"
                                          << "matrix.units_per_core|whole number";
        QTest::newRow("no name") << "/name"
                                 << ""
                                 << "\"name\"";
        QTest::newRow("no version") << "/version"
                                    << ""
                                    << "\"version\"";
        QTest::newRow("bad kind") << "/kind"
                                  << "\"fpga\""
                                  << "\"kind\"";
        QTest::newRow("future format") << "/format_version"
                                       << "99"
                                       << "format_version";
        QTest::newRow("default dtype unsupported") << "/default_dtype"
                                                   << "\"fp16\""
                                                   << "default_dtype";
        QTest::newRow("missing op cost") << "/vector/ops_per_element/swish"
                                         << ""
                                         << "vector.ops_per_element.swish|missing";
    }
    void brokenProfileNamesFileAndField() {
        QFETCH(QString, pointer);
        QFETCH(QString, newValue);
        QFETCH(QString, expected);
        json j = shippedJson("tpuv3");
        const json::json_pointer ptr(pointer.toStdString());
        if (newValue.isEmpty()) {
            j[ptr.parent_pointer()].erase(ptr.back());
        } else {
            j[ptr] = json::parse(newValue.toStdString());
        }
        const std::string error = errorOf(j);
        QVERIFY2(error.find("broken.json") != std::string::npos, error.c_str());
        for (const auto& part : expected.split('|')) {
            QVERIFY2(error.find(part.toStdString()) != std::string::npos,
                     qPrintable("expected \"" + part + "\" in: " + QString::fromStdString(error)));
        }
    }

    void badJsonFileNamesTheFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("mine.json").toStdString();
        std::ofstream(path) << "{\"name\": \"mine\",";
        try {
            loadProfile(path);
            QFAIL("expected an ArchError");
        } catch (const ArchError& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find(path) != std::string::npos, msg.c_str());
            QVERIFY2(msg.find("not valid JSON") != std::string::npos, msg.c_str());
        }
    }

    void userProfileFromPath() {
        QTemporaryDir dir;
        json j = shippedJson("v100");
        j["name"] = "my-v100";
        j["memory"]["bandwidth"]["value"] = 450;
        const std::string path = dir.filePath("my-v100.json").toStdString();
        std::ofstream(path) << j.dump();
        const Profile p = loadProfile(path);
        QCOMPARE(p.name, std::string("my-v100"));
        QCOMPARE(p.memory.bandwidthBytesPerSecond, 450e9);
    }

    void unknownProfileListsKnownOnes() {
        try {
            loadProfile("tpuv9");
            QFAIL("expected an ArchError");
        } catch (const ArchError& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find("tpuv9") != std::string::npos, msg.c_str());
            QVERIFY2(msg.find("tpuv3") != std::string::npos, msg.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestHwProfile)
#include "tst_hw_profile.moc"
