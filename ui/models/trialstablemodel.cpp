#include "trialstablemodel.h"

#include <QColor>
#include <cmath>

namespace archscope::ui {

TrialsTableModel::TrialsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void TrialsTableModel::clear() {
    beginResetModel();
    m_trials.clear();
    m_rows.clear();
    m_stages = 0;
    endResetModel();
}

void TrialsTableModel::append(const std::vector<Trial>& trials) {
    if (trials.empty()) return;
    int stages = m_stages;
    for (const Trial& t : trials) stages = std::max(stages, int(t.stages.size()));
    if (stages > m_stages) {
        beginInsertColumns({}, FixedColumns + m_stages, FixedColumns + stages - 1);
        m_stages = stages;
        endInsertColumns();
    }
    const int first = rowCount();
    beginInsertRows({}, first, first + int(trials.size()) - 1);
    for (const Trial& t : trials) {
        m_rows.insert(t.evaluationId, int(m_trials.size()));
        m_trials.push_back(t);
    }
    endInsertRows();
}

int TrialsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_trials.size());
}

int TrialsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : FixedColumns + m_stages;
}

QVariant TrialsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
    const Trial& t = m_trials[size_t(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            return display(t, index.column());
        case Qt::UserRole:
            return sortKey(t, index.column());
        case EvaluationIdRole:
            return qlonglong(t.evaluationId);
        case Qt::TextAlignmentRole:
            if (index.column() == Latency || index.column() == Accuracy || index.column() == Cost ||
                index.column() == Seq)
                return int(Qt::AlignRight | Qt::AlignVCenter);
            return {};
        case Qt::ForegroundRole:
            if (index.column() == Status && t.status() != "complete" && !t.isReference())
                return QColor(0xb0, 0x60, 0x00);
            return {};
        case Qt::ToolTipRole:
            if (index.column() >= FixedColumns)
                return tr("Stage %1 of %2 as a block string: r repeats, k kernel, e expansion, "
                          "o output filters, se squeeze-excitation ratio, f fused, a activation")
                    .arg(index.column() - FixedColumns)
                    .arg(QString::fromStdString(t.name));
            return {};
        default:
            return {};
    }
}

QVariant TrialsTableModel::display(const Trial& t, int column) const {
    switch (column) {
        case Seq:
            return t.seq ? QVariant(qlonglong(*t.seq)) : QVariant(QStringLiteral("–"));
        case Name:
            return QString::fromStdString(t.name);
        case Status:
            return QString::fromStdString(t.status());
        case Latency:
            return t.latencyMs ? QString::number(*t.latencyMs, 'g', 4) : QStringLiteral("–");
        case Source:
            return QString::fromUtf8(store::latencySourceName(t.latencySource));
        case Accuracy:
            return t.accuracy ? QString::number(*t.accuracy, 'g', 5) : QStringLiteral("–");
        case Metric:
            return QString::fromStdString(t.metric);
        case Cost:
            return t.costSeconds ? QString::number(*t.costSeconds, 'f', 2) : QStringLiteral("–");
        case Stored:
            return QString::fromStdString(t.createdAt);
        default: {
            const size_t stage = size_t(column - FixedColumns);
            return stage < t.stages.size()
                       ? QString::fromStdString(formatBlockString(t.stages[stage]))
                       : QString();
        }
    }
}

QVariant TrialsTableModel::sortKey(const Trial& t, int column) const {
    // Missing figures sort after every real one in ascending order.
    const auto number = [](const std::optional<double>& v) {
        return v ? *v : std::numeric_limits<double>::infinity();
    };
    switch (column) {
        case Seq:
            return t.seq ? qlonglong(*t.seq) : std::numeric_limits<qlonglong>::max();
        case Latency:
            return number(t.latencyMs);
        case Accuracy:
            return number(t.accuracy);
        case Cost:
            return number(t.costSeconds);
        default:
            return display(t, column);
    }
}

QVariant TrialsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Seq:
            return tr("#");
        case Name:
            return tr("Network");
        case Status:
            return tr("Status");
        case Latency:
            return tr("Latency (ms)");
        case Source:
            return tr("Latency source");
        case Accuracy:
            return tr("Accuracy");
        case Metric:
            return tr("Metric");
        case Cost:
            return tr("Took (s)");
        case Stored:
            return tr("Stored (UTC)");
        default:
            return section < columnCount() ? tr("Stage %1").arg(section - FixedColumns)
                                           : QVariant();
    }
}

}  // namespace archscope::ui
