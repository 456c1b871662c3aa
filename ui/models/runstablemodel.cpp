#include "runstablemodel.h"

#include <QColor>
#include <QDateTime>
#include <QStringList>

namespace archscope::ui {
namespace {

QString text(const nlohmann::json& j, const char* key, const char* fallback = "?") {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) return QString::fromUtf8(fallback);
    return QString::fromStdString(it->is_string() ? it->get<std::string>() : it->dump());
}

/// "a, b, c and 4 more" from a JSON array of strings.
QString shortList(const nlohmann::json& list, int shown = 3) {
    if (!list.is_array()) return {};
    QStringList names;
    for (const auto& item : list) {
        if (names.size() == shown) break;
        names << QString::fromStdString(item.is_string() ? item.get<std::string>() : item.dump());
    }
    const int more = int(list.size()) - int(names.size());
    return names.join(QStringLiteral(", ")) +
           (more > 0 ? QObject::tr(" and %1 more").arg(more) : QString());
}

/// Scalars as "key value", nested values by their size: never raw JSON.
QString genericSummary(const nlohmann::json& p) {
    QStringList parts;
    for (auto it = p.begin(); it != p.end(); ++it) {
        const QString key = QString::fromStdString(it.key()).replace('_', ' ');
        if (it->is_array())
            parts << QObject::tr("%1: %2 items").arg(key).arg(it->size());
        else if (!it->is_object())
            parts << QStringLiteral("%1 %2").arg(key, text(p, it.key().c_str()));
    }
    return parts.join(QStringLiteral(", "));
}

}  // namespace

QString runSummary(const store::RunRecord& run) {
    const auto& p = run.params;
    if (!p.is_object()) return {};
    if (run.kind == "search") {
        const std::string measure = p.value("measure", std::string());
        return QObject::tr("%1 over %2 on %3, latency %4, accuracy %5, %6 candidates, seed %7")
            .arg(text(p, "algorithm"), text(p, "space"), text(p, "hw"),
                 measure.empty()
                     ? QObject::tr("predicted")
                     : QObject::tr("measured on %1").arg(QString::fromStdString(measure)),
                 text(p, "accuracy"), text(p, "budget"), text(p, "seed"));
    }
    if (run.kind == "import")
        return QObject::tr("%1 file %2: %3")
            .arg(text(p, "format"), text(p, "file"),
                 shortList(p.value("models", nlohmann::json())));
    if (run.kind == "sweep")
        return p.contains("random")
                   ? QObject::tr("%1 random networks (seed %2) at batch %3")
                         .arg(text(p, "random"), text(p, "seed"), text(p, "batch"))
                   : QObject::tr("%1 at batch %2")
                         .arg(shortList(p.value("models", nlohmann::json())), text(p, "batch"));
    if (run.kind == "lacs")
        return QObject::tr("compound scaling of %1 on %2, accuracy %3, %4 steps")
            .arg(text(p, "base"), text(p, "hw"), text(p, "accuracy"), text(p, "steps"));
    return genericSummary(p);
}

QString runDuration(const std::string& from, const std::optional<std::string>& to) {
    const QDateTime start = QDateTime::fromString(QString::fromStdString(from), Qt::ISODateWithMs);
    const QDateTime end = to ? QDateTime::fromString(QString::fromStdString(*to), Qt::ISODateWithMs)
                             : QDateTime::currentDateTimeUtc();
    if (!start.isValid() || !end.isValid()) return QStringLiteral("–");
    const qint64 ms = start.msecsTo(end);
    if (ms < 60'000) return QObject::tr("%1 s").arg(ms / 1000.0, 0, 'f', 1);
    const qint64 s = ms / 1000;
    if (s < 3600) return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QChar('0'));
}

RunsTableModel::RunsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunsTableModel::setRuns(std::vector<RunRow> runs) {
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

const RunRow* RunsTableModel::rowAt(int row) const {
    return row >= 0 && row < rowCount() ? &m_runs[size_t(row)] : nullptr;
}

const store::RunRecord* RunsTableModel::runAt(int row) const {
    const RunRow* r = rowAt(row);
    return r ? &r->run : nullptr;
}

bool RunsTableModel::anyActive() const {
    for (const RunRow& r : m_runs)
        if (r.run.status == store::kStatusRunning || r.run.status == store::kStatusPaused)
            return true;
    return false;
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const RunRow& row = m_runs[size_t(index.row())];
    const store::RunRecord& r = row.run;
    if (role == Qt::ForegroundRole && index.column() == State) {
        if (r.status == store::kStatusFailed) return QColor(Qt::red);
        if (r.status == store::kStatusRunning || r.status == store::kStatusCancelled ||
            r.status == store::kStatusInterrupted)
            return QColor(0xb0, 0x60, 0x00);
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == State && !r.message.empty())
        return QString::fromStdString(r.message);
    if (role == Qt::ToolTipRole && index.column() == Summary) return runSummary(r);
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
        case Id:
            return qlonglong(r.id);
        case Kind:
            return QString::fromStdString(r.kind);
        case State:
            return QString::fromStdString(row.state.text);
        case Evaluations:
            return r.planned ? QStringLiteral("%1 / %2").arg(r.evaluations).arg(*r.planned)
                             : QString::number(r.evaluations);
        case Best: {
            if (!row.best || (!row.best->accuracy && !row.best->latencyMs))
                return QStringLiteral("–");
            const QString latency =
                row.best->latencyMs ? tr("%1 ms").arg(*row.best->latencyMs, 0, 'g', 4) : QString();
            if (!row.best->accuracy) return latency;
            return tr("%1 %2 at %3")
                .arg(*row.best->accuracy, 0, 'g', 4)
                .arg(row.metric, latency.isEmpty() ? tr("unknown latency") : latency);
        }
        case Duration:
            return runDuration(r.startedAt, r.endedAt);
        case Summary:
            return runSummary(r);
        case Started:
            return QString::fromStdString(r.startedAt);
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
        case State:
            return tr("State");
        case Evaluations:
            return tr("Evaluations");
        case Best:
            return tr("Best");
        case Duration:
            return tr("Duration");
        case Summary:
            return tr("Settings");
        case Started:
            return tr("Started (UTC)");
        default:
            return {};
    }
}

}  // namespace archscope::ui
