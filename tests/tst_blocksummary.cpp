// The block chain behind the Graph view: stem, blocks and head with their ops, shapes, costs and
// predicted time split by bound; and the platforms' own words for their units.
#include <QTest>
#include <cmath>

#include "arch/expand.h"
#include "hw/blocksummary.h"
#include "hw/profile_io.h"
#include "zoo/zoo.h"

using namespace archscope;

class TestBlockSummary : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void efficientNetB0OnTpu() {
        const Profile tpu = loadProfile("tpuv3");
        const auto layers = expandLayers(buildNetwork(*zooSpec("efficientnet-b0")), 8);
        const auto groups = predictGroups(tpu, layers, Dtype::Bf16);
        const auto blocks = summarizeBlocks(layers, groups);
        QCOMPARE(blocks.size(), size_t(18));  // stem, 16 blocks, head
        QCOMPARE(blocks.front().label, std::string("stem"));
        QCOMPARE(blocks.back().label, std::string("head"));
        QCOMPARE(blocks[1].label, std::string("block 0"));  // 0-based, as the IR
        // Block 0 has expansion 1: no expand conv, straight to the depthwise one.
        QCOMPARE(blocks[1].ops, std::string("dw 3×3 → SE → 1×1"));
        QCOMPARE(blocks[2].ops, std::string("1×1 → dw 3×3 → SE → 1×1"));
        QCOMPARE(blocks.front().in, (Shape{8, 224, 224, 3}));
        QCOMPARE(blocks[1].in, blocks.front().out);  // the chain is connected
        int64_t macs = 0;
        double seconds = 0.0, groupSeconds = 0.0;
        for (const auto& b : blocks) {
            macs += b.macs;
            seconds += b.seconds;
            double parts = 0.0;
            for (double s : b.secondsByBound) parts += s;
            QVERIFY(std::abs(parts - b.seconds) <= 1e-12 * std::max(1.0, b.seconds));
            QCOMPARE(b.secondsByBound[size_t(b.bound)],
                     *std::max_element(b.secondsByBound.begin(), b.secondsByBound.end()));
        }
        for (const auto& g : groups) groupSeconds += g.seconds;
        QCOMPARE(macs, totalCost(layers).macs);
        QVERIFY(std::abs(seconds - groupSeconds) < 1e-12);
    }

    void unitWordsFollowThePlatform_data() {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QString>("matrix");
        QTest::addColumn<QString>("vector");
        QTest::newRow("tpu") << "tpuv3"
                             << "MXU"
                             << "VPU";
        QTest::newRow("gpu") << "a100"
                             << "Tensor Cores"
                             << "CUDA cores";
        QTest::newRow("cpu") << "cpu"
                             << "FMA units"
                             << "vector units";
    }

    void unitWordsFollowThePlatform() {
        QFETCH(QString, profile);
        QFETCH(QString, matrix);
        QFETCH(QString, vector);
        const Profile p = loadProfile(profile.toStdString());
        QCOMPARE(QString::fromStdString(unitName(p, Bound::Matrix)), matrix);
        QCOMPARE(QString::fromStdString(unitName(p, Bound::Vector)), vector);
        QCOMPARE(unitName(p, Bound::Overhead), std::string("overhead"));
    }
};

QTEST_GUILESS_MAIN(TestBlockSummary)
#include "tst_blocksummary.moc"
