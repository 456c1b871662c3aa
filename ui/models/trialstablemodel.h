#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <vector>

#include "search/trials.h"

namespace archscope::ui {

/// The trials of one run, one row each, appended as they arrive (live) or all at once (stored).
/// Columns: fixed figures, then one per stage with the stage's block string (its choices).
/// Qt::UserRole gives a sortable value (numbers as numbers); EvaluationIdRole the row's
/// evaluation id, the key that links a row to its point in the plots. GUI thread only.
class TrialsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Seq,
        Name,
        Status,
        Latency,
        Source,
        Accuracy,
        Metric,
        Cost,
        Stored,
        FixedColumns
    };
    static constexpr int EvaluationIdRole = Qt::UserRole + 1;

    explicit TrialsTableModel(QObject* parent = nullptr);
    void clear();
    void append(const std::vector<Trial>& trials);
    const std::vector<Trial>& trials() const { return m_trials; }
    /// The row of an evaluation, -1 when it is not (yet) in the table.
    int rowOfEvaluation(qint64 evaluationId) const { return m_rows.value(evaluationId, -1); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVariant display(const Trial& t, int column) const;
    QVariant sortKey(const Trial& t, int column) const;

    std::vector<Trial> m_trials;
    QHash<qint64, int> m_rows;
    int m_stages = 0;
};

}  // namespace archscope::ui
