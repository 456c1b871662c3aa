#pragma once

#include <QAbstractTableModel>
#include <QStringList>

#include "networksummary.h"

namespace archscope::ui {

/// Two networks' figures side by side: one metric per row; columns metric, A, B, B ÷ A.
/// Qt::UserRole gives the raw number. GUI thread only.
class CompareTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Metric, A, B, Ratio, ColumnCount };
    enum Row {
        Params,
        Macs,
        Latency,
        Throughput,
        MatrixBound,
        VectorBound,
        MemoryBound,
        OverheadTime,
        MatrixUtilization,
        FusedOps,
        Top1,
        RowCount
    };

    explicit CompareTableModel(QObject* parent = nullptr);

    void setNetworks(NetworkSummary a, NetworkSummary b);
    /// The platform's words for its units in the row labels ("bound by MXU" on a TPU).
    void setPlatform(const Profile& profile);
    const NetworkSummary& a() const { return m_a; }
    const NetworkSummary& b() const { return m_b; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    /// The raw figure of a row for one network; empty when unknown.
    static std::optional<double> value(const NetworkSummary& s, int row);
    QString text(const NetworkSummary& s, int row) const;

    NetworkSummary m_a;
    NetworkSummary m_b;
    QStringList m_units{QStringLiteral("matrix unit"), QStringLiteral("vector unit"),
                        QStringLiteral("memory")};
    bool m_empty = true;
};

}  // namespace archscope::ui
