#include "trialspage.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <algorithm>
#include <cmath>
#include <map>

#include "models/trialstablemodel.h"
#include "plots/orderscatter.h"
#include "plots/plotmenu.h"
#include "plots/plotstyle.h"
#include "plots/qcp.h"
#include "runfollower.h"
#include "search/pareto.h"
#include "store/run_state.h"

namespace archscope::ui {
namespace {

constexpr int kImportanceBars = 10;  // parameters shown: the chart stays readable at 1280x800
constexpr double kPickPixels = 12.0;

/// The text filter over every column, plus "candidates only" (hides reference networks).
class TrialsFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setCandidatesOnly(bool on) {
        m_candidatesOnly = on;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
        if (m_candidatesOnly) {
            const QModelIndex status = sourceModel()->index(row, TrialsTableModel::Status, parent);
            if (status.data().toString() == QLatin1String("reference")) return false;
        }
        return QSortFilterProxyModel::filterAcceptsRow(row, parent);
    }

private:
    bool m_candidatesOnly = false;
};

bool plotted(const Trial& t) {
    return t.latencyMs && t.accuracy;
}

}  // namespace

TrialsPage::TrialsPage(QWidget* parent)
    : QWidget(parent),
      m_follower(new RunFollower(this)),
      m_model(new TrialsTableModel(this)),
      m_proxy(new TrialsFilter(this)),
      m_view(new QTableView),
      m_filter(new QLineEdit),
      m_candidatesOnly(new QCheckBox(tr("Candidates only"))),
      m_summary(new QLabel),
      m_plot(new QCustomPlot),
      m_importancePlot(new QCustomPlot) {
    buildWidgets();
    connectWidgets();
    updateSummary();
}

TrialsPage::~TrialsPage() = default;

// Long (~90 lines): widget setup in layout order, a linear script with no logic to split out.
void TrialsPage::buildWidgets() {
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(TrialsTableModel::Seq, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->setAlternatingRowColors(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setDefaultSectionSize(90);
    m_filter->setPlaceholderText(tr("Filter: name, status, block string (k5, se0.25)…"));
    m_filter->setMinimumWidth(200);
    m_filter->setClearButtonEnabled(true);
    m_summary->setWordWrap(true);

    applyPlotStyle(m_plot);
    m_scatter = std::make_unique<OrderScatter>(
        m_plot, tr("candidates (colour: evaluation order, dark → light)"));
    m_front = m_plot->addGraph();
    m_front->setName(tr("Pareto front"));
    m_front->setLineStyle(QCPGraph::lsStepRight);
    m_front->setPen(QPen(UnitColors::measured(), 2));
    m_references = m_plot->addGraph();
    m_references->setName(tr("reference networks"));
    m_references->setLineStyle(QCPGraph::lsNone);
    m_references->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, Qt::black, QColor(255, 215, 0), 12));
    m_highlight = m_plot->addGraph();
    m_highlight->setName(tr("selected"));
    m_highlight->setLineStyle(QCPGraph::lsNone);
    m_highlight->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::red, 2.5), Qt::NoBrush, 16));
    m_plot->xAxis->setLabel(tr("latency (ms)"));
    m_plot->yAxis->setLabel(tr("accuracy"));
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    m_plot->setMouseTracking(true);
    setPlotTitle(m_plot, tr("Accuracy vs latency"));
    addExportMenu(m_plot, QStringLiteral("trials"), [this] {
        m_rescale = true;
        refresh();
    });

    applyPlotStyle(m_importancePlot);
    m_importancePlot->setInteractions({});
    m_latencyBars = new QCPBars(m_importancePlot->yAxis, m_importancePlot->xAxis);
    m_accuracyBars = new QCPBars(m_importancePlot->yAxis, m_importancePlot->xAxis);
    m_latencyBars->setName(tr("latency"));
    m_accuracyBars->setName(tr("accuracy"));
    m_latencyBars->setBrush(UnitColors::matrix());
    m_accuracyBars->setBrush(FamilyColors::efficientNet());
    for (QCPBars* bars : {m_latencyBars, m_accuracyBars}) {
        bars->setPen(Qt::NoPen);
        bars->setWidth(0.4);
    }
    auto* group = new QCPBarsGroup(m_importancePlot);
    m_latencyBars->setBarsGroup(group);
    m_accuracyBars->setBarsGroup(group);
    m_importancePlot->xAxis->setLabel(tr("share of variance explained"));
    m_importancePlot->xAxis->setRange(0.0, 1.0);
    m_importancePlot->legend->setVisible(true);
    m_importancePlot->axisRect()->insetLayout()->setInsetAlignment(
        0, Qt::AlignBottom | Qt::AlignRight);
    setPlotTitle(m_importancePlot,
                 tr("Parameter importance: %1").arg(QString::fromUtf8(kImportanceMethod)));
    addExportMenu(m_importancePlot, QStringLiteral("importance"));

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_filter, 1);
    controls->addWidget(m_candidatesOnly);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(controls);
    leftLayout->addWidget(m_view, 1);
    auto* plots = new QSplitter(Qt::Vertical);
    plots->addWidget(m_plot);
    plots->addWidget(m_importancePlot);
    plots->setSizes({380, 300});
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(plots);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({540, 560});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
}

