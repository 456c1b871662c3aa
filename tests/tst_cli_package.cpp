// The install rules as a packager uses them: `cmake --install` into a scratch prefix, then the
// installed files are checked and the INSTALLED archscope-cli must find the installed resources.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run {
    int exitCode;
    QByteArray out;
    QByteArray err;
};

Run runProgram(const QString& program, const QStringList& args,
               const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForFinished(300000)) p.kill();
    p.waitForFinished();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QString sourceResources() {
    return QStringLiteral(ARCHSCOPE_TEST_DATA_DIR "/../../resources");
}

/// An environment in which only the installed copy can supply resources through the variable.
QProcessEnvironment cleanEnvironment() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("ARCHSCOPE_RESOURCE_DIR");
    return env;
}

}  // namespace

class TestCliPackage : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_prefix;
    QString path(const QString& relative) const { return m_prefix.filePath(relative); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(m_prefix.isValid());
        Run r = runProgram(ARCHSCOPE_CMAKE_COMMAND,
                           {"--install", ARCHSCOPE_BUILD_DIR, "--prefix", m_prefix.path()});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
    }

    void installedFiles_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("cli") << "bin/archscope-cli";
        QTest::newRow("copyright") << "share/doc/archscope/copyright";
        QTest::newRow("changelog") << "share/doc/archscope/changelog.gz";
        QTest::newRow("cli man page") << "share/man/man1/archscope-cli.1.gz";
#ifdef ARCHSCOPE_GUI_PATH
        const QString id = QStringLiteral(ARCHSCOPE_APP_ID);
        QTest::newRow("gui") << "bin/archscope";
        QTest::newRow("gui man page") << "share/man/man1/archscope.1.gz";
        QTest::newRow("desktop") << "share/applications/" + id + ".desktop";
        QTest::newRow("metainfo") << "share/metainfo/" + id + ".metainfo.xml";
        QTest::newRow("svg icon") << "share/icons/hicolor/scalable/apps/" + id + ".svg";
        for (const char* size : {"48x48", "128x128", "256x256"}) {
            QTest::newRow(size) << QString("share/icons/hicolor/%1/apps/%2.png").arg(size, id);
        }
#endif
    }
    void installedFiles() {
        QFETCH(QString, file);
        QVERIFY2(QFileInfo::exists(path(file)), qPrintable(file));
    }

    void resourcesInstalled_data() {
        QTest::addColumn<QString>("folder");
        QTest::newRow("profiles") << "profiles";
        QTest::newRow("spaces") << "spaces";
    }
    void resourcesInstalled() {
        QFETCH(QString, folder);
        const QStringList shipped =
            QDir(sourceResources() + "/" + folder).entryList({"*.json"}, QDir::Files, QDir::Name);
        if (shipped.isEmpty()) QSKIP("the source tree has no resources of this kind yet");
        const QStringList installed =
            QDir(path("share/archscope/" + folder)).entryList({"*.json"}, QDir::Files, QDir::Name);
        QCOMPARE(installed, shipped);
    }

    /// The man page is the CLI's own help: every command the top-level help lists is in it.
    void manPageComesFromTheHelp() {
        Run help = runProgram(path("bin/archscope-cli"), {"--help"}, cleanEnvironment());
        QCOMPARE(help.exitCode, 0);
        Run page = runProgram("gzip", {"-dc", path("share/man/man1/archscope-cli.1.gz")});
        QCOMPARE(page.exitCode, 0);
        QVERIFY(page.out.contains(".TH "));  // a roff man page
        for (const char* command : {"search", "compare", "calibrate", "lacs"}) {
            QVERIFY2(help.out.contains(command), command);
            QVERIFY2(page.out.contains(command), command);
        }
        QVERIFY(page.out.contains(ARCHSCOPE_VERSION));
        QFile copyright(path("share/doc/archscope/copyright"));
        QVERIFY(copyright.open(QIODevice::ReadOnly));
        QVERIFY(copyright.readAll().contains("License: Apache-2.0"));
    }

    void installedCliRuns() {
        Run r = runProgram(path("bin/archscope-cli"), {"zoo", "--json"}, cleanEnvironment());
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["models"].toArray().size(), 40);
        r = runProgram(path("bin/archscope-cli"), {"--version"}, cleanEnvironment());
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(ARCHSCOPE_VERSION) && r.out.contains("SQLite"), r.out.constData());
    }

    /// Every profile the installed CLI loads must come from <prefix>/share/archscope, which the
    /// lookup order puts before the source tree's resources/.
    void installedCliFindsInstalledProfiles() {
        if (QDir(sourceResources() + "/profiles").entryList({"*.json"}).isEmpty()) {
            QSKIP("no platform profiles in resources/profiles yet");
        }
        Run r = runProgram(path("bin/archscope-cli"), {"profiles", "--json"}, cleanEnvironment());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonDocument doc = QJsonDocument::fromJson(r.out);
        const QJsonArray profiles =
            doc.isArray() ? doc.array() : doc.object()["profiles"].toArray();
        QVERIFY(!profiles.isEmpty());
        const QString installedDir = QDir(path("share/archscope/profiles")).canonicalPath();
        for (const auto& p : profiles) {
            const QString file = QFileInfo(p.toObject()["file"].toString()).canonicalFilePath();
            QVERIFY2(file.startsWith(installedDir), qPrintable(file));
        }
    }

#ifdef ARCHSCOPE_GUI_PATH
    void metainfoValidates() {
        const QString appstream = QStandardPaths::findExecutable("appstreamcli");
        if (appstream.isEmpty()) QSKIP("appstreamcli not installed (Debian package appstream)");
        const QString file = path("share/metainfo/" ARCHSCOPE_APP_ID ".metainfo.xml");
        Run r = runProgram(appstream, {"validate", "--no-net", file});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
    }

    void desktopFileLaunchesTheInstalledApp() {
        QFile f(path("share/applications/" ARCHSCOPE_APP_ID ".desktop"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.startsWith("[Desktop Entry]\n"));
        QVERIFY(text.contains("\nExec=archscope\n"));
        QVERIFY(text.contains("\nIcon=" ARCHSCOPE_APP_ID "\n"));
        QVERIFY(text.contains("\nType=Application\n"));
        const QString validator = QStandardPaths::findExecutable("desktop-file-validate");
        if (!validator.isEmpty()) {
            Run r = runProgram(validator, {f.fileName()});
            QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        }
    }

    void installedGuiPrintsVersions() {
        QProcessEnvironment env = cleanEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        Run r = runProgram(path("bin/archscope"), {"--version"}, env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(
            r.out.contains(ARCHSCOPE_VERSION) && r.out.contains("Qt ") && r.out.contains("SQLite"),
            r.out.constData());
    }
#endif
};

QTEST_GUILESS_MAIN(TestCliPackage)
#include "tst_cli_package.moc"
