#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "arch/layer.h"

namespace archscope::ui {

/// The per-layer table of one network: shapes, kernel, MACs, params. GUI thread only.
class LayerTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Index, Name, Op, Input, Output, Kernel, Stride, Groups, Macs, Params, ColumnCount };

    explicit LayerTableModel(QObject* parent = nullptr);

    void setLayers(std::vector<Layer> layers);
    const std::vector<Layer>& layers() const { return m_layers; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<Layer> m_layers;
};

}  // namespace archscope::ui
