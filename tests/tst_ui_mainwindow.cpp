// The window as a whole: every view fits a 1280x800 window (nothing clipped, no view forces the
// window wider), and the GUI refuses an unknown --hw, --view or --model with a message and a
// non-zero exit, as the CLI does.
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "mainwindow.h"
#include "pages/trialspage.h"
#include "session.h"
#include "support/cliprocess.h"

using namespace archscope::ui;
using archscope::testing::runGui;

class TestUiMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyViewFitsA1280x800Window() {
        // With a run open: its labels and tables must not push the window wider either.
        QTemporaryDir dir;
        const QString db = dir.filePath("fit.db");
        const auto search = archscope::testing::runCli(
            {"search", "--db", db, "--hw", "tpuv3", "--accuracy", "imagenet", "--budget", "60"});
        QCOMPARE(search.exitCode, 0);
        MainWindow window;
        window.session()->setDatabasePath(db);
        QSignalSpy updated(window.trialsPage(), &TrialsPage::updated);
        window.openRun(1);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY(updated.count() >= 1);
        QTest::qWait(400);  // the throttled replots and summaries
        // Every view with the store loaded (the FLOPs view lists its runs, History its rows).
        for (const QString& id : window.pageIds()) {
            window.showPage(id);
            QTest::qWait(50);
        }
        QTest::qWait(300);
        QCOMPARE(window.size(), QSize(1280, 800));  // its default size, not pushed wider
        auto* stack = window.findChild<QStackedWidget*>();
        QVERIFY(stack);
        for (int i = 0; i < stack->count(); ++i) {
            const QSize need = stack->widget(i)->minimumSizeHint();
            QVERIFY2(need.width() <= stack->width() && need.height() <= stack->height(),
                     qPrintable(QString("%1 needs %2x%3, has %4x%5")
                                    .arg(window.pageIds().value(i))
                                    .arg(need.width())
                                    .arg(need.height())
                                    .arg(stack->width())
                                    .arg(stack->height())));
        }
    }

#ifdef ARCHSCOPE_GUI_PATH
    void unknownNamesAreErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("hw") << QStringList{"--hw", "nosuch", "--view", "compare"} << "nosuch";
        QTest::newRow("view") << QStringList{"--view", "nosuch"} << "unknown view";
        QTest::newRow("model") << QStringList{"--model", "nosuch"} << "unknown model";
    }

    void unknownNamesAreErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        qputenv("QT_QPA_PLATFORM", "offscreen");
        const auto r = runGui(args + QStringList{"--screenshot", "/dev/null"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    }
#endif
};

QTEST_MAIN(TestUiMainWindow)
#include "tst_ui_mainwindow.moc"
