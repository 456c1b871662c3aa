#include "validationtablemodel.h"

#include <QColor>
#include <QFont>
#include <QLocale>

namespace archscope::ui {

ValidationTableModel::ValidationTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ValidationTableModel::setEntries(std::vector<ValidationEntry> entries) {
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

const ValidationEntry* ValidationTableModel::entry(int row) const {
    return row >= 0 && row < int(m_entries.size()) ? &m_entries[size_t(row)] : nullptr;
}

QString ValidationTableModel::roleText(const ValidationTable& t) {
    return t.role == "fit" ? tr("fit") : tr("held out");
}

QColor ValidationTableModel::fitRowColor() {
    return QColor(0x8a, 0x8a, 0x8a);
}

int ValidationTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_entries.size());
}

int ValidationTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

// Long (~85 lines): a table of columns x roles; splitting it would scatter one table.
QVariant ValidationTableModel::data(const QModelIndex& index, int role) const {
    const ValidationEntry* e = index.isValid() ? entry(index.row()) : nullptr;
    if (!e || index.column() >= ColumnCount) return {};
    const ValidationTable& t = e->table;
    const TableValidation& v = e->outcome;
    const ValidationResult& r = v.result;
    const bool skipped = !v.skipped.empty();
    const bool fit = t.role == "fit";
    const bool belowProxy = !skipped && modelRanksBelowProxy(r);
    const int column = index.column();
    const QLocale locale;
    auto tau = [&](double x) { return locale.toString(x, 'f', 2); };

    if (role == Qt::DisplayRole) {
        switch (column) {
            case Name:
                return QString::fromStdString(t.name);
            case Platform:
                return QString::fromStdString(t.platform);
            case Runtime:
                return QString::fromStdString(v.runtime);
            case DtypeColumn:
                return QString::fromStdString(t.dtype);
            case Role:
                return roleText(t);
            case Count:
                return int(t.rows.size());
            case TauModel:
                if (skipped) return tr("skipped");
                // The mark: the model orders this table worse than a cost proxy does.
                return belowProxy ? tau(r.tauModel) + QStringLiteral(" ▼") : tau(r.tauModel);
            case TauMacs:
                return skipped ? QStringLiteral("–") : tau(r.tauMacs);
            case TauActivations:
                return skipped ? QStringLiteral("–") : tau(r.tauActivations);
            case MedianError:
                return skipped ? QStringLiteral("–")
                               : locale.toString(r.medianAbsErrorPercent, 'f', 1) +
                                     QStringLiteral(" %");
        }
    } else if (role == Qt::UserRole) {
        switch (column) {
            case Count:
                return int(t.rows.size());
            case TauModel:
                return skipped ? QVariant() : r.tauModel;
            case TauMacs:
                return skipped ? QVariant() : r.tauMacs;
            case TauActivations:
                return skipped ? QVariant() : r.tauActivations;
            case MedianError:
                return skipped ? QVariant() : r.medianAbsErrorPercent;
            default:
                return data(index, Qt::DisplayRole);
        }
    } else if (role == Qt::TextAlignmentRole) {
        return column >= Count ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                               : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    } else if (role == Qt::ForegroundRole) {
        if (column == TauModel && belowProxy) return QColor(0xb0, 0x30, 0x20);
        if (fit) return fitRowColor();
    } else if (role == Qt::FontRole) {
        if (fit && column == Role) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
    } else if (role == Qt::ToolTipRole) {
        if (skipped) return QString::fromStdString(v.skipped);
        if (column == Role) {
            return fit ? tr("The runtime's parameters were fitted on this table: its error shows "
                            "the fit, not a test.")
                       : tr("Held out: no parameter was fitted on this table.");
        }
        if (column == TauModel && belowProxy) {
            return tr("The model orders this table worse than a cost proxy: tau %1 vs MACs %2, "
                      "activations %3.")
                .arg(tau(r.tauModel), tau(r.tauMacs), tau(r.tauActivations));
        }
        if (column >= TauModel && column <= TauActivations)
            return tr("Kendall tau-b against the measured latency (1 = same order)");
        if (column == MedianError) return tr("Median of |predicted ÷ measured − 1|");
        return QString::fromStdString(t.title);
    }
    return {};
}

QVariant ValidationTableModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Name:
            return tr("table");
        case Platform:
            return tr("platform");
        case Runtime:
            return tr("runtime");
        case DtypeColumn:
            return tr("dtype");
        case Role:
            return tr("role");
        case Count:
            return tr("n");
        case TauModel:
            return tr("τ model");
        case TauMacs:
            return tr("τ MACs");
        case TauActivations:
            return tr("τ activations");
        case MedianError:
            return tr("median |error|");
    }
    return {};
}

}  // namespace archscope::ui
