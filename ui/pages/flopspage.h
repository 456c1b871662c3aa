#pragma once

#include <QFutureWatcher>
#include <QWidget>
#include <vector>

#include "analysis/statistics.h"
#include "arch/network.h"
#include "models/storequeries.h"

class QMouseEvent;
class QComboBox;
class QCustomPlot;
class QLabel;

namespace archscope::ui {

class PlatformSelector;

/// FLOPs vs latency: every zoo network (and every network of a chosen stored run) as a point of
/// MACs vs predicted (and measured, when stored) latency on one platform, with the rank
/// correlation and the log-log fit that show MACs do not predict latency; and the roofline of
/// the selected network's fused ops. GUI thread only; store queries run on workers, each with
/// its own StoreReader, and the latest request wins.
class FlopsPage : public QWidget {
    Q_OBJECT
public:
    explicit FlopsPage(QWidget* parent = nullptr);

    bool setPlatform(const QString& profileName);
    /// The platform, runtime, dtype and batch row (tests and the window set it through here).
    PlatformSelector* platformSelector() const { return m_platform; }
    /// The network whose layers the roofline shows (a zoo name); false if unknown.
    bool selectModel(const QString& name);
    /// Opens a result store: its runs are listed (off the GUI thread). Empty: none.
    void setDatabasePath(const QString& path);
    /// Shows the points of a stored run (loaded off the GUI thread); 0 clears them.
    void selectRun(qint64 runId);

    const std::vector<NetworkPoint>& zooPoints() const { return m_zoo; }
    const std::vector<NetworkPoint>& runPoints() const { return m_run.points; }
    QString statsText() const;
    QString rooflineNetwork() const;
    QCustomPlot* scatterPlot() const { return m_scatter; }
    QCustomPlot* rooflinePlot() const { return m_roofline; }
    /// Runs listed from the store (id 0 is the "none" entry).
    QList<qint64> listedRuns() const;

Q_SIGNALS:
    void runsListed();
    void runPointsLoaded();

private:
    /// What the scatter plots: every network's MACs and predicted seconds (zoo first, then the
    /// run's) and the plotted ranges (G MACs, ms).
    struct ScatterSeries {
        std::vector<double> macs, seconds;
        double xmin = 1e300, xmax = 0, ymin = 1e300, ymax = 0;
        void add(double macsPerImage, double predictedSeconds);
        void extend(double x, double y);
    };
    ScatterSeries plotNetworks();
    QString labelSpreadPair(const ScatterSeries& series);
    void buildWidgets();
    void connectSignals();
    void showNetworkAt(QMouseEvent* event);
    void showRunList();
    void showRunPoints();
    /// The network whose point lies nearest `pos` (scatter pixels, within 10 px), or null.
    const NetworkPoint* networkAt(const QPointF& pos) const;
    void updateZoo();
    void updateScatter();
    void updateRoofline();
    void requestRunPoints();

    std::vector<NetworkPoint> m_zoo;
    RunPoints m_run;
    QString m_db;
    qint64 m_runId = 0;
    QFutureWatcher<RunList> m_listWatcher;
    QFutureWatcher<RunPoints> m_pointsWatcher;
    quint64 m_listToken = 0;
    quint64 m_pointsToken = 0;

    PlatformSelector* m_platform;
    QComboBox* m_runs;
    QComboBox* m_network;
    QLabel* m_stats;
    QLabel* m_storeNote;
    QCustomPlot* m_scatter;
    QCustomPlot* m_roofline;
};

}  // namespace archscope::ui
