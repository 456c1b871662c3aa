#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "analysis/breakdown.h"

namespace archscope::ui {

// The rows are computed in the core (the CLI's `show --by` prints the same table).
using analysis::BreakdownRow;
using analysis::Granularity;

/// The breakdown table: per fused op (or block) time on each unit, utilizations, operational
/// intensity, bound and, when stored, measured time. Qt::UserRole gives numbers for sorting.
/// GUI thread only.
class BreakdownTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Name,
        Time,
        Measured,
        BoundColumn,
        MatrixUtil,
        VectorUtil,
        MemoryUtil,
        Intensity,
        Matrix,
        Vector,
        Memory,
        Overhead,
        Ops,
        ColumnCount
    };

    explicit BreakdownTableModel(QObject* parent = nullptr);

    void setRows(std::vector<BreakdownRow> rows);
    const std::vector<BreakdownRow>& rows() const { return m_rows; }
    const BreakdownRow& row(int i) const { return m_rows[size_t(i)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<BreakdownRow> m_rows;
};

/// The colour of a bound (the unit colours of plotstyle.h).
QColor boundColor(Bound b);

}  // namespace archscope::ui
