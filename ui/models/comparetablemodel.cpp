#include "comparetablemodel.h"

#include <QColor>
#include <QFont>
#include <QLocale>

#include "hw/blocksummary.h"
#include "hw/explain.h"

namespace archscope::ui {

CompareTableModel::CompareTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void CompareTableModel::setPlatform(const Profile& profile) {
    QStringList units;
    for (Bound b : {Bound::Matrix, Bound::Vector, Bound::Memory})
        units << QString::fromStdString(unitName(profile, b));
    if (units == m_units) return;
    m_units = units;
    Q_EMIT dataChanged(index(0, Metric), index(RowCount - 1, Metric));
}

void CompareTableModel::setNetworks(NetworkSummary a, NetworkSummary b) {
    m_a = std::move(a);
    m_b = std::move(b);
    m_empty = false;
    // The row set never changes: only the values do.
    Q_EMIT dataChanged(index(0, 0), index(RowCount - 1, ColumnCount - 1));
    Q_EMIT headerDataChanged(Qt::Horizontal, A, B);
}

int CompareTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : RowCount;
}

int CompareTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

std::optional<double> CompareTableModel::value(const NetworkSummary& s, int row) {
    switch (row) {
        case Params:
            return s.params;
        case Macs:
            return s.macsPerImage;
        case Latency:
            return s.prediction.latencySeconds;
        case Throughput:
            return s.prediction.throughput;
        case MatrixBound:
            return s.prediction.secondsByBound[int(Bound::Matrix)];
        case VectorBound:
            return s.prediction.secondsByBound[int(Bound::Vector)];
        case MemoryBound:
            return s.prediction.secondsByBound[int(Bound::Memory)];
        case OverheadTime:
            return s.prediction.secondsByBound[int(Bound::Overhead)];
        case MatrixUtilization:
            return s.matrixUtilization;
        case FusedOps:
            return double(s.prediction.groups);
        case Top1:
            return s.publishedTop1;
        default:
            return {};
    }
}

QString CompareTableModel::text(const NetworkSummary& s, int row) const {
    const auto v = value(s, row);
    if (!v) return tr("—");
    const QLocale locale;
    switch (row) {
        case Params:
            return tr("%1 M").arg(locale.toString(*v / 1e6, 'f', 2));
        case Macs:
            return tr("%1 G").arg(locale.toString(*v / 1e9, 'f', 3));
        case Throughput:
            return locale.toString(*v, 'f', 0);
        case MatrixUtilization:
            return tr("%1 %").arg(locale.toString(*v * 100, 'f', 1));
        case FusedOps:
            return locale.toString(qlonglong(*v));
        case Top1:
            return tr("%1 %").arg(locale.toString(*v, 'f', 1));
        case MatrixBound:
        case VectorBound:
        case MemoryBound:
        case OverheadTime: {
            const double share =
                s.prediction.latencySeconds > 0 ? *v / s.prediction.latencySeconds : 0;
            return tr("%1 (%2 %)")
                .arg(QString::fromStdString(formatSeconds(*v)),
                     locale.toString(share * 100, 'f', 0));
        }
        default:
            return QString::fromStdString(formatSeconds(*v));
    }
}

QVariant CompareTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const int row = index.row(), column = index.column();
    if (role == Qt::TextAlignmentRole) {
        return column == Metric ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::FontRole && (row == Latency || row == Macs)) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (m_empty && column != Metric) return {};
    const auto va = value(m_a, row), vb = value(m_b, row);
    const std::optional<double> ratio =
        va && vb && *va != 0.0 ? std::optional<double>(*vb / *va) : std::nullopt;
    if (role == Qt::ForegroundRole && column == Ratio && ratio && row == Latency) {
        return *ratio < 1.0 ? QColor(0x1a, 0x7a, 0x1a) : QColor(0xa0, 0x10, 0x10);
    }
    if (role == Qt::UserRole) {
        switch (column) {
            case A:
                return va ? QVariant(*va) : QVariant();
            case B:
                return vb ? QVariant(*vb) : QVariant();
            case Ratio:
                return ratio ? QVariant(*ratio) : QVariant();
            default:
                return {};
        }
    }
    if (role != Qt::DisplayRole) return {};
    switch (column) {
        case Metric: {
            static const char* const names[RowCount] = {
                QT_TR_NOOP("Parameters"),
                QT_TR_NOOP("MACs per image"),
                QT_TR_NOOP("Predicted latency (batch)"),
                QT_TR_NOOP("Throughput (images/s)"),
                QT_TR_NOOP("  bound by matrix unit"),
                QT_TR_NOOP("  bound by vector unit"),
                QT_TR_NOOP("  bound by memory"),
                QT_TR_NOOP("  fixed overhead"),
                QT_TR_NOOP("Matrix-unit utilization"),
                QT_TR_NOOP("Fused ops"),
                QT_TR_NOOP("Published top-1"),
            };
            if (row >= MatrixBound && row <= MemoryBound)
                return tr("  bound by %1").arg(m_units.value(row - MatrixBound));
            if (row == MatrixUtilization) return tr("%1 utilization").arg(m_units.value(0));
            return tr(names[row]);
        }
        case A:
            return text(m_a, row);
        case B:
            return text(m_b, row);
        case Ratio:
            return ratio ? tr("%1×").arg(QLocale().toString(ratio.value_or(0.0), 'f', 2))
                         : QString();
        default:
            return {};
    }
}

QVariant CompareTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Metric:
            return tr("Metric");
        case A:
            return m_empty ? tr("A") : tr("A\n%1").arg(QString::fromStdString(m_a.name));
        case B:
            return m_empty ? tr("B") : tr("B\n%1").arg(QString::fromStdString(m_b.name));
        case Ratio:
            return tr("B ÷ A");
        default:
            return {};
    }
}

}  // namespace archscope::ui
