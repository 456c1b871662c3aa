#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <vector>

namespace archscope::ui {

/// The zoo as a table: name, resolution, params, GMACs, published top-1 (with its source as a
/// tooltip). Costs are computed once at construction (40 networks, ~2 ms). GUI thread only.
class ZooTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Resolution, Params, Macs, Top1, ColumnCount };

    struct Row {
        QString name;
        int resolution = 0;
        qint64 params = 0;
        qint64 macs = 0;
        double top1 = -1;  ///< < 0: no published figure
        QString top1Source;
    };

    explicit ZooTableModel(QObject* parent = nullptr);

    const Row& row(int r) const { return m_rows[static_cast<size_t>(r)]; }
    int rowOf(const QString& name) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<Row> m_rows;
};

}  // namespace archscope::ui
