#include "paretopage.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <algorithm>
#include <cmath>

#include "plots/orderscatter.h"
#include "plots/plotstyle.h"
#include "plots/qcp.h"
#include "runfollower.h"

namespace archscope::ui {
namespace {

/// A trial as a point; false for one without both figures (it cannot be placed).
bool toPoint(const Trial& t, ParetoPoint* p) {
    if (!t.latencyMs || !t.accuracy) return false;
    *p = {t.seq.value_or(0),
          QString::fromStdString(t.name),
          QString::fromStdString(t.archHash),
          *t.latencyMs,
          *t.accuracy,
          t.macs.value_or(0)};
    return true;
}

}  // namespace

ParetoPage::ParetoPage(QWidget* parent)
    : QWidget(parent),
      m_plot(new QCustomPlot),
      m_logX(new QCheckBox(tr("Log latency axis"))),
      m_summary(new QLabel),
      m_follower(new RunFollower(this)) {
    buildWidgets();
    connectSignals();
    clear(0);
}

void ParetoPage::buildWidgets() {
    applyPlotStyle(m_plot);
    m_candidates = std::make_unique<OrderScatter>(
        m_plot, tr("candidates (colour: evaluation order, dark → light)"), 8, 5.0);
    m_frontGraph = m_plot->addGraph();
    m_frontGraph->setName(tr("Pareto front"));
    m_frontGraph->setLineStyle(QCPGraph::lsStepRight);
    m_frontGraph->setPen(QPen(UnitColors::measured(), 2));
    m_frontGraph->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, UnitColors::measured(), 7));
    m_references = m_plot->addGraph();
    m_references->setName(tr("reference networks (same estimator)"));
    m_references->setLineStyle(QCPGraph::lsNone);
    m_references->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, Qt::black, QColor(255, 215, 0), 13));
    m_plot->xAxis->setLabel(tr("latency (ms)"));
    m_plot->yAxis->setLabel(tr("accuracy"));
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    m_plot->setMouseTracking(true);
    m_summary->setWordWrap(true);

    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_logX);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
}

void ParetoPage::connectSignals() {
    connect(m_logX, &QCheckBox::toggled, this, &ParetoPage::setLogLatency);
    m_replotTimer.setInterval(40);  // at most ~25 replots per second, however fast points arrive
    connect(&m_replotTimer, &QTimer::timeout, this, [this] {
        if (!m_dirty) return;
        rebuildGraphs();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        ++m_replots;
        m_dirty = false;
    });
    m_replotTimer.start();
    connect(m_plot, &QCustomPlot::mouseMove, this, &ParetoPage::showPointAt);
    connect(m_plot, &QCustomPlot::mousePress, this, &ParetoPage::activatePointAt);
    connect(m_follower, &RunFollower::trialsArrived, this, &ParetoPage::addTrials);
    connect(m_follower, &RunFollower::failed, this, [this](qint64 runId, const QString& error) {
        if (runId == m_runId)
            m_summary->setText(tr("Cannot load run %1: %2").arg(runId).arg(error));
    });
}

void ParetoPage::showPointAt(QMouseEvent* event) {
    const int i = nearestPoint(event->pos(), 12.0);
    if (i < 0) {
        QToolTip::hideText();
        return;
    }
    const ParetoPoint& p = m_points[i];
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("<b>%1</b>%2<br>latency %3 ms<br>%4 %5<br>%6 GMACs<br>%7")
                           .arg(p.name, p.seq < 0 ? tr(" (reference)") : tr(" (#%1)").arg(p.seq))
                           .arg(p.latencyMs, 0, 'g', 4)
                           .arg(m_metric)
                           .arg(p.accuracy, 0, 'f', 3)
                           .arg(p.macs / 1e9, 0, 'f', 3)
                           .arg(tr("click: per-layer breakdown; right-click: export")),
                       m_plot);
}

/// A click opens the point's candidate in the breakdown; a right-click offers that or export.
void ParetoPage::activatePointAt(QMouseEvent* event) {
    const int i = nearestPoint(event->pos(), 12.0);
    if (i < 0) return;
    const ParetoPoint p = m_points[i];
    if (event->button() == Qt::RightButton) {
        QMenu menu;
        menu.addAction(tr("Open %1 in the per-layer breakdown").arg(p.name), this,
                       [this, p] { Q_EMIT candidateActivated(m_runId, p.seq, p.name); });
        menu.addAction(tr("Export %1 (JSON / block strings / PyTorch)…").arg(p.name), this,
                       [this, p] { Q_EMIT exportRequested(m_runId, p.seq, p.name); });
        menu.exec(event->globalPosition().toPoint());
        return;
    }
    Q_EMIT candidateActivated(m_runId, p.seq, p.name);
}

/// Trials of the followed run as they arrive (each once, by sequence number).
void ParetoPage::addTrials(qint64 runId, const std::vector<Trial>& trials) {
    if (runId != m_runId) return;
    const bool first = !m_followed;
    m_followed = true;
    for (const Trial& t : trials) {
        ParetoPoint p;
        if (m_seqs.contains(t.seq.value_or(0)) || !toPoint(t, &p)) continue;
        if (!t.metric.empty()) m_metric = QString::fromStdString(t.metric);
        m_plot->xAxis->setLabel(
            tr("latency (ms, %1)")
                .arg(QString::fromUtf8(store::latencySourceName(t.latencySource))));
        addPoint(p);
    }
    scheduleReplot();
    if (first) Q_EMIT loaded(runId, int(m_points.size()));
}

