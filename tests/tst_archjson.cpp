// Architecture files: save/load round trip, stable hash, and errors naming the field.
#include <QtTest>
#include <QTemporaryDir>
#include <fstream>
#include <nlohmann/json.hpp>

#include "arch/error.h"
#include "arch/json.h"
#include "zoo/zoo.h"

using namespace archscope;

class TestArchJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripEveryZooModel() {
        for (const auto& name : zooModelNames()) {
            const NetworkSpec spec = *zooSpec(name);
            const NetworkSpec back = networkSpecFromJson(networkSpecToJson(spec));
            QVERIFY2(back == spec, name.c_str());
            QCOMPARE(networkHash(back), networkHash(spec));
        }
    }

    void fileRoundTrip() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("x.json").toStdString();
        const NetworkSpec spec = *zooSpec("efficientnet-x-tpu-b3");
        saveNetworkSpecFile(spec, path);
        QVERIFY(loadNetworkSpecFile(path) == spec);
        QVERIFY(resolveModel(path) == spec);
    }

    void hashIgnoresNameButNotShape() {
        NetworkSpec a = *zooSpec("efficientnet-b0");
        NetworkSpec b = a;
        b.name = "renamed";
        QCOMPARE(networkHash(a), networkHash(b));
        b.scaling.resolution = 256;
        QVERIFY(networkHash(a) != networkHash(b));
        QCOMPARE(networkHash(a).size(), size_t(16));
    }

    void errorsNameTheField_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no blocks") << R"({"name":"x"})" << "\"blocks\"";
        QTest::newRow("bad block") << R"({"blocks":["r1_k3_s1_e1_i3_o3"]})" << "blocks[0]";
        QTest::newRow("wrong type") << R"({"blocks":["r1_k3_s11_e1_i32_o16"],"width":"wide"})"
                                    << "\"width\"";
        QTest::newRow("activation") << R"({"blocks":["r1_k3_s11_e1_i32_o16"],"activation":"tanh"})"
                                    << "tanh";
        QTest::newRow("newer") << R"({"version":99,"blocks":["r1_k3_s11_e1_i32_o16"]})" << "upgrade";
        QTest::newRow("resolution") << R"({"blocks":["r1_k3_s11_e1_i32_o16"],"resolution":1})"
                                    << "resolution";
    }
    void errorsNameTheField() {
        QFETCH(QString, json);
        QFETCH(QString, mentions);
        try {
            networkSpecFromJson(nlohmann::json::parse(json.toStdString()), "test.json");
            QFAIL("expected an ArchError");
        } catch (const ArchError& e) {
            QVERIFY2(QString(e.what()).contains(mentions), e.what());
            QVERIFY2(QString(e.what()).contains("test.json"), e.what());
        }
    }

    void notJsonFile() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad.json").toStdString();
        std::ofstream(path) << "{ not json";
        try {
            loadNetworkSpecFile(path);
            QFAIL("expected an ArchError");
        } catch (const ArchError& e) {
            QVERIFY(QString(e.what()).contains("not valid JSON"));
        }
    }
};

QTEST_GUILESS_MAIN(TestArchJson)
#include "tst_archjson.moc"
