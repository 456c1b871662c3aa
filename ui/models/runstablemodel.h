#pragma once

#include <QAbstractTableModel>
#include <optional>
#include <vector>

#include "store/records.h"
#include "store/run_state.h"

namespace archscope::ui {

/// One run as History lists it: the record, how it went, and its best evaluation.
struct RunRow {
    store::RunRecord run;
    store::RunState state;
    std::optional<store::RunBest> best;
    QString metric;  ///< what `best.accuracy` is, when known
};

/// The runs of a result store (filled from a worker's reads). GUI thread only.
class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Kind, State, Evaluations, Best, Duration, Summary, Started, ColumnCount };

    explicit RunsTableModel(QObject* parent = nullptr);
    void setRuns(std::vector<RunRow> runs);
    const store::RunRecord* runAt(int row) const;
    const RunRow* rowAt(int row) const;
    /// True while some run is stored as running or paused (History then keeps refreshing).
    bool anyActive() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<RunRow> m_runs;
};

/// A run's settings for people, by kind: "evolution over efficientnet-x on tpuv3, latency
/// predicted, accuracy zero-cost, 200 candidates, seed 1"; an import names its file and models.
QString runSummary(const store::RunRecord& run);
/// "42 s", "3 min 05 s", "1 h 02 min" between two ISO 8601 UTC times (`to` empty: now).
QString runDuration(const std::string& from, const std::optional<std::string>& to);

}  // namespace archscope::ui
