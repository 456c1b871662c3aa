#include "zootablemodel.h"

#include "arch/expand.h"
#include "zoo/zoo.h"

namespace archscope::ui {

ZooTableModel::ZooTableModel(QObject* parent) : QAbstractTableModel(parent) {
    for (const auto& name : zooModelNames()) {
        const Network net = buildNetwork(*zooSpec(name));
        const NetworkCost cost = totalCost(expandLayers(net, 1));
        Row r;
        r.name = QString::fromStdString(name);
        r.resolution = net.resolution;
        r.params = cost.params;
        r.macs = cost.macs;
        if (auto top1 = publishedTop1(name)) {
            r.top1 = top1->top1;
            r.top1Source = QString::fromStdString(top1->source);
        }
        m_rows.push_back(r);
    }
}

int ZooTableModel::rowOf(const QString& name) const {
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

int ZooTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ZooTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ZooTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const Row& r = m_rows[static_cast<size_t>(index.row())];
    if (role == Qt::TextAlignmentRole) {
        return index.column() == Name ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                      : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole && index.column() == Top1) {
        return r.top1 < 0 ? tr("No published ImageNet top-1 at hand for this model")
                          : tr("Published: %1").arg(r.top1Source);
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
        case Name: return r.name;
        case Resolution: return r.resolution;
        case Params: return QString::number(r.params / 1e6, 'f', 2);
        case Macs: return QString::number(r.macs / 1e9, 'f', 3);
        case Top1: return r.top1 < 0 ? QStringLiteral("–") : QString::number(r.top1, 'f', 1);
        default: return {};
    }
}

QVariant ZooTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Name: return tr("Model");
        case Resolution: return tr("Res.");
        case Params: return tr("Params (M)");
        case Macs: return tr("GMACs");
        case Top1: return tr("Top-1 (%)");
        default: return {};
    }
}

}  // namespace archscope::ui
