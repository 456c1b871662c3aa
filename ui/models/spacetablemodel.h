#pragma once

#include <QAbstractTableModel>

#include "search/space.h"

namespace archscope::ui {

/// A search space's stages, one row each; every choice list is an editable cell
/// ("3, 5"). An edit that would make the space invalid is refused and reported through
/// editRejected. GUI thread only.
class SpaceTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Base,
        Block,
        Kernel,
        Expand,
        Se,
        Activation,
        RepeatsDelta,
        Filters,
        SpaceToDepth,
        ColumnCount
    };

    explicit SpaceTableModel(QObject* parent = nullptr);
    void setSpace(SearchSpace space);
    const SearchSpace& space() const { return m_space; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    void editRejected(const QString& message);
    void spaceChanged();

private:
    SearchSpace m_space;
};

}  // namespace archscope::ui
