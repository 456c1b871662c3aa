// `--json` purity: every command's --json prints exactly one JSON document on stdout (sweep and
// resume: one JSON event per line), whatever it says on stderr.
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include "support/cliprocess.h"

using archscope::testing::runCli;

class TestCliJsonPurity : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const char* name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void oneDocument_data() {
        QTest::addColumn<QStringList>("args");  // "@" is replaced by the test's folder
        QTest::addColumn<bool>("lines");        // JSON lines (an event stream) instead of one
        auto row = [](const char* name, QStringList a, bool lines = false) {
            QTest::newRow(name) << a << lines;
        };
        row("zoo", {"zoo"});
        row("show", {"show", "efficientnet-b0"});
        row("profiles", {"profiles"});
        row("runtimes", {"runtimes"});
        row("predict", {"predict", "efficientnet-b0", "--hw", "tpuv3"});
        row("compare", {"compare", "--family", "efficientnet", "--family", "efficientnet-x-tpu",
                        "--hw", "tpuv3"});
        row("estimate", {"estimate", "efficientnet-b0", "--accuracy", "imagenet"});
        row("spaces", {"spaces"});
        row("validate", {"validate"});
        row("search", {"search", "--space", "efficientnet-x", "--hw", "tpuv3", "--accuracy",
                       "imagenet", "--budget", "5", "--db", "@/s.db"});
        row("lacs", {"lacs", "--base", "efficientnet-b0", "--hw", "tpuv3", "--db", "@/l.db"});
        row("sweep", {"sweep", "--models", "efficientnet-b0", "--db", "@/w.db"}, true);
        row("runs", {"runs", "--db", "@/w.db"});
        row("import", {"import", "@/m.json", "--db", "@/i.db"});
#if ARCHSCOPE_CLI_HAS_TORCH
        if (QFile::exists("/usr/share/datasets/fashion-mnist")) {  // dataset-fashion-mnist
            // About a second of training (256 images, one epoch); the reuse and --info print the
            // stored metadata.
            const QStringList train = {
                "supernet", "--space", "efficientnet-x", "--out", "@/x.supernet",
                "--subset", "256",     "--train-batch",  "32",    "--epochs",
                "1"};
            row("supernet train", train);
            row("supernet reuse", train);
            row("supernet info", {"supernet", "--info", "@/x.supernet"});
        }
#endif
    }

    void oneDocument() {
        QFETCH(QStringList, args);
        QFETCH(bool, lines);
        QFile measure(path("m.json"));
        QVERIFY(measure.open(QIODevice::WriteOnly));
        measure.write(
            R"({"context":{"batch":1,"device":"cpu"},"models":[{"name":"efficientnet-b0","median_ms":5}]})");
        measure.close();
        for (QString& a : args) a.replace("@", m_dir.path());
        args << "--json";
        const auto r = runCli(args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QList<QByteArray> docs = lines ? r.out.trimmed().split('\n') : QList{r.out};
        QVERIFY(!docs.isEmpty());
        for (const QByteArray& doc : docs) {
            QJsonParseError error;
            QJsonDocument::fromJson(doc, &error);  // trailing text is an error too
            QVERIFY2(error.error == QJsonParseError::NoError,
                     (error.errorString().toUtf8() + ": " + doc.left(300)).constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestCliJsonPurity)
#include "tst_cli_jsonpurity.moc"