ParetoPage::~ParetoPage() = default;

void ParetoPage::clear(qint64 runId) {
    m_follower->stop();
    m_followed = false;
    m_runId = runId;
    m_points.clear();
    m_seqs.clear();
    m_front.clear();
    m_rescale = true;
    m_summary->setText(runId ? tr("Run %1").arg(runId)
                             : tr("No run yet: start a search on the Run page, or open a stored "
                                  "run from History."));
    scheduleReplot();
}

void ParetoPage::addResult(const archscope::engine::Result& r) {
    if (r.runId != m_runId || !r.latency.known() || !r.accuracy) return;
    if (!r.accuracy->metric.empty()) m_metric = QString::fromStdString(r.accuracy->metric);
    m_plot->xAxis->setLabel(
        tr("latency (ms, %1)").arg(QString::fromUtf8(store::latencySourceName(r.latency.source))));
    addPoint({r.seq, QString::fromStdString(r.name), QString::fromStdString(r.archHash),
              r.latency.ms, r.accuracy->value, r.macs.value_or(0)});
    scheduleReplot();
}

void ParetoPage::loadRun(const QString& dbPath, qint64 runId) {
    clear(runId);
    m_summary->setText(tr("Loading run %1…").arg(runId));
    m_follower->follow(dbPath, runId);
}

void ParetoPage::setLogLatency(bool log) {
    if (m_logX->isChecked() != log) m_logX->setChecked(log);
    m_plot->xAxis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    m_plot->xAxis->setTicker(log ? QSharedPointer<QCPAxisTicker>(new QCPAxisTickerLog)
                                 : QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    m_rescale = true;
    scheduleReplot();
}

void ParetoPage::addPoint(const ParetoPoint& p) {
    if (m_seqs.contains(p.seq)) return;  // the live events and the store may both bring it
    m_seqs.insert(p.seq);
    m_points.push_back(p);
    if (p.seq >= 0) m_front.insert({m_points.size() - 1, p.latencyMs, p.accuracy});
    m_dirty = true;
}

void ParetoPage::scheduleReplot() {
    m_dirty = true;
}

void ParetoPage::rebuildGraphs() {
    QVector<double> cx, cy, rx, ry;
    for (const auto& p : m_points) {
        (p.seq < 0 ? rx : cx).push_back(p.latencyMs);
        (p.seq < 0 ? ry : cy).push_back(p.accuracy);
    }
    m_candidates->setPoints(cx, cy);
    m_references->setData(rx, ry);
    QVector<double> fx, fy;
    for (const auto& f : m_front.points()) {
        fx.push_back(f.latency);
        fy.push_back(f.accuracy);
    }
    m_frontGraph->setData(fx, fy, true);
    // Reference labels: one text item per reference network.
    m_plot->clearItems();
    // One label per position: references that are the same network share a point.
    QMap<QPair<double, double>, QStringList> labels;
    for (const auto& p : m_points) {
        if (p.seq < 0) labels[{p.latencyMs, p.accuracy}] << p.name;
    }
    double lowest = 1e300, highest = 0.0;
    for (const auto& p : m_points) {
        lowest = std::min(lowest, p.latencyMs);
        highest = std::max(highest, p.latencyMs);
    }
    for (auto it = labels.cbegin(); it != labels.cend(); ++it) {
        auto* label = new QCPItemText(m_plot);
        label->position->setCoords(it.key().first, it.key().second);
        // Right of its point in the left half, left of it in the right half: a reference at
        // the slow end (B0 beside X-B0) had its name cut at the plot's edge.
        const bool rightHalf = it.key().first > (lowest + highest) / 2.0;
        const QString text = it.value().join(QStringLiteral(" = "));
        label->setPositionAlignment((rightHalf ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignBottom);
        label->setText(rightHalf ? text + QStringLiteral("  ") : QStringLiteral("  ") + text);
        label->setFont(QFont(font().family(), 9, QFont::Bold));
    }
    m_plot->yAxis->setLabel(m_metric);
    if (m_rescale && !m_points.isEmpty()) {
        m_plot->rescaleAxes();
        m_plot->xAxis->scaleRange(1.1, m_plot->xAxis->range().center());
        m_plot->yAxis->scaleRange(1.1, m_plot->yAxis->range().center());
        m_rescale =
            m_points.size() < 50;  // keep following the first points, then let the user zoom
    }
    if (m_runId) {
        m_summary->setText(tr("Run %1: %2 candidates, %3 on the front. Hover a point for its "
                              "summary; click to open its per-layer breakdown.")
                               .arg(m_runId)
                               .arg(m_points.size())
                               .arg(m_front.size()));
    }
}

int ParetoPage::nearestPoint(const QPoint& pixel, double maxDistance) const {
    int best = -1;
    double bestD2 = maxDistance * maxDistance;
    for (int i = 0; i < m_points.size(); ++i) {
        const double x = m_plot->xAxis->coordToPixel(m_points[i].latencyMs);
        const double y = m_plot->yAxis->coordToPixel(m_points[i].accuracy);
        const double d2 = (x - pixel.x()) * (x - pixel.x()) + (y - pixel.y()) * (y - pixel.y());
        if (d2 < bestD2) {
            bestD2 = d2;
            best = i;
        }
    }
    return best;
}

}  // namespace archscope::ui
