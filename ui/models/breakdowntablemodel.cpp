#include "breakdowntablemodel.h"

#include <QColor>
#include <QLocale>

#include "plots/plotstyle.h"

namespace archscope::ui {

QColor boundColor(Bound b) {
    return unitColor(b);
}

BreakdownTableModel::BreakdownTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void BreakdownTableModel::setPlatform(const Profile& profile) {
    for (int k = 0; k < kBoundCount; ++k)
        m_units[size_t(k)] = QString::fromStdString(unitName(profile, Bound(k)));
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, BoundColumn), index(rowCount() - 1, BoundColumn));
}

void BreakdownTableModel::setRows(std::vector<BreakdownRow> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int BreakdownTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BreakdownTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BreakdownTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const BreakdownRow& r = m_rows[size_t(index.row())];
    const int column = index.column();
    if (role == Qt::TextAlignmentRole) {
        return column == Name || column == Ops || column == BoundColumn
                   ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::BackgroundRole && column == BoundColumn) {
        QColor c = boundColor(r.bound);
        c.setAlpha(60);
        return c;
    }
    if (role == Qt::ToolTipRole && column == Measured && !r.measuredSeconds) {
        return tr("no measurement stored for this row");
    }
    if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
    const bool number = role == Qt::UserRole;
    const QLocale locale;
    auto micro = [&](double s) -> QVariant {
        return number ? QVariant(s * 1e6) : QVariant(locale.toString(s * 1e6, 'f', 1));
    };
    auto percent = [&](double f) -> QVariant {
        return number ? QVariant(f * 100.0) : QVariant(locale.toString(f * 100.0, 'f', 1));
    };
    switch (column) {
        case Name:
            return QString::fromStdString(r.name);
        case Ops:
            return QString::fromStdString(r.ops);
        case Time:
            return micro(r.seconds);
        case Measured:
            return r.measuredSeconds ? micro(*r.measuredSeconds) : QVariant(QString());
        case Matrix:
            return micro(r.matrixSeconds);
        case Vector:
            return micro(r.vectorSeconds);
        case Memory:
            return micro(r.memorySeconds);
        case Overhead:
            return micro(r.overheadSeconds);
        case MatrixUtil:
            return percent(r.matrixUtilization);
        case VectorUtil:
            return percent(r.vectorUtilization);
        case MemoryUtil:
            return percent(r.memoryUtilization);
        case Intensity:
            return number ? QVariant(r.operationalIntensity())
                          : QVariant(locale.toString(r.operationalIntensity(), 'f', 1));
        case BoundColumn:
            return m_units[size_t(r.bound)];
        default:
            return {};
    }
}

QVariant BreakdownTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
            case Time:
                return tr("Predicted: max(matrix, vector, memory) + overhead, per fused op");
            case Measured:
                return tr("Measured time from the result store, when one exists");
            case Matrix:
                return tr("Matrix-unit (%1) busy time").arg(m_units[0]);
            case Vector:
                return tr("Vector-unit (%1) busy time").arg(m_units[1]);
            case Memory:
                return tr("Memory (%1) transfer time").arg(m_units[2]);
            case Overhead:
                return tr("Fixed cost per fused op and kernel launch (profile)");
            case MatrixUtil:
                return tr("Useful MACs / (time × matrix peak)");
            case VectorUtil:
                return tr("Useful vector ops / (time × vector peak)");
            case MemoryUtil:
                return tr("Bytes / (time × memory bandwidth)");
            case Intensity:
                return tr("Operational intensity: FLOPs per byte of memory traffic");
            case BoundColumn:
                return tr("The unit with the largest share of the time");
            default:
                return {};
        }
    }
    if (role != Qt::DisplayRole) return {};
    switch (section) {
        case Name:
            return tr("Fused op / block");
        case Ops:
            return tr("Contains");
        case Time:
            return tr("Time (µs)");
        case Measured:
            return tr("Measured (µs)");
        case Matrix:
            return tr("%1 (µs)").arg(m_units[0]);
        case Vector:
            return tr("%1 (µs)").arg(m_units[1]);
        case Memory:
            return tr("Memory (µs)");
        case Overhead:
            return tr("Overhead (µs)");
        case MatrixUtil:
            return tr("%1 %").arg(m_units[0]);
        case VectorUtil:
            return tr("%1 %").arg(m_units[1]);
        case MemoryUtil:
            return tr("Mem BW %");
        case Intensity:
            return tr("FLOP/B");
        case BoundColumn:
            return tr("Bound");
        default:
            return {};
    }
}

}  // namespace archscope::ui
