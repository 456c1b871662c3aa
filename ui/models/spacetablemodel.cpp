#include "spacetablemodel.h"

#include <nlohmann/json.hpp>

namespace archscope::ui {
namespace {

const char* keyOf(int column) {
    switch (column) {
        case SpaceTableModel::Block:
            return "block";
        case SpaceTableModel::Kernel:
            return "kernel";
        case SpaceTableModel::Expand:
            return "expand";
        case SpaceTableModel::Se:
            return "se";
        case SpaceTableModel::Activation:
            return "activation";
        case SpaceTableModel::RepeatsDelta:
            return "repeats_delta";
        case SpaceTableModel::Filters:
            return "filters";
        case SpaceTableModel::SpaceToDepth:
            return "space_to_depth";
        default:
            return nullptr;
    }
}

QString listText(const nlohmann::json& values) {
    QStringList parts;
    for (const auto& v : values) {
        parts << (v.is_string() ? QString::fromStdString(v.get<std::string>())
                                : QString::fromStdString(v.dump()));
    }
    return parts.join(QStringLiteral(", "));
}

}  // namespace

SpaceTableModel::SpaceTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void SpaceTableModel::setSpace(SearchSpace space) {
    beginResetModel();
    m_space = std::move(space);
    endResetModel();
    Q_EMIT spaceChanged();
}

int SpaceTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_space.stages.size());
}

int SpaceTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SpaceTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    if (role != Qt::DisplayRole && role != Qt::EditRole && role != Qt::ToolTipRole) return {};
    const auto& stage = m_space.stages[size_t(index.row())];
    if (index.column() == Base) {
        return role == Qt::ToolTipRole
                   ? tr("The block string this stage's choices modify")
                   : QVariant(QString::fromStdString(formatBlockString(stage.base)));
    }
    const nlohmann::json stages = searchSpaceToJson(m_space)["stages"];
    const auto& values = stages[size_t(index.row())][keyOf(index.column())];
    if (role == Qt::ToolTipRole) {
        return tr("%1 choices; edit as a comma-separated list").arg(values.size());
    }
    return listText(values);
}

bool SpaceTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !index.isValid() || index.column() == Base) return false;
    nlohmann::json j = searchSpaceToJson(m_space);
    nlohmann::json list = nlohmann::json::array();
    for (QString part : value.toString().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        part = part.trimmed();
        bool isNumber = false;
        const double number = part.toDouble(&isNumber);
        if (!isNumber) {
            list.push_back(part.toStdString());
        } else if (number == std::floor(number) && !part.contains(QLatin1Char('.'))) {
            list.push_back(int(number));
        } else {
            list.push_back(number);
        }
    }
    j["stages"][size_t(index.row())][keyOf(index.column())] = list;
    try {
        m_space = searchSpaceFromJson(j, "edited space");
    } catch (const std::exception& e) {
        Q_EMIT editRejected(QString::fromUtf8(e.what()));
        return false;
    }
    Q_EMIT dataChanged(index, index);
    Q_EMIT spaceChanged();
    return true;
}

Qt::ItemFlags SpaceTableModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemIsEnabled;
    if (index.column() != Base) f |= Qt::ItemIsEditable;
    return f;
}

QVariant SpaceTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return tr("stage %1").arg(section);
    switch (section) {
        case Base:
            return tr("Base block");
        case Block:
            return tr("Block type");
        case Kernel:
            return tr("Kernel");
        case Expand:
            return tr("Expansion");
        case Se:
            return tr("SE ratio");
        case Activation:
            return tr("Activation");
        case RepeatsDelta:
            return tr("Repeats Δ");
        case Filters:
            return tr("Filters ×");
        case SpaceToDepth:
            return tr("Space-to-depth");
        default:
            return {};
    }
}

}  // namespace archscope::ui
