// The first window: zoo and layer models (checked by QAbstractItemModelTester), selection
// updates the layer table, and the window renders offscreen into a real PNG.
#include <QAbstractItemModelTester>
#include <QImage>
#include <QProcess>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "fileactions.h"
#include "mainwindow.h"
#include "models/layertablemodel.h"
#include "models/zootablemodel.h"
#include "pages/modelspage.h"
#include "screenshot.h"
#include "support/cliprocess.h"
#include "zoo/zoo.h"

using namespace archscope::ui;

class TestUiModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void zooModelIsValid() {
        ZooTableModel zoo;
        QAbstractItemModelTester tester(&zoo,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(zoo.rowCount(), 40);
        const int b0 = zoo.rowOf("efficientnet-b0");
        QCOMPARE(zoo.data(zoo.index(b0, ZooTableModel::Params), Qt::DisplayRole).toString(),
                 QString("5.29"));
        QCOMPARE(zoo.data(zoo.index(b0, ZooTableModel::Top1), Qt::DisplayRole).toString(),
                 QString("77.1"));
        const int x0 = zoo.rowOf("efficientnet-x-tpu-b0");
        QCOMPARE(zoo.data(zoo.index(x0, ZooTableModel::Macs), Qt::DisplayRole).toString(),
                 QString("0.923"));
    }

    void layerModelFollowsSelection() {
        ModelsPage page;
        QAbstractItemModelTester tester(page.layerModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(page.selectModel("efficientnet-x-tpu-b0"));
        LayerTableModel* layers = page.layerModel();
        QCOMPARE(layers->rowCount(), 229);
        QCOMPARE(layers->data(layers->index(3, LayerTableModel::Name), Qt::DisplayRole).toString(),
                 QString("block0/s2d"));
        QCOMPARE(
            layers->data(layers->index(3, LayerTableModel::Output), Qt::DisplayRole).toString(),
            QString("56×56×128"));
        QVERIFY(page.selectModel("resnet-50"));
        QCOMPARE(QString::fromStdString(page.currentSpec().name), QString("resnet-50"));
        QVERIFY(!page.selectModel("no-such-model"));
    }

    void windowRendersToPng() {
        QTemporaryDir dir;
        MainWindow window;
        QVERIFY(window.showPage("models"));
        QVERIFY(!window.showPage("nonexistent"));
        const QString path = dir.filePath("models.png");
        QString error;
        QVERIFY2(saveScreenshot(&window, path, &error), qPrintable(error));
        QImage image(path);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800 && image.height() >= 600);
        // Not a blank image: the table text draws dark pixels on a light background.
        int dark = 0;
        for (int y = 0; y < image.height(); y += 7) {
            for (int x = 0; x < image.width(); x += 7) dark += qGray(image.pixel(x, y)) < 100;
        }
        QVERIFY2(dark > 50, qPrintable(QString("only %1 dark samples").arg(dark)));
    }

    void exportArchitectureByExtension() {
        QTemporaryDir dir;
        const archscope::NetworkSpec spec = *archscope::zooSpec("efficientnet-x-tpu-b0");
        QString error;
        for (const char* name : {"x.json", "x.txt", "x.py"}) {
            QVERIFY2(exportArchitecture(spec, dir.filePath(name), &error), qPrintable(error));
        }
        auto read = [&](const char* name) {
            QFile f(dir.filePath(name));
            f.open(QIODevice::ReadOnly);
            return QString::fromUtf8(f.readAll());
        };
        QVERIFY(read("x.json").contains("\"archscope-network\""));
        QVERIFY(read("x.txt").contains("r1_k3_s11_e1_i32_o16_se0.25_d1_a0"));
        QVERIFY(read("x.py").contains("class Net(nn.Module)"));
        QVERIFY(!exportArchitecture(spec, "/nonexistent-dir/x.json", &error));
        QVERIFY(!error.isEmpty());
    }

    void guiBinaryScreenshotOption() {
#ifdef ARCHSCOPE_GUI_PATH
        QTemporaryDir dir;
        const QString path = dir.filePath("cli.png");
        using archscope::testing::runGui;
        const auto ok = runGui({"--screenshot", path, "--model", "efficientnet-x-tpu-b0"});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QVERIFY(!QImage(path).isNull());
        const auto bogus = runGui({"--screenshot", path, "--view", "bogus"});
        QVERIFY(bogus.exitCode != 0);
        QVERIFY(bogus.err.contains("unknown view"));
#else
        QSKIP("GUI binary not built");
#endif
    }
};

QTEST_MAIN(TestUiModels)
#include "tst_ui_models.moc"
