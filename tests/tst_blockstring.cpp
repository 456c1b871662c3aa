// Block-string grammar: round trips, every option, and errors that name the problem.
#include <QtTest>

#include "arch/blockstring.h"
#include "arch/error.h"

using namespace archscope;

class TestBlockString : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data() {
        QTest::addColumn<QString>("text");
        for (const char* s : {"r1_k3_s11_e1_i32_o16_se0.25", "r2_k3_s22_e6_i16_o24_se0.25_f1_d2_a1",
                              "r1_k3_s11_e1_i32_o16_se0.25_d1_a0", "r4_k5_s22_e6_i112_o192_se0.25_a0",
                              "r3_k3_s22_e4_i256_o512_b1", "r1_k7_s12_e3_i8_o8_se0.125_a2_noskip",
                              "r2_k3_s11_e1_i16_o16"}) {
            QTest::newRow(s) << QString(s);
        }
    }
    void roundTrip() {
        QFETCH(QString, text);
        const std::string s = text.toStdString();
        QCOMPARE(QString::fromStdString(formatBlockString(parseBlockString(s))), text);
    }

    void fields() {
        BlockArgs a = parseBlockString("r2_k5_s21_e6_i24_o40_se0.25_f1_d1_a1_noskip");
        QCOMPARE(a.repeats, 2);
        QCOMPARE(a.kernel, 5);
        QCOMPARE(a.strideH, 2);
        QCOMPARE(a.strideW, 1);
        QCOMPARE(a.expand, 6);
        QCOMPARE(a.inFilters, 24);
        QCOMPARE(a.outFilters, 40);
        QVERIFY(a.seRatio.has_value());
        QCOMPARE(*a.seRatio, 0.25);
        QVERIFY(a.type == BlockType::FusedMBConv);
        QCOMPARE(a.spaceToDepth, 1);
        QVERIFY(a.activation == Activation::Swish);
        QVERIFY(!a.idSkip);
        QVERIFY(a.hasSe());
    }

    void defaults() {
        BlockArgs a = parseBlockString("k3_r1_s11_e1_i32_o16");  // any order parses
        QVERIFY(!a.seRatio);
        QVERIFY(!a.activation);
        QVERIFY(a.idSkip);
        QVERIFY(a.type == BlockType::MBConv);
        QCOMPARE(QString::fromStdString(formatBlockString(a)), QString("r1_k3_s11_e1_i32_o16"));
    }

    void errors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << "" << "empty";
        QTest::newRow("one stride digit") << "r1_k3_s1_e1_i32_o16" << "\"s1\"";
        QTest::newRow("zero stride") << "r1_k3_s01_e1_i32_o16" << "stride";
        QTest::newRow("unknown") << "r1_k3_s11_e1_i32_o16_x5" << "unknown option";
        QTest::newRow("missing o") << "r1_k3_s11_e1_i32" << "missing option \"o\"";
        QTest::newRow("bad se") << "r1_k3_s11_e1_i32_o16_se1.5" << "(0, 1]";
        QTest::newRow("se text") << "r1_k3_s11_e1_i32_o16_seabc" << "\"seabc\"";
        QTest::newRow("double underscore") << "r1__k3_s11_e1_i32_o16" << "empty option";
        QTest::newRow("duplicate") << "r1_r2_k3_s11_e1_i32_o16" << "twice";
        QTest::newRow("bad d") << "r1_k3_s11_e1_i32_o16_d3" << "d1";
        QTest::newRow("bad a") << "r1_k3_s11_e1_i32_o16_a9" << "swish";
        QTest::newRow("noskip value") << "r1_k3_s11_e1_i32_o16_noskip1" << "noskip";
        QTest::newRow("fused bottleneck") << "r1_k3_s11_e4_i32_o16_f1_b1" << "both";
        QTest::newRow("trailing junk") << "r1_k3x_s11_e1_i32_o16" << "\"k3x\"";
        QTest::newRow("zero repeats") << "r0_k3_s11_e1_i32_o16" << "repeats";
    }
    void errors() {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        try {
            parseBlockString(text.toStdString());
            QFAIL("expected an ArchError");
        } catch (const ArchError& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(mentions), qPrintable(message));
            if (!text.isEmpty()) QVERIFY2(message.contains(text), qPrintable(message));
        }
    }
};

QTEST_GUILESS_MAIN(TestBlockString)
#include "tst_blockstring.moc"
