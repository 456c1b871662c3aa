// The validation view: every shipped table is validated off the GUI thread and listed (the model
// passes the model tester); fit and held-out tables are told apart; a runtime override
// recomputes (and the latest request wins); a selected table shows its scatter and source.
#include <QAbstractItemModelTester>
#include <QImage>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include "support/cliprocess.h"

#include "hw/validation.h"
#include "models/validationtablemodel.h"
#include "pages/validationpage.h"
#include "plots/qcp.h"

using namespace archscope;
using namespace archscope::ui;

namespace {

constexpr int kTimeoutMs = 60000;

/// Median |error| by table name, for the tables that were validated.
QMap<QString, double> mediansOf(const ValidationTableModel* model) {
    QMap<QString, double> out;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QVariant v = model->index(row, ValidationTableModel::MedianError).data(Qt::UserRole);
        if (v.isValid())
            out.insert(model->index(row, ValidationTableModel::Name).data().toString(),
                       v.toDouble());
    }
    return out;
}

}  // namespace

class TestUiValidation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pageFillsEveryShippedTable() {
        ValidationPage page;
        ValidationTableModel* model = page.tableModel();
        QAbstractItemModelTester tester(model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy computed(&page, &ValidationPage::computed);
        QTRY_COMPARE_WITH_TIMEOUT(computed.count(), 1, kTimeoutMs);
        const auto names = listValidationTables();
        QCOMPARE(model->rowCount(), int(names.size()));
        QCOMPARE(model->columnCount(), int(ValidationTableModel::ColumnCount));
        int fit = 0, heldOut = 0;
        for (int row = 0; row < model->rowCount(); ++row) {
            const ValidationEntry* e = model->entry(row);
            QCOMPARE(model->index(row, ValidationTableModel::Name).data().toString(),
                     QString::fromStdString(names[size_t(row)]));
            // Each table under its own runtime, and every shipped one validates.
            QVERIFY2(e->outcome.skipped.empty(), e->outcome.skipped.c_str());
            QCOMPARE(model->index(row, ValidationTableModel::Runtime).data().toString(),
                     QString::fromStdString(e->table.runtime));
            QCOMPARE(model->index(row, ValidationTableModel::Count).data().toInt(),
                     int(e->table.rows.size()));
            const double median =
                model->index(row, ValidationTableModel::MedianError).data(Qt::UserRole).toDouble();
            QCOMPARE(median, e->outcome.result.medianAbsErrorPercent);
            // The mark follows the core's rule.
            const QString tau = model->index(row, ValidationTableModel::TauModel).data().toString();
            QCOMPARE(tau.contains(QStringLiteral("▼")), modelRanksBelowProxy(e->outcome.result));
            // The role is shown, and fit rows are muted.
            const QString role = model->index(row, ValidationTableModel::Role).data().toString();
            const QVariant color =
                model->index(row, ValidationTableModel::Name).data(Qt::ForegroundRole);
            if (e->table.role == "fit") {
                ++fit;
                QCOMPARE(role, QString("fit"));
                QCOMPARE(color.value<QColor>(), ValidationTableModel::fitRowColor());
            } else {
                ++heldOut;
                QCOMPARE(role, QString("held out"));
                QVERIFY(!color.isValid());
            }
        }
        QVERIFY(fit > 0);
        QVERIFY(heldOut > 0);
        QVERIFY(page.statusText().contains(QString("%1 fit").arg(fit)));

        // The first table is selected: its scatter holds one point per row, with its source.
        QCOMPARE(page.selectedRow(), 0);
        const ValidationEntry* first = model->entry(0);
        QCustomPlot* plot = page.scatterPlot();
        QCPGraph* points = plot->graph(plot->graphCount() - 1);
        QCOMPARE(points->data()->size(), int(first->table.rows.size()));
        QCOMPARE(plot->xAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(plot->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(page.detailsText().contains(QString::fromStdString(first->table.software)));
        QVERIFY(page.detailsText().contains("runtime"));

        // Another row: the scatter follows.
        const int last = model->rowCount() - 1;
        page.selectRow(last);
        QCOMPARE(page.selectedRow(), last);
        points = plot->graph(plot->graphCount() - 1);
        QCOMPARE(points->data()->size(), int(model->entry(last)->table.rows.size()));
        QVERIFY(
            page.detailsText().contains(QString::fromStdString(model->entry(last)->table.title)));
    }

    void runtimeOverrideRecomputes() {
        ValidationPage page;
        QAbstractItemModelTester tester(page.tableModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy computed(&page, &ValidationPage::computed);
        QTRY_COMPARE_WITH_TIMEOUT(computed.count(), 1, kTimeoutMs);
        const auto own = mediansOf(page.tableModel());
        QVERIFY(!own.isEmpty());
        QVERIFY(!page.setRuntimeOverride("no-such-runtime"));

        // Two requests in a row: only the latest is shown.
        QVERIFY(page.setRuntimeOverride("xla"));
        QVERIFY(page.setRuntimeOverride("pytorch-eager"));
        QTRY_VERIFY_WITH_TIMEOUT(computed.count() >= 2, kTimeoutMs);
        QTest::qWait(200);  // a stale result, were it delivered, would arrive by now
        QCOMPARE(computed.count(), 2);
        const ValidationTableModel* model = page.tableModel();
        for (int row = 0; row < model->rowCount(); ++row) {
            QCOMPARE(model->index(row, ValidationTableModel::Runtime).data().toString(),
                     QString("pytorch-eager"));
        }
        const auto eager = mediansOf(model);
        QCOMPARE(eager.size(), own.size());
        int changed = 0;
        for (auto it = own.cbegin(); it != own.cend(); ++it)
            changed += qAbs(eager.value(it.key()) - it.value()) > 1e-9;
        QVERIFY2(changed > 0, "no table's median error changed under pytorch-eager");

        // Back to each table's own runtime: the first figures again.
        QVERIFY(page.setRuntimeOverride(QString()));
        QTRY_COMPARE_WITH_TIMEOUT(computed.count(), 3, kTimeoutMs);
        QCOMPARE(mediansOf(model), own);
    }

    void screenshotOption() {
#ifdef ARCHSCOPE_GUI_PATH
        QTemporaryDir dir;
        const QString path = dir.filePath("validation.png");
        const archscope::testing::Run r =
            archscope::testing::runGui({"--screenshot", path, "--view", "validation"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!QImage(path).isNull());
#else
        QSKIP("GUI binary not built");
#endif
    }
};

QTEST_MAIN(TestUiValidation)
#include "tst_ui_validation.moc"