void TrialsPage::connectWidgets() {
    connect(m_follower, &RunFollower::trialsArrived, this, &TrialsPage::onTrials);
    connect(m_follower, &RunFollower::runUpdated, this, [this](const store::RunRecord& run) {
        m_run = run;
        updateSummary();
    });
    connect(m_follower, &RunFollower::failed, this, [this](qint64 runId, const QString& message) {
        m_summary->setText(tr("Cannot read run %1: %2").arg(runId).arg(message));
    });
    connect(m_filter, &QLineEdit::textChanged, m_proxy, [this](const QString& text) {
        m_proxy->setFilterRegularExpression(QRegularExpression(
            QRegularExpression::escape(text), QRegularExpression::CaseInsensitiveOption));
    });
    connect(m_candidatesOnly, &QCheckBox::toggled, this,
            [this](bool on) { static_cast<TrialsFilter*>(m_proxy)->setCandidatesOnly(on); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                const qint64 id = current.data(TrialsTableModel::EvaluationIdRole).toLongLong();
                if (id == m_selected) return;
                m_selected = id;
                updateHighlight();
                if (id) Q_EMIT evaluationSelected(id);
            });
    connect(&m_importanceWatcher, &QFutureWatcher<ImportanceResult>::finished, this, [this] {
        const ImportanceResult r = m_importanceWatcher.result();
        if (r.runId == m_follower->runId()) showImportance(r);
    });
    // Replots are throttled: a live run may add many trials per second.
    m_refresh.setInterval(250);
    connect(&m_refresh, &QTimer::timeout, this, &TrialsPage::refresh);
    m_refresh.start();
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        const qint64 id = evaluationAt(event->pos());
        const int row = m_model->rowOfEvaluation(id);
        if (row < 0) return QToolTip::hideText();
        const Trial& t = m_model->trials()[size_t(row)];
        QToolTip::showText(
            event->globalPosition().toPoint(),
            tr("<b>%1</b> (#%2)<br>latency %3 ms (%4)<br>%5 %6<br>click: select its row")
                .arg(QString::fromStdString(t.name))
                .arg(t.seq.value_or(0))
                .arg(t.latencyMs.value_or(NAN), 0, 'g', 4)
                .arg(QString::fromUtf8(store::latencySourceName(t.latencySource)))
                .arg(QString::fromStdString(t.metric))
                .arg(t.accuracy.value_or(NAN), 0, 'g', 5),
            m_plot);
    });
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (event->button() != Qt::LeftButton) return;
        const qint64 id = evaluationAt(event->pos());
        if (id && selectEvaluation(id)) Q_EMIT evaluationSelected(id);
    });
}

