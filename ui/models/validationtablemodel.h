#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "hw/validation.h"

namespace archscope::ui {

/// One shipped validation table and how the model did on it.
struct ValidationEntry {
    ValidationTable table;
    TableValidation outcome;
};

/// The validation tables, one per row: name, platform, runtime, dtype, role, n, Kendall tau of
/// the model and of the two cost proxies, median |error|. Rows of tables the runtime was fitted
/// on are drawn muted (their error is not a test); a tau of the model below either proxy's is
/// marked. Qt::UserRole gives the raw number (or text). GUI thread only.
class ValidationTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Name,
        Platform,
        Runtime,
        DtypeColumn,
        Role,
        Count,
        TauModel,
        TauMacs,
        TauActivations,
        MedianError,
        ColumnCount
    };

    explicit ValidationTableModel(QObject* parent = nullptr);

    void setEntries(std::vector<ValidationEntry> entries);
    const std::vector<ValidationEntry>& entries() const { return m_entries; }
    /// The entry of a row; nullptr when out of range.
    const ValidationEntry* entry(int row) const;

    /// "fit" or "held out": what the role column shows.
    static QString roleText(const ValidationTable& t);
    /// The colour of the text of a fit table's row (muted).
    static QColor fitRowColor();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<ValidationEntry> m_entries;
};

}  // namespace archscope::ui
