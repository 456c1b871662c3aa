#pragma once

#include <QAbstractTableModel>
#include <array>
#include <vector>

#include "analysis/breakdown.h"
#include "hw/blocksummary.h"

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
    /// The platform's words for its units (hw/blocksummary.h unitName), used in the headers and
    /// the Bound column: "MXU %" on a TPU, "Tensor Cores %" on a GPU.
    void setPlatform(const Profile& profile);
    const std::vector<BreakdownRow>& rows() const { return m_rows; }
    const BreakdownRow& row(int i) const { return m_rows[size_t(i)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<BreakdownRow> m_rows;
    std::array<QString, kBoundCount> m_units{QStringLiteral("matrix"), QStringLiteral("vector"),
                                             QStringLiteral("memory"), QStringLiteral("overhead")};
};

/// The colour of a bound (the unit colours of plotstyle.h).
QColor boundColor(Bound b);

}  // namespace archscope::ui
