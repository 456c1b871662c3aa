#pragma once

#include <QFutureWatcher>
#include <QString>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include "engine/events.h"
#include "search/pareto.h"

class QCheckBox;
class QCustomPlot;
class QCPGraph;
class QLabel;

namespace archscope::ui {

/// One evaluated network on the accuracy-vs-latency plane.
struct ParetoPoint {
    qint64 seq = 0;  ///< < 0: a reference network evaluated the same way (base, zoo models)
    QString name;
    QString hash;
    double latencyMs = 0.0;
    double accuracy = 0.0;
    qint64 macs = 0;
};

/// Loaded off the GUI thread: a stored run's points and its labels.
struct ParetoRunData {
    qint64 runId = 0;
    QVector<ParetoPoint> points;
    QString metric;
    QString latencySource;
    QString error;
};

/// The live Pareto front: every candidate as a point, the front as a step line, reference
/// networks as labelled markers. Follows a running search (points arrive as events; replots are
/// throttled to one per 40 ms) or shows a stored run (loaded on a worker thread). Hover shows a
/// candidate's summary; a click asks to open it in the breakdown view.
class ParetoPage : public QWidget {
    Q_OBJECT
public:
    explicit ParetoPage(QWidget* parent = nullptr);

    void clear(qint64 runId);
    void addResult(const archscope::engine::Result& r);
    /// Loads a stored run on a worker thread (the latest request wins).
    void loadRun(const QString& dbPath, qint64 runId);
    void setLogLatency(bool log);

    const QVector<ParetoPoint>& points() const { return m_points; }
    const ParetoFront& front() const { return m_front; }
    qint64 runId() const { return m_runId; }
    int replotCount() const { return m_replots; }
    QCustomPlot* plot() const { return m_plot; }

Q_SIGNALS:
    void candidateActivated(qint64 runId, qint64 seq, const QString& name);
    /// Right-click on a point: the user wants the architecture as a file.
    void exportRequested(qint64 runId, qint64 seq, const QString& name);
    void loaded(qint64 runId, int points);

private:
    void addPoint(const ParetoPoint& p);
    void rebuildGraphs();
    void scheduleReplot();
    int nearestPoint(const QPoint& pixel, double maxDistance) const;

    QCustomPlot* m_plot;
    QCPGraph* m_candidates;
    QCPGraph* m_frontGraph;
    QCPGraph* m_references;
    QCheckBox* m_logX;
    QLabel* m_summary;
    QTimer m_replotTimer;
    bool m_dirty = false;
    bool m_rescale = true;
    int m_replots = 0;
    qint64 m_runId = 0;
    QString m_metric = QStringLiteral("accuracy");
    QVector<ParetoPoint> m_points;
    ParetoFront m_front;
    QFutureWatcher<ParetoRunData> m_loader;
    quint64 m_loadToken = 0;
};

}  // namespace archscope::ui
