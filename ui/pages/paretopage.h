#pragma once

#include <QSet>
#include <QString>
#include <QTimer>
#include <QVector>
#include <QWidget>
#include <memory>

#include "engine/events.h"
#include "search/pareto.h"
#include "search/trials.h"

class QMouseEvent;
class QCheckBox;
class QCustomPlot;
class QCPGraph;
class QLabel;

namespace archscope::ui {
class OrderScatter;
class RunFollower;
}  // namespace archscope::ui

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

/// The live Pareto front: every candidate as a point, the front as a step line, reference
/// networks as labelled markers; candidates are coloured by evaluation order. Follows this
/// window's search (points arrive as events; replots are throttled to one per 40 ms) or a
/// stored run through a RunFollower, which keeps reading while another process writes it.
/// Hover shows a candidate's summary; a click asks to open it in the breakdown view.
class ParetoPage : public QWidget {
    Q_OBJECT
public:
    explicit ParetoPage(QWidget* parent = nullptr);
    ~ParetoPage() override;

    void clear(qint64 runId);
    void addResult(const archscope::engine::Result& r);
    /// Loads a stored run on a worker thread and follows it while it runs (the latest request
    /// wins).
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
    void buildWidgets();
    void connectSignals();
    void showPointAt(QMouseEvent* event);
    void activatePointAt(QMouseEvent* event);
    void addTrials(qint64 runId, const std::vector<Trial>& trials);
    void addPoint(const ParetoPoint& p);
    void rebuildGraphs();
    void scheduleReplot();
    int nearestPoint(const QPoint& pixel, double maxDistance) const;

    QCustomPlot* m_plot;
    std::unique_ptr<OrderScatter> m_candidates;
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
    QSet<qint64> m_seqs;  ///< the candidates shown, by seq
    RunFollower* m_follower;
    bool m_followed = false;  ///< the follower's first batch has arrived
};

}  // namespace archscope::ui
