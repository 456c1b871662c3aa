#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "store/records.h"

namespace archscope::ui {

/// The runs of a result store (filled from a worker's listRuns()). GUI thread only.
class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Kind, Status, Evaluations, Summary, Started, Ended, ColumnCount };

    explicit RunsTableModel(QObject* parent = nullptr);
    void setRuns(std::vector<store::RunRecord> runs);
    const store::RunRecord* runAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<store::RunRecord> m_runs;
};

/// "evolution over efficientnet-x on tpuv3, zero-cost" from a run's params.
QString runSummary(const store::RunRecord& run);

}  // namespace archscope::ui
