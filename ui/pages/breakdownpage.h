#pragma once

#include <QFutureWatcher>
#include <QHash>
#include <QVector>
#include <QWidget>
#include <vector>

#include "arch/layer.h"
#include "arch/network.h"
#include "hw/model.h"
#include "models/breakdowntablemodel.h"
#include "models/storequeries.h"

class QComboBox;
class QLayout;
class QCustomPlot;
class QCPBarsGroup;
class QCPItemRect;
class QLabel;
class QPlainTextEdit;
class QTableView;

namespace archscope::ui {

class BreakdownTableModel;
class PlatformSelector;

/// Per-layer breakdown of one network on one platform: bars of each fused op's (or block's)
/// predicted time by unit, a table of times, utilizations and bounds, the explanation of the
/// selected row, and measured times beside predicted ones when the store has them.
/// GUI thread only; store look-ups run on a worker (latest request wins).
class BreakdownPage : public QWidget {
    Q_OBJECT
public:
    /// How the bars draw the time.
    enum class BarMode {
        Critical,  ///< stacked: each fused op's time split by its critical unit + overhead
        Units,     ///< side by side: every unit's busy time, the op's time as a marker
    };

    explicit BreakdownPage(QWidget* parent = nullptr);

    /// Shows any network (the Models page forwards its selection here).
    void setNetwork(const NetworkSpec& spec);
    /// Selects a zoo network by name; false if unknown.
    bool selectModel(const QString& name);
    bool setPlatform(const QString& profileName);
    /// The platform, runtime, dtype and batch row (tests and the window set it through here).
    PlatformSelector* platformSelector() const { return m_platform; }
    void setGranularity(Granularity granularity);
    void setBarMode(BarMode mode);
    /// Measured milliseconds by IR layer name or scope ("block3"), with where they came from;
    /// an empty map clears them. The run and history views feed stored measurements here.
    void setMeasuredTimes(const QHash<QString, double>& ms, const QString& source);
    /// The result store to look measurements up in (empty: none).
    void setDatabasePath(const QString& path);
    /// Selects a row of the table (and its bar) and shows its explanation.
    void selectRow(int row);

    const NetworkSpec& spec() const { return m_spec; }
    BreakdownTableModel* tableModel() const { return m_model; }
    QCustomPlot* plot() const { return m_plot; }
    QString explanation() const;
    QString measurementNote() const;
    const NetworkPrediction& prediction() const { return m_prediction; }

Q_SIGNALS:
    /// The look-up of stored measurements finished (found or not).
    void measurementLookupFinished();

private:
    QLayout* buildControls();
    void setUpPlot();
    void setUpTable();
    QWidget* buildExplainPane();
    void connectSignals();
    void recompute();
    void rebuildRows();
    void rebuildPlot();
    void addCriticalBars(const QVector<double>& keys, double scale, bool anyMeasured,
                         QCPBarsGroup* group);
    void addUnitBars(const QVector<double>& keys, double scale, bool anyMeasured,
                     QCPBarsGroup* group);
    void setCategoryAxis(const QString& per);
    void addHighlight();
    void updateNote();
    void lookUpMeasurements();
    void showExplanation(int row);
    void resetZoom();

    NetworkSpec m_spec;
    std::vector<Layer> m_layers;
    std::vector<GroupCost> m_groups;
    NetworkPrediction m_prediction;
    Granularity m_granularity = Granularity::Block;
    BarMode m_barMode = BarMode::Critical;
    QHash<QString, double> m_measuredMs;
    QString m_measuredSource;
    QString m_db;
    QFutureWatcher<MeasuredLayers> m_lookup;
    quint64 m_lookupToken = 0;
    bool m_lookupPending = false;

    QComboBox* m_network;
    PlatformSelector* m_platform;
    QComboBox* m_rowsBox;
    QComboBox* m_barsBox;
    QLabel* m_summary;
    QLabel* m_note;
    QCustomPlot* m_plot;
    QCPItemRect* m_highlight = nullptr;
    BreakdownTableModel* m_model;
    QTableView* m_table;
    QPlainTextEdit* m_explain;
    int m_selectedRow = -1;
};

}  // namespace archscope::ui
