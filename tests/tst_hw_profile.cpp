// Platform profiles: every shipped profile loads with sources, and a broken profile is rejected
// with a message that names the file and the field.
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "arch/error.h"
#include "hw/profile_io.h"
#include "util/resources.h"

using namespace archscope;
using nlohmann::json;

namespace {

// Every profile in resources/profiles/; listsEveryShippedProfile fails when a file is missing here.
const char* const kShipped[] = {"tpuv2", "tpuv3",   "tpuv4i",  "v100",    "a100", "h100", "h200",
                                "cpu",   "rtx3090", "rtx4090", "rtx5090", "l4",   "t4"};

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

/// Dotted paths of every {"value": ...} parameter object in a profile file.
void parameterPaths(const json& node, const std::string& path, std::vector<std::string>& out) {
    if (!node.is_object()) return;
    if (node.contains("value")) {
        out.push_back(path);
        return;
    }
    for (const auto& [key, child] : node.items()) {
        parameterPaths(child, path.empty() ? key : path + "." + key, out);
    }
}

}  // namespace

class TestHwProfile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shippedProfilesLoad_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : kShipped) QTest::newRow(n) << QString(n);
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

    // Every parameter in the file has a unit and a source or an assumption, and the reader took
    // it in (a misspelt "tf23" peak or a field the format has no place for would be ignored).
    void everyParameterHasSourceAndIsRead_data() { shippedProfilesLoad_data(); }
    void everyParameterHasSourceAndIsRead() {
        QFETCH(QString, name);
        const json j = shippedJson(name.toStdString());
        std::vector<std::string> inFile;
        parameterPaths(j, "", inFile);
        const Profile p = loadProfile(name.toStdString());
        std::set<std::string> read;
        for (const auto& param : p.parameters) read.insert(param.path);
        for (const auto& path : inFile) {
            std::string pointer = "/" + path;
            std::replace(pointer.begin(), pointer.end(), '.', '/');
            const json& node = j.at(json::json_pointer(pointer));
            QVERIFY2(node.contains("unit") && node["unit"].is_string(), path.c_str());
            const bool source = node.contains("source") && node["source"].is_string() &&
                                !node["source"].get<std::string>().empty();
            const bool assumption = node.contains("assumption") && node["assumption"].is_string() &&
                                    !node["assumption"].get<std::string>().empty();
            QVERIFY2(source || assumption, path.c_str());
            QVERIFY2(read.count(path), ("not read by the loader: " + path).c_str());
        }
        QCOMPARE(read.size(), inFile.size());
    }

    void listsEveryShippedProfile() {
        const auto names = listProfiles();
        for (const char* n : kShipped) {
            QVERIFY2(std::find(names.begin(), names.end(), n) != names.end(), n);
        }
        // And the list above is complete: every .json in the shipped folder is in kShipped.
        const auto dir = findResource("profiles/tpuv3.json").parent_path();
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (entry.path().extension() != ".json") continue;
            const std::string stem = entry.path().stem().string();
            QVERIFY2(
                std::find(std::begin(kShipped), std::end(kShipped), stem) != std::end(kShipped),
                ("shipped but not in kShipped: " + stem).c_str());
        }
    }

    void tf32IsADtype() {
        QVERIFY(dtypeFromName("tf32") == Dtype::Tf32);
        QCOMPARE(std::string(dtypeName(Dtype::Tf32)), std::string("tf32"));
        QCOMPARE(dtypeBytes(Dtype::Tf32), 4);  // tensors stay fp32 in memory
        QCOMPARE(dtypeNameList(), std::string("bf16, fp16, fp32 or tf32"));
        QCOMPARE(parseDtype("tf32"), Dtype::Tf32);
        try {
            parseDtype("fp64", "--dtype");
            QFAIL("expected an ArchError");
        } catch (const ArchError& e) {
            const std::string msg = e.what();
            QVERIFY2(msg.find("--dtype \"fp64\"") != std::string::npos, msg.c_str());
            QVERIFY2(msg.find("tf32") != std::string::npos, msg.c_str());
        }
    }

    // One table of names: PyTorch's spellings parse everywhere a dtype is read.
    void dtypeAliases_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("dtype");
        QTest::newRow("bf16") << "bf16" << int(Dtype::Bf16);
        QTest::newRow("bfloat16") << "bfloat16" << int(Dtype::Bf16);
        QTest::newRow("fp16") << "fp16" << int(Dtype::Fp16);
        QTest::newRow("float16") << "float16" << int(Dtype::Fp16);
        QTest::newRow("half") << "half" << int(Dtype::Fp16);
        QTest::newRow("fp32") << "fp32" << int(Dtype::Fp32);
        QTest::newRow("float32") << "float32" << int(Dtype::Fp32);
        QTest::newRow("float") << "float" << int(Dtype::Fp32);
        QTest::newRow("tf32") << "tf32" << int(Dtype::Tf32);
    }
    void dtypeAliases() {
        QFETCH(QString, name);
        QFETCH(int, dtype);
        QCOMPARE(int(parseDtype(name.toStdString())), dtype);
        // Printed back under its canonical name only.
        QCOMPARE(std::string(dtypeName(Dtype(dtype))),
                 std::string(dtypeName(*dtypeFromName(name.toStdString()))));
    }

    void unknownDtypeMessageListsEveryAcceptedName() {
        QCOMPARE(unknownDtypeMessage("int8", "--dtype"),
                 std::string("unknown --dtype \"int8\"; use bf16, fp16, fp32 or tf32 (also "
                             "accepted: bfloat16, float16, half, float32, float)"));
        QVERIFY(!dtypeFromName(""));
        QVERIFY(!dtypeFromName("FP32"));  // names are exact, as in profile files
        try {
            parseDtype("int8", "dtype for measurement");
            QFAIL("expected an ArchError");
        } catch (const ArchError& e) {
            QCOMPARE(std::string(e.what()), unknownDtypeMessage("int8", "dtype for measurement"));
        }
    }

    void tensorCoreFigures_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("sms");
        QTest::addColumn<double>("fp16");  // TFLOP/s dense; 0 = unsupported
        QTest::addColumn<double>("bf16");
        QTest::addColumn<double>("tf32");
        QTest::addColumn<double>("fp32");
        QTest::addColumn<double>("bandwidth");  // GB/s
        // GeForce: fp16/bf16 with fp32 accumulate (half the fp16-accumulate rate).
        QTest::newRow("rtx3090") << "rtx3090" << 82 << 71.0 << 71.0 << 35.6 << 35.6 << 936.0;
        QTest::newRow("rtx4090") << "rtx4090" << 128 << 165.2 << 165.2 << 82.6 << 82.6 << 1008.0;
        QTest::newRow("rtx5090") << "rtx5090" << 170 << 209.5 << 209.5 << 104.8 << 104.8 << 1792.0;
        QTest::newRow("l4") << "l4" << 58 << 121.0 << 121.0 << 60.0 << 30.3 << 300.0;
        QTest::newRow("t4") << "t4" << 40 << 65.0 << 0.0 << 0.0 << 8.1 << 300.0;  // Turing
        QTest::newRow("a100") << "a100" << 108 << 312.0 << 312.0 << 156.0 << 19.5 << 2039.0;
        QTest::newRow("h100") << "h100" << 132 << 989.0 << 989.0 << 494.7 << 67.0 << 3350.0;
        QTest::newRow("h200") << "h200" << 132 << 989.0 << 989.0 << 494.7 << 67.0 << 4800.0;
        QTest::newRow("v100") << "v100" << 80 << 125.0 << 0.0 << 0.0 << 15.7 << 900.0;  // Volta
    }
    void tensorCoreFigures() {
        QFETCH(QString, name);
        QFETCH(int, sms);
        QFETCH(double, fp16);
        QFETCH(double, bf16);
        QFETCH(double, tf32);
        QFETCH(double, fp32);
        QFETCH(double, bandwidth);
        const Profile p = loadProfile(name.toStdString());
        QCOMPARE(p.kind, std::string("gpu"));
        QCOMPARE(p.defaultDtype, Dtype::Fp16);
        QCOMPARE(p.matrix.unitsPerCore, sms);
        const std::pair<Dtype, double> peaks[] = {
            {Dtype::Fp16, fp16}, {Dtype::Bf16, bf16}, {Dtype::Tf32, tf32}, {Dtype::Fp32, fp32}};
        for (const auto& [d, tflops] : peaks) {
            QCOMPARE(p.supports(d), tflops > 0.0);
            QCOMPARE(p.matrix.peakMacsPerSecond[int(d)], tflops * 1e12 / 2.0);
        }
        // Vector unit: the CUDA-core fp32 rate in FMAs per second, as derived in a100.json.
        QCOMPARE(p.vector.peakOpsPerSecond, fp32 * 1e12 / 2.0);
        QCOMPARE(p.memory.bandwidthBytesPerSecond, bandwidth * 1e9);
    }

    void tf32PeakIsReadAndChecked() {
        json j = shippedJson("a100");
        j["matrix"]["peak"]["tf32"]["unit"] = "TFLOPS";
        std::string error = errorOf(j);
        QVERIFY2(error.find("matrix.peak.tf32") != std::string::npos, error.c_str());
        j["matrix"]["peak"]["tf32"]["unit"] = "TFLOP/s";
        j["matrix"]["peak"]["tf32"].erase("source");
        error = errorOf(j);
        QVERIFY2(error.find("matrix.peak.tf32") != std::string::npos, error.c_str());
        j["matrix"]["peak"].erase("tf32");
        QVERIFY(!profileFromJson(j, "no-tf32.json").supports(Dtype::Tf32));
        // A profile may default to tf32 when it has the peak.
        json k = shippedJson("a100");
        k["default_dtype"] = "tf32";
        QCOMPARE(profileFromJson(k, "tf32.json").defaultDtype, Dtype::Tf32);
        k["default_dtype"] = "fp8";
        error = errorOf(k);
        QVERIFY2(error.find("field \"default_dtype\": " + unknownDtypeMessage("fp8", "dtype")) !=
                     std::string::npos,
                 error.c_str());
        k["default_dtype"] = "half";  // PyTorch's name parses as in every other place
        QCOMPARE(profileFromJson(k, "half.json").defaultDtype, Dtype::Fp16);
    }

    void onChipMemoryIsOptionalButWhole() {
        // TPUv4i carries its 128 MiB CMEM; its bandwidth is marked as an assumption.
        const Profile v4i = loadProfile("tpuv4i");
        QCOMPARE(v4i.memory.onChipCapacityBytes, 128.0 * (1 << 20));
        QCOMPARE(v4i.memory.onChipBandwidthBytesPerSecond, 4300.8e9);
        bool assumed = false;
        for (const auto& prm : v4i.parameters) {
            if (prm.path == "memory.on_chip.bandwidth") assumed = prm.assumption;
        }
        QVERIFY(assumed);
        // Without the group: no on-chip memory; other profiles have none.
        json j = shippedJson("tpuv4i");
        j["memory"].erase("on_chip");
        QCOMPARE(profileFromJson(j, "no-cmem.json").memory.onChipCapacityBytes, 0.0);
        QCOMPARE(loadProfile("tpuv3").memory.onChipBandwidthBytesPerSecond, 0.0);
        // Half a group is an error naming the missing field.
        json half = shippedJson("tpuv4i");
        half["memory"]["on_chip"].erase("bandwidth");
        const std::string e = errorOf(half);
        QVERIFY2(e.find("memory.on_chip.bandwidth") != std::string::npos, e.c_str());
        json unit = shippedJson("tpuv4i");
        unit["memory"]["on_chip"]["capacity"]["unit"] = "GiB";
        QVERIFY(errorOf(unit).find("memory.on_chip.capacity") != std::string::npos);
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
        QTest::newRow("rules of a runtime") << "/fusion"
                                            << "{\"bn\": \"none\"}"
                                            << "\"fusion\"|runtime";
        QTest::newRow("unknown runtime") << "/default_runtime"
                                         << "\"onnx\""
                                         << "default_runtime|unknown runtime|pytorch-eager";
        QTest::newRow("runtime for another kind") << "/default_runtime"
                                                  << "\"tensorrt\""
                                                  << "default_runtime|tensorrt|gpu";
        QTest::newRow("no runtime") << "/default_runtime"
                                    << ""
                                    << "default_runtime|missing";
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
