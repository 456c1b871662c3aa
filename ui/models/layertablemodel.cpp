#include "layertablemodel.h"

#include <QLocale>

namespace archscope::ui {
namespace {

QString shapeText(const Shape& s) { return QStringLiteral("%1×%2×%3").arg(s.h).arg(s.w).arg(s.c); }

}  // namespace

LayerTableModel::LayerTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void LayerTableModel::setLayers(std::vector<Layer> layers) {
    beginResetModel();
    m_layers = std::move(layers);
    endResetModel();
}

int LayerTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_layers.size());
}

int LayerTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LayerTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const Layer& l = m_layers[static_cast<size_t>(index.row())];
    const bool hasKernel = isConvolution(l.kind) || l.kind == OpKind::DepthwiseConv ||
                           l.kind == OpKind::MaxPool;
    if (role == Qt::TextAlignmentRole) {
        return index.column() == Name || index.column() == Op
                   ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                   : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole) {
        return tr("%1 (%2): reads %3 elements + %4 weights, writes %5 elements")
            .arg(QString::fromStdString(l.name), QString::fromUtf8(opKindName(l.kind).data()))
            .arg(l.inputElements)
            .arg(l.params)
            .arg(l.outputElements);
    }
    if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
    const bool sortKey = role == Qt::UserRole;
    QLocale locale;
    switch (index.column()) {
        case Index: return index.row();
        case Name: return QString::fromStdString(l.name);
        case Op: return QString::fromUtf8(opKindName(l.kind).data());
        case Input: return shapeText(l.in);
        case Output: return shapeText(l.out);
        case Kernel: return hasKernel ? QStringLiteral("%1×%2").arg(l.kernelH).arg(l.kernelW) : QString();
        case Stride: return hasKernel ? QString::number(l.strideH) : QString();
        case Groups: return l.groups > 1 ? QString::number(l.groups) : QString();
        case Macs:
            if (sortKey) return qlonglong(l.macs);
            return l.macs ? locale.toString(qlonglong(l.macs)) : QString();
        case Params:
            if (sortKey) return qlonglong(l.params);
            return l.params ? locale.toString(qlonglong(l.params)) : QString();
        default: return {};
    }
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case Index: return tr("#");
        case Name: return tr("Layer");
        case Op: return tr("Op");
        case Input: return tr("Input H×W×C");
        case Output: return tr("Output H×W×C");
        case Kernel: return tr("Kernel");
        case Stride: return tr("Stride");
        case Groups: return tr("Groups");
        case Macs: return tr("MACs");
        case Params: return tr("Params");
        default: return {};
    }
}

}  // namespace archscope::ui
