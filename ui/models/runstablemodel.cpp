#include "runstablemodel.h"

#include <QColor>

namespace archscope::ui {

QString runSummary(const store::RunRecord& run) {
    const auto& p = run.params;
    if (run.kind == "search") {
        const std::string measure = p.value("measure", std::string());
        return QStringLiteral("%1 over %2 on %3, latency %4, accuracy %5")
            .arg(QString::fromStdString(p.value("algorithm", std::string("?"))),
                 QString::fromStdString(p.value("space", std::string("?"))),
                 QString::fromStdString(p.value("hw", std::string("?"))),
                 measure.empty() ? QStringLiteral("predicted")
                                 : QStringLiteral("measured on ") + QString::fromStdString(measure),
                 QString::fromStdString(p.value("accuracy", std::string("?"))));
    }
    QString text = QString::fromStdString(p.dump());
    return text.size() > 80 ? text.left(77) + QStringLiteral("…") : text;
}

RunsTableModel::RunsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunsTableModel::setRuns(std::vector<store::RunRecord> runs) {
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

const store::RunRecord* RunsTableModel::runAt(int row) const {
    return row >= 0 && row < rowCount() ? &m_runs[size_t(row)] : nullptr;
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const store::RunRecord& r = m_runs[size_t(index.row())];
    if (role == Qt::ForegroundRole && index.column() == Status) {
        if (r.status == store::kStatusFailed) return QColor(Qt::red);
        if (r.status == store::kStatusRunning || r.status == store::kStatusCancelled ||
            r.status == store::kStatusInterrupted)
            return QColor(0xb0, 0x60, 0x00);
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Status && !r.message.empty()) {
        return QString::fromStdString(r.message);
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
        case Id:
            return qlonglong(r.id);
        case Kind:
            return QString::fromStdString(r.kind);
        case Status:
            return QString::fromStdString(r.status);
        case Evaluations:
            return r.planned ? QStringLiteral("%1 / %2").arg(r.evaluations).arg(*r.planned)
                             : QString::number(r.evaluations);
        case Summary:
            return runSummary(r);
        case Started:
            return QString::fromStdString(r.startedAt);
        case Ended:
            return QString::fromStdString(r.endedAt.value_or("–"));
        default:
            return {};
    }
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Id:
            return tr("Run");
        case Kind:
            return tr("Kind");
        case Status:
            return tr("Status");
        case Evaluations:
            return tr("Evaluations");
        case Summary:
            return tr("What");
        case Started:
            return tr("Started (UTC)");
        case Ended:
            return tr("Ended (UTC)");
        default:
            return {};
    }
}

}  // namespace archscope::ui
