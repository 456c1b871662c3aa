#pragma once

#include <QFutureWatcher>
#include <QTimer>
#include <QWidget>
#include <vector>

#include "models/runstablemodel.h"

class QLabel;
class QTableView;

namespace archscope::ui {

class Session;

/// The runs of the current result store with how each went (finished / cancelled → resumed →
/// finished / failed / running), its best evaluation, duration and settings: reopen one in the
/// Pareto and Trials views, resume an interrupted one, export its evaluations (CSV / JSON) or its
/// plot (PNG / PDF / SVG). Queries run on a worker thread; while a run is active (here or in
/// another process writing the same store) the list refreshes itself every 2 s while shown. A
/// corrupt or newer database is reported here and never modified.
class HistoryPage : public QWidget {
    Q_OBJECT
public:
    explicit HistoryPage(Session* session, QWidget* parent = nullptr);

    RunsTableModel* model() const { return m_model; }
    void refresh();
    QString message() const;
    qint64 selectedRun() const;
    /// Exports run `runId` to `path` (.csv or .json), on the calling thread; false + reason.
    bool exportRun(qint64 runId, const QString& path, QString* error) const;

Q_SIGNALS:
    void openRun(qint64 runId);
    void resumeRun(qint64 runId);
    void exportPlot();
    void refreshed(int runs);

protected:
    /// Re-reads the list whenever the page is shown: another process may have started a run.
    void showEvent(QShowEvent* event) override;

private:
    struct Loaded {
        std::vector<RunRow> runs;
        QString error;
    };
    Session* m_session;
    RunsTableModel* m_model;
    QTableView* m_view;
    QLabel* m_message;
    QFutureWatcher<Loaded> m_loader;
    QTimer m_autoRefresh;
};

}  // namespace archscope::ui