void TrialsPage::showRun(const QString& dbPath, qint64 runId) {
    m_model->clear();
    m_selected = 0;
    m_run = {};
    m_run.id = runId;
    m_metric.clear();
    m_rescale = true;
    m_dirty = true;
    m_summary->setText(tr("Loading run %1…").arg(runId));
    m_follower->follow(dbPath, runId);
}

qint64 TrialsPage::runId() const {
    return m_follower->runId();
}

void TrialsPage::onTrials(qint64 runId, const std::vector<Trial>& trials) {
    if (runId != m_follower->runId()) return;
    m_model->append(trials);
    if (m_model->rowCount() && m_view->horizontalHeader()->sectionSize(0) == 90)
        m_view->resizeColumnsToContents();
    m_dirty = true;
    updateSummary();
    Q_EMIT updated(m_model->rowCount());
}

void TrialsPage::refresh() {
    if (m_dirty) {
        m_dirty = false;
        m_importanceDirty = true;
        rebuildScatter();
        updateSummary();
    }
    // The importance re-reads every trial: one worker at a time, while a run grows at most
    // once a second.
    const bool live = m_run.status == store::kStatusRunning;
    if (m_importanceDirty && !m_importanceWatcher.isRunning() &&
        (!live || !m_importanceClock.isValid() || m_importanceClock.elapsed() >= 1000)) {
        m_importanceDirty = false;
        m_importanceClock.start();
        startImportance();
    }
}

void TrialsPage::rebuildScatter() {
    QVector<double> cx, cy, rx, ry;
    ParetoFront front;
    QString metric;
    for (const Trial& t : m_model->trials()) {
        if (!plotted(t)) continue;
        if (metric.isEmpty()) metric = QString::fromStdString(t.metric);
        if (t.isReference()) {
            rx << *t.latencyMs;
            ry << *t.accuracy;
            continue;
        }
        cx << *t.latencyMs;
        cy << *t.accuracy;
        front.insert({t.evaluationId, *t.latencyMs, *t.accuracy});
    }
    m_scatter->setPoints(cx, cy);
    m_references->setData(rx, ry);
    QVector<double> fx, fy;
    for (const FrontPoint& p : front.points()) fx << p.latency, fy << p.accuracy;
    m_front->setData(fx, fy, true);
    // A metric may name its estimator at length ("predicted ImageNet top-1 (fitted on 58 ...)"):
    // the axis shows what fits, the summary above the table all of it.
    if (!metric.isEmpty()) {
        m_metric = metric;
        const QFontMetrics fm(m_plot->yAxis->labelFont());
        m_plot->yAxis->setLabel(
            fm.elidedText(metric, Qt::ElideRight, std::max(120, m_plot->axisRect()->height())));
    }
    const char* source = !m_model->trials().empty()
                             ? store::latencySourceName(m_model->trials().back().latencySource)
                             : "predicted";
    m_plot->xAxis->setLabel(tr("latency (ms, %1)").arg(QString::fromUtf8(source)));
    updateHighlight();
    if (m_rescale && (!cx.isEmpty() || !rx.isEmpty())) {
        m_plot->rescaleAxes();
        m_plot->xAxis->scaleRange(1.1, m_plot->xAxis->range().center());
        m_plot->yAxis->scaleRange(1.1, m_plot->yAxis->range().center());
        m_rescale = cx.size() < 50;  // follow the first points, then let the user zoom
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TrialsPage::startImportance() {
    // Hundreds of ms for thousands of trials (both objectives): on a worker, from a copy.
    m_importanceWatcher.setFuture(
        QtConcurrent::run([trials = m_model->trials(), runId = m_follower->runId()] {
            ImportanceResult r;
            r.runId = runId;
            const ImportanceData byLatency = importanceData(trials, Objective::Latency);
            r.candidates = byLatency.levels.size();
            r.latency = varianceImportance(byLatency);
            r.accuracy = varianceImportance(importanceData(trials, Objective::Accuracy));
            return r;
        }));
}

void TrialsPage::showImportance(const ImportanceResult& result) {
    m_latencyImportance = result.latency;
    m_accuracyImportance = result.accuracy;
    const size_t candidates = result.candidates;
    // The parameters that matter most for either objective, the largest on top.
    std::map<std::string, std::pair<double, double>> shares;
    for (const auto& p : m_latencyImportance) shares[p.parameter].first = p.share;
    for (const auto& p : m_accuracyImportance) shares[p.parameter].second = p.share;
    std::vector<std::pair<std::string, std::pair<double, double>>> ranked(shares.begin(),
                                                                          shares.end());
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return std::max(a.second.first, a.second.second) >
               std::max(b.second.first, b.second.second);
    });
    ranked.erase(std::remove_if(
                     ranked.begin(), ranked.end(),
                     [](const auto& r) { return r.second.first <= 0.0 && r.second.second <= 0.0; }),
                 ranked.end());
    if (ranked.size() > size_t(kImportanceBars)) ranked.resize(size_t(kImportanceBars));
    QVector<double> keys, latency, accuracy;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (size_t i = 0; i < ranked.size(); ++i) {
        const double key = double(ranked.size() - i);  // largest at the top
        keys << key;
        latency << ranked[i].second.first;
        accuracy << ranked[i].second.second;
        ticker->addTick(key, QString::fromStdString(ranked[i].first));
    }
    m_latencyBars->setData(keys, latency);
    m_accuracyBars->setData(keys, accuracy);
    m_importancePlot->yAxis->setTicker(ticker);
    m_importancePlot->yAxis->setRange(0.4, double(ranked.size()) + 0.6);
    m_importancePlot->xAxis->setLabel(
        ranked.empty() ? tr("share of variance explained (no parameter stands out yet: %1 "
                            "candidates)")
                             .arg(candidates)
                       : tr("share of variance explained, over %1 candidates").arg(candidates));
    m_importancePlot->replot(QCustomPlot::rpQueuedReplot);
}

