// Lecture mode: the tour drives the views step by step, fonts grow for a projector and shrink
// back, and the current view's plots export as SVG files for slides.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "lecturepanel.h"
#include "mainwindow.h"
#include "models/comparetablemodel.h"
#include "pages/comparepage.h"
#include "plots/qcp.h"
#include "session.h"
#include "widgets/platformselector.h"

using namespace archscope::ui;

class TestUiLecture : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tourDrivesTheViews() {
        MainWindow window;
        window.show();
        auto* plot = window.comparePage()->familyPlot();
        const double before = plot->xAxis->labelFont().pointSizeF();
        window.setLectureMode(true);
        QVERIFY(plot->xAxis->labelFont().pointSizeF() > before * 1.3);
        QCOMPARE(window.size(), QSize(1280, 800));         // the tour fits beside every view
        QCOMPARE(window.currentPage(), QString("flops"));  // step 1: FLOPs vs latency
        QCOMPARE(window.session()->profileName(), QString("tpuv3"));
        window.lecturePanel()->goTo(1);
        QCOMPARE(window.currentPage(), QString("breakdown"));
        const int last = int(LecturePanel::steps().size()) - 1;
        window.lecturePanel()->goTo(last);  // other platforms: a GPU
        QCOMPARE(window.currentPage(), QString("compare"));
        QCOMPARE(window.session()->profileName(), QString("a100"));
        QCOMPARE(window.session()->batch(), 128);  // the GPU step is about throughput
        QCOMPARE(window.comparePage()->platformSelector()->batch(), 128);
        QCOMPARE(window.comparePage()->tableModel()->b().name,
                 std::string("efficientnet-x-gpu-b0"));

        QTemporaryDir dir;
        QString error;
        const QStringList files = window.exportCurrentPlots(dir.path(), &error);
        QVERIFY2(!files.isEmpty(), qPrintable(error));
        for (const QString& f : files) {
            QFile svg(f);
            QVERIFY(svg.open(QIODevice::ReadOnly));
            QVERIFY(svg.read(5) == "<?xml");
        }
        window.lecturePanel()->goTo(2);          // the graph view exports its own drawing
        QCOMPARE(window.session()->batch(), 1);  // back on the TPU steps: one image again
        QCOMPARE(window.exportCurrentPlots(dir.path(), &error).size(), 1);

        window.setLectureMode(false);
        QVERIFY(std::abs(plot->xAxis->labelFont().pointSizeF() - before) < 0.01);
    }
};

QTEST_MAIN(TestUiLecture)
#include "tst_ui_lecture.moc"
