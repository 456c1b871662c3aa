#pragma once

#include <QFutureWatcher>
#include <QWidget>
#include <vector>

#include "models/validationtablemodel.h"

class QComboBox;
class QMouseEvent;
class QCustomPlot;
class QLabel;
class QTableView;
class QTextBrowser;

namespace archscope::ui {

/// Every validation table computed at once: what a worker hands back to the page.
struct ValidationRun {
    QString runtime;  ///< the override asked for; empty: each table's own
    std::vector<ValidationEntry> entries;
    QString error;  ///< the tables could not be loaded
};

/// The analytical model against the shipped public measurements (`archscope-cli validate`): one
/// row per table with the rank correlations of the model and the cost proxies and the median
/// error; the selected table's predicted vs measured latency as a log-log scatter with its source
/// beneath. A runtime override predicts every table under one runtime. The tables are validated
/// on a worker (QtConcurrent); the latest request wins. GUI thread only.
class ValidationPage : public QWidget {
    Q_OBJECT
public:
    explicit ValidationPage(QWidget* parent = nullptr);

    /// Predicts every table under `runtime` ("" = each table's own); false if it is not a
    /// shipped runtime. Recomputes off the GUI thread.
    bool setRuntimeOverride(const QString& runtime);
    QString runtimeOverride() const;
    /// Selects a table by row; its scatter and source are shown.
    void selectRow(int row);
    int selectedRow() const { return m_selected; }

    ValidationTableModel* tableModel() const { return m_model; }
    QTableView* tableView() const { return m_table; }
    QCustomPlot* scatterPlot() const { return m_plot; }
    QString detailsText() const;
    QString statusText() const;
    /// A computation was requested and its result has not arrived yet.
    bool busy() const { return m_busy; }

Q_SIGNALS:
    /// The latest requested computation arrived and the table shows it.
    void computed();

private:
    void buildWidgets();
    void connectSignals();
    void showPointAt(QMouseEvent* event);
    void showComputed();
    void recompute();
    void updateScatter();
    void updateDetails();

    ValidationTableModel* m_model;
    QFutureWatcher<ValidationRun> m_watcher;
    quint64 m_token = 0;
    int m_selected = -1;
    bool m_busy = false;

    QComboBox* m_runtime;
    QLabel* m_status;
    QTableView* m_table;
    QCustomPlot* m_plot;
    QTextBrowser* m_details;
};

}  // namespace archscope::ui