void TrialsPage::updateHighlight() {
    QVector<double> x, y;
    const int row = m_model->rowOfEvaluation(m_selected);
    if (row >= 0) {
        const Trial& t = m_model->trials()[size_t(row)];
        if (plotted(t)) x << *t.latencyMs, y << *t.accuracy;
    }
    m_highlight->setData(x, y);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool TrialsPage::selectEvaluation(qint64 evaluationId) {
    const int row = m_model->rowOfEvaluation(evaluationId);
    if (row < 0) return false;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_selected = evaluationId;
    updateHighlight();
    if (!index.isValid()) return true;  // filtered out of the table; the point still shows it
    m_view->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    return true;
}

qint64 TrialsPage::evaluationAt(const QPoint& pixel) const {
    qint64 best = 0;
    double bestD2 = kPickPixels * kPickPixels;
    for (const Trial& t : m_model->trials()) {
        if (!plotted(t)) continue;
        const double dx = m_plot->xAxis->coordToPixel(*t.latencyMs) - pixel.x();
        const double dy = m_plot->yAxis->coordToPixel(*t.accuracy) - pixel.y();
        if (dx * dx + dy * dy < bestD2) bestD2 = dx * dx + dy * dy, best = t.evaluationId;
    }
    return best;
}

void TrialsPage::updateSummary() {
    if (!m_follower->runId()) {
        m_summary->setText(
            tr("No run shown: open one from History (or start a search on the "
               "Run page); a run another process is writing updates live."));
        return;
    }
    const QString state = m_run.status.empty()
                              ? tr("reading")
                              : QString::fromStdString(describeRunState(m_run, {}).text);
    m_summary->setText(
        tr("Run %1 (%2): %3 trials%4%5. Sort by any column, filter by text; select a row to "
           "mark its point, click a point to select its row.")
            .arg(m_follower->runId())
            .arg(state)
            .arg(m_model->rowCount())
            .arg(m_metric.isEmpty() ? QString() : tr(", accuracy: %1").arg(m_metric))
            .arg(m_follower->following() && m_run.status == store::kStatusRunning
                     ? tr(", following live")
                     : QString()));
}

}  // namespace archscope::ui
