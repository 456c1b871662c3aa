// The Graph view: two networks block by block, defaults that follow the platform, the
// platform's unit words in hover texts, and exports to SVG, PDF and PNG.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "pages/graphpage.h"
#include "widgets/networkgraph.h"
#include "widgets/platformselector.h"

using namespace archscope;
using namespace archscope::ui;

class TestUiGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsFollowThePlatform() {
        GraphPage page;
        QVERIFY(page.setPlatform("tpuv3"));
        QCOMPARE(page.rightName(), QString("efficientnet-x-tpu-b0"));
        QCOMPARE(page.leftGraph()->blocks().size(), size_t(18));  // B0: stem, 16 blocks, head
        QVERIFY(page.leftGraph()->blockText(1).contains("dw 3×3"));
        QVERIFY(page.setPlatform("a100"));
        QCOMPARE(page.rightName(), QString("efficientnet-x-gpu-b0"));
        QVERIFY(!page.setPlatform("nosuch"));
        // A choice of the user's stays when the platform changes.
        QVERIFY(page.setNetworks("efficientnet-b0", "efficientnet-b1"));
        QVERIFY(page.setPlatform("tpuv3"));
        QCOMPARE(page.rightName(), QString("efficientnet-b1"));
        QVERIFY(!page.setNetworks("efficientnet-b0", "nosuch"));
    }

    void hoverSpeaksThePlatformsWords() {
        GraphPage page;
        QVERIFY(page.setPlatform("tpuv3"));
        QString all;
        for (int i = 0; i < int(page.leftGraph()->blocks().size()); ++i)
            all += page.leftGraph()->blockText(i);
        QVERIFY(all.contains("MXU") || all.contains("VPU"));
        QVERIFY(!all.contains("Tensor Cores"));
        QVERIFY(page.setPlatform("a100"));
        // At batch 1 every B0 block on an A100 waits on memory or on launches: no compute unit
        // bounds one. At 128 the units show, in the GPU's words.
        page.platformSelector()->setBatch(128);
        all.clear();
        for (int i = 0; i < int(page.leftGraph()->blocks().size()); ++i)
            all += page.leftGraph()->blockText(i);
        QVERIFY(!all.contains("MXU") && !all.contains("VPU"));
        QVERIFY(all.contains("Tensor Cores") || all.contains("CUDA cores"));
    }

    void hitTestingFindsTheBlockUnderTheMouse() {
        GraphPage page;
        page.resize(1280, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        NetworkGraph* g = page.leftGraph();
        QCOMPARE(g->blockAt(QPoint(80, 5)), -1);  // the title row
        const int first = g->blockAt(QPoint(80, 44 + 5));
        QCOMPARE(first, 0);  // the stem
    }

    void exportsEachFormat_data() {
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QByteArray>("magic");
        QTest::newRow("svg") << "svg" << QByteArray("<?xml");
        QTest::newRow("pdf") << "pdf" << QByteArray("%PDF");
        QTest::newRow("png") << "png" << QByteArray("\x89PNG");
    }

    void exportsEachFormat() {
        QFETCH(QString, suffix);
        QFETCH(QByteArray, magic);
        QTemporaryDir dir;
        GraphPage page;
        page.resize(1280, 800);
        page.show();
        const QString path = dir.filePath("graph." + suffix);
        QString error;
        QVERIFY2(page.exportTo(path, &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.startsWith(magic));
        if (suffix == "svg") QVERIFY(bytes.contains("block 15"));
        QVERIFY(!page.exportTo(dir.filePath("graph.bmp"), &error));
        QVERIFY(error.contains(".svg"));
    }
};

QTEST_MAIN(TestUiGraph)
#include "tst_ui_graph.moc"
