#include "historypage.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <fstream>
#include <sstream>

#include "session.h"
#include "store/export.h"
#include "store/run_state.h"
#include "store/store.h"

namespace archscope::ui {

HistoryPage::HistoryPage(Session* session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_model(new RunsTableModel(this)),
      m_view(new QTableView),
      m_message(new QLabel) {
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(RunsTableModel::Summary, QHeaderView::Stretch);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setAlternatingRowColors(true);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* refreshButton = new QPushButton(tr("Refresh"));
    auto* open = new QPushButton(tr("Open (Pareto, Trials)"));
    auto* resume = new QPushButton(tr("Resume"));
    auto* exportCsv = new QPushButton(tr("Export CSV…"));
    auto* exportJson = new QPushButton(tr("Export JSON…"));
    auto* exportPlotButton = new QPushButton(tr("Export plot…"));
    auto* buttons = new QHBoxLayout;
    for (auto* b : {refreshButton, open, resume, exportCsv, exportJson, exportPlotButton})
        buttons->addWidget(b);
    buttons->addStretch();

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_message);
    layout->addLayout(buttons);
    layout->addWidget(m_view, 1);

    connect(refreshButton, &QPushButton::clicked, this, &HistoryPage::refresh);
    connect(open, &QPushButton::clicked, this, [this] {
        if (qint64 run = selectedRun()) Q_EMIT openRun(run);
    });
    connect(m_view, &QTableView::doubleClicked, this, [this] {
        if (qint64 run = selectedRun()) Q_EMIT openRun(run);
    });
    connect(resume, &QPushButton::clicked, this, [this] {
        if (qint64 run = selectedRun()) Q_EMIT resumeRun(run);
    });
    auto exportAs = [this](const QString& filter, const QString& suffix) {
        const qint64 run = selectedRun();
        if (!run) return;
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export run %1").arg(run),
                                         QStringLiteral("run-%1.%2").arg(run).arg(suffix), filter);
        if (path.isEmpty()) return;
        QString error;
        m_message->setText(exportRun(run, path, &error)
                               ? tr("Exported run %1 to %2").arg(run).arg(path)
                               : tr("Export failed: %1").arg(error));
    };
    connect(exportCsv, &QPushButton::clicked, this, [=] { exportAs(tr("CSV (*.csv)"), "csv"); });
    connect(exportJson, &QPushButton::clicked, this,
            [=] { exportAs(tr("JSON (*.json)"), "json"); });
    connect(exportPlotButton, &QPushButton::clicked, this, &HistoryPage::exportPlot);
    connect(&m_loader, &QFutureWatcher<Loaded>::finished, this, [this] {
        Loaded loaded = m_loader.result();
        const qint64 selected = selectedRun();
        m_model->setRuns(std::move(loaded.runs));
        for (int row = 0; row < m_model->rowCount(); ++row)  // keep the selection across refreshes
            if (selected && m_model->runAt(row)->id == selected) m_view->selectRow(row);
        m_message->setText(
            loaded.error.isEmpty()
                ? tr("%1 runs in %2").arg(m_model->rowCount()).arg(m_session->databasePath())
                : loaded.error);
        Q_EMIT refreshed(m_model->rowCount());
    });
    connect(session, &Session::databaseChanged, this, &HistoryPage::refresh);
    // Another process may be writing a run: follow it while it is active and the page shown.
    m_autoRefresh.setInterval(2000);
    connect(&m_autoRefresh, &QTimer::timeout, this, [this] {
        if (isVisible() && m_model->anyActive() && !m_loader.isRunning()) refresh();
    });
    m_autoRefresh.start();
    refresh();
}

void HistoryPage::refresh() {
    const QString db = m_session->databasePath();
    m_message->setText(tr("Reading %1…").arg(db));
    m_loader.setFuture(QtConcurrent::run([db]() -> Loaded {
        Loaded out;
        if (!QFileInfo::exists(db)) {
            out.error = QObject::tr(
                            "No result store at %1 yet: it is created when the first run "
                            "starts.")
                            .arg(db);
            return out;
        }
        try {
            store::StoreReader reader(db.toStdString());
            for (store::RunRecord& run : reader.listRuns()) {
                RunRow row;
                row.state = store::describeRunState(run, reader.statusHistory(run.id));
                row.best = store::bestOfRun(reader.plotRows(run.id));
                if (run.params.is_object() && run.params.contains("accuracy") &&
                    run.params["accuracy"].is_string())
                    row.metric = QStringLiteral("(%1)").arg(
                        QString::fromStdString(run.params["accuracy"].get<std::string>()));
                row.run = std::move(run);
                out.runs.push_back(std::move(row));
            }
        } catch (const std::exception& e) {
            out.error = QObject::tr("Cannot read %1: %2").arg(db, QString::fromUtf8(e.what()));
        }
        return out;
    }));
}

void HistoryPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!m_loader.isRunning()) refresh();
}

QString HistoryPage::message() const {
    return m_message->text();
}

qint64 HistoryPage::selectedRun() const {
    const auto* run = m_model->runAt(m_view->currentIndex().row());
    return run ? run->id : 0;
}

bool HistoryPage::exportRun(qint64 runId, const QString& path, QString* error) const {
    try {
        store::StoreReader reader(m_session->databasePath().toStdString());
        std::ostringstream text;  // written only when complete: no half files
        if (path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive)) {
            text << store::exportRunJson(reader, runId).dump(2) << "\n";
        } else {
            store::exportRunCsv(reader, runId, text);
        }
        std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
        out << text.str();
        if (!out.flush()) throw std::runtime_error("cannot write " + path.toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
}

}  // namespace archscope::ui
