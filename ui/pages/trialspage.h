#pragma once

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QTimer>
#include <QWidget>
#include <memory>
#include <vector>

#include "search/importance.h"
#include "search/trials.h"
#include "store/records.h"

class QCheckBox;
class QCPBars;
class QCPGraph;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace archscope::ui {

/// Parameter importance of one run's trials, computed on a worker.
struct ImportanceResult {
    qint64 runId = 0;
    size_t candidates = 0;
    std::vector<ParameterImportance> latency, accuracy;
};

class OrderScatter;
class RunFollower;
class TrialsTableModel;

/// The trials of one run: a sortable, filterable table of every candidate (choices, latency and
/// its source, accuracy and its metric, status, time) beside the accuracy-vs-latency plot
/// (points coloured by evaluation order) and the parameter importance for latency and for
/// accuracy. Row and point are linked both ways by evaluation id. The run is read through a
/// RunFollower, so a run another process is writing grows here live.
class TrialsPage : public QWidget {
    Q_OBJECT
public:
    explicit TrialsPage(QWidget* parent = nullptr);
    ~TrialsPage() override;

    /// Shows run `runId` of `dbPath` and follows it while it runs.
    void showRun(const QString& dbPath, qint64 runId);
    /// Selects the row of an evaluation (and highlights its point); false if it is not shown.
    bool selectEvaluation(qint64 evaluationId);
    qint64 selectedEvaluation() const { return m_selected; }
    /// The evaluation whose point is nearest `pixel` on the plot (within 12 px), or 0.
    qint64 evaluationAt(const QPoint& pixel) const;

    qint64 runId() const;
    TrialsTableModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QTableView* view() const { return m_view; }
    QCustomPlot* plot() const { return m_plot; }
    QCustomPlot* importancePlot() const { return m_importancePlot; }
    RunFollower* follower() const { return m_follower; }
    const std::vector<ParameterImportance>& importance(Objective objective) const {
        return objective == Objective::Latency ? m_latencyImportance : m_accuracyImportance;
    }
    const store::RunRecord& run() const { return m_run; }

Q_SIGNALS:
    /// The user picked a trial (row or point).
    void evaluationSelected(qint64 evaluationId);
    /// Trials arrived and the page is up to date with them.
    void updated(int trials);

private:
    void buildWidgets();
    void connectWidgets();
    void onTrials(qint64 runId, const std::vector<Trial>& trials);
    void refresh();
    void rebuildScatter();
    void startImportance();
    void showImportance(const ImportanceResult& result);
    void updateHighlight();
    void updateSummary();

    RunFollower* m_follower;
    TrialsTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    QLineEdit* m_filter;
    QCheckBox* m_candidatesOnly;
    QLabel* m_summary;
    QCustomPlot* m_plot;
    std::unique_ptr<OrderScatter> m_scatter;  // its graphs belong to m_plot, it does not
    QCPGraph* m_front = nullptr;
    QCPGraph* m_references = nullptr;
    QCPGraph* m_highlight = nullptr;
    QCustomPlot* m_importancePlot;
    QCPBars* m_latencyBars = nullptr;
    QCPBars* m_accuracyBars = nullptr;
    QTimer m_refresh;
    QElapsedTimer m_importanceClock;
    QFutureWatcher<ImportanceResult> m_importanceWatcher;
    bool m_dirty = false;
    bool m_importanceDirty = false;
    bool m_rescale = true;
    qint64 m_selected = 0;
    store::RunRecord m_run;
    QString m_metric;  ///< what the accuracy column is, in full
    std::vector<ParameterImportance> m_latencyImportance, m_accuracyImportance;
};

}  // namespace archscope::ui
