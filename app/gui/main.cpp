// archscope: the GUI. Wiring only: parse options, build the main window, optionally screenshot.
#include <sqlite3.h>
#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QMessageBox>
#include <QTimer>
#include <cstdio>

#ifdef ARCHSCOPE_HAS_TORCH
#include "torch/evaluator_registry.h"
#include "torch/measure.h"
#endif
#include "arch/network.h"
#include "hw/profile_io.h"
#include "mainwindow.h"
#include "models/trialstablemodel.h"
#include "pages/lacspage.h"
#include "pages/modelspage.h"
#include "pages/trialspage.h"
#include "pages/validationpage.h"
#include "runfollower.h"
#include "screenshot.h"
#include "search/plugins.h"
#include "session.h"
#include "widgets/platformselector.h"

namespace {

/// The version and the runtime versions of Qt, SQLite and (when linked) LibTorch.
QString versionText() {
    QString text =
        QStringLiteral(ARCHSCOPE_VERSION "\nQt %1 (built with " QT_VERSION_STR ")\nSQLite %2\n")
            .arg(QString::fromLatin1(qVersion()), QString::fromLatin1(sqlite3_libversion()));
#ifdef ARCHSCOPE_HAS_TORCH
    return text +
           QStringLiteral("LibTorch %1").arg(QString::fromStdString(archscope::libtorchVersion()));
#else
    return text + QStringLiteral("LibTorch: not linked into the GUI");
#endif
}

/// --batch N: the batch every view starts at; 0 (after a message) when N is not in the views'
/// range.
int parseBatch(const QString& text) {
    bool ok = false;
    const int batch = text.toInt(&ok);
    if (ok && batch >= 1 && batch <= archscope::ui::PlatformSelector::kMaxViewBatch) return batch;
    std::fprintf(stderr, "archscope: error: --batch %s: expected a whole number in 1..%d\n",
                 qPrintable(text), archscope::ui::PlatformSelector::kMaxViewBatch);
    return 0;
}

/// Runs the event loop until `sender` emits `signal` or `ms` pass.
template <typename Sender, typename Signal>
void waitFor(Sender* sender, Signal signal, int ms) {
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, &QEventLoop::quit);
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

/// --screenshot: waits for what the current page computes on a worker, renders it into `file`.
int shootAndExit(archscope::ui::MainWindow& window, const QString& file, bool runGiven) {
    // The validation view computes on a worker: shoot what it shows once it has arrived.
    archscope::ui::ValidationPage* validation = window.validationPage();
    if (window.currentPage() == QLatin1String("validation") && validation->busy())
        waitFor(validation, &archscope::ui::ValidationPage::computed, 60000);
    // So does the LACS view (it started when its page was shown).
    archscope::ui::LacsPage* lacs = window.lacsPage();
    if (window.currentPage() == QLatin1String("lacs") && lacs->busy())
        waitFor(lacs, &archscope::ui::LacsPage::computed, 120000);
    // Trials and Pareto read a --run through the store on a worker: wait for the first batch.
    archscope::ui::TrialsPage* trials = window.trialsPage();
    if (runGiven && trials->model()->rowCount() == 0) {
        QEventLoop loop;
        QObject::connect(trials, &archscope::ui::TrialsPage::updated, &loop, &QEventLoop::quit);
        QObject::connect(trials->follower(), &archscope::ui::RunFollower::failed, &loop,
                         &QEventLoop::quit);
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
        QTimer::singleShot(400, &loop, &QEventLoop::quit);  // one throttled replot
        loop.exec();
    }
    QString error;
    if (!archscope::ui::saveScreenshot(&window, file, &error)) {
        std::fprintf(stderr, "archscope: error: screenshot failed: %s\n", qPrintable(error));
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setStyle(QStringLiteral("Fusion"));  // the same look on every desktop
    QApplication::setApplicationName(QStringLiteral("archscope"));
    QApplication::setOrganizationDomain(QStringLiteral("archscope.org"));
    QApplication::setApplicationVersion(versionText());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Platform-aware neural architecture explorer"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Render a view offscreen into FILE.png and exit."),
                                  QStringLiteral("FILE.png"));
    QCommandLineOption view(QStringLiteral("view"), QStringLiteral("The page to show."),
                            QStringLiteral("NAME"), QStringLiteral("models"));
    QCommandLineOption model(QStringLiteral("model"), QStringLiteral("The zoo model to select."),
                             QStringLiteral("NAME"));
    QCommandLineOption db(QStringLiteral("db"),
                          QStringLiteral("The result store (default: the user data folder's)."),
                          QStringLiteral("FILE"));
    QCommandLineOption hw(QStringLiteral("hw"),
                          QStringLiteral("The platform profile to start with."),
                          QStringLiteral("PROFILE"));
    QCommandLineOption run(QStringLiteral("run"),
                           QStringLiteral("A stored run to open in the Pareto view (with --db)."),
                           QStringLiteral("ID"));
    QCommandLineOption batch(
        QStringLiteral("batch"),
        QStringLiteral("The batch every view starts at (default %1, as archscope-cli's --batch).")
            .arg(archscope::kDefaultBatch),
        QStringLiteral("N"));
    QCommandLineOption lecture(QStringLiteral("lecture"),
                               QStringLiteral("Start in lecture mode: the guided tour beside the "
                                              "views, large fonts (View menu, F9)."));
    parser.addOptions({screenshot, view, model, db, hw, run, batch, lecture});
    parser.process(app);

    // Everything the GUI's jobs can use is plugged in here, explicitly (no static registrars).
    archscope::registerCorePlugins();  // run kinds search + lacs, the imagenet estimator
#ifdef ARCHSCOPE_HAS_TORCH
    archscope::registerTorchEvaluators();  // proxy / zero-cost accuracy, cpu / cuda measurement
#endif
    if (parser.isSet(hw)) {
        // The same check as the CLI's --hw: a profile that does not load is an error, not tpuv3.
        try {
            archscope::loadProfile(parser.value(hw).toStdString());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "archscope: error: --hw %s: %s\n", qPrintable(parser.value(hw)),
                         e.what());
            return 2;
        }
    }
    const int startBatch =
        parser.isSet(batch) ? parseBatch(parser.value(batch)) : archscope::kDefaultBatch;
    if (startBatch == 0) return 2;
    archscope::ui::MainWindow window;
    window.session()->setBatch(startBatch);
    if (parser.isSet(db)) window.session()->setDatabasePath(parser.value(db));
    if (parser.isSet(hw)) window.session()->setProfileName(parser.value(hw));
    if (parser.isSet(run)) window.openRun(parser.value(run).toLongLong());
    // The tour opens its first step; an explicit --view still wins.
    if (parser.isSet(lecture)) window.setLectureMode(true);
    if ((!parser.isSet(lecture) || parser.isSet(view)) && !window.showPage(parser.value(view))) {
        std::fprintf(stderr, "archscope: error: unknown view \"%s\"; known: %s\n",
                     qPrintable(parser.value(view)), qPrintable(window.pageIds().join(", ")));
        return 2;
    }
    if (parser.isSet(model) && !window.modelsPage()->selectModel(parser.value(model))) {
        std::fprintf(stderr, "archscope: error: unknown model \"%s\" (see archscope-cli zoo)\n",
                     qPrintable(parser.value(model)));
        return 2;
    }
    if (parser.isSet(screenshot))
        return shootAndExit(window, parser.value(screenshot), parser.isSet(run));
    window.show();
    return app.exec();
}
