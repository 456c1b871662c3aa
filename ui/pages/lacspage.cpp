#include "lacspage.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <cmath>

#include "plots/logaxis.h"
#include "plots/plotmenu.h"
#include "plots/plotstyle.h"
#include "plots/qcp.h"
#include "search/evaluators.h"
#include "widgets/platformselector.h"
#include "zoo/zoo.h"

namespace archscope::ui {
namespace {

constexpr const char* kDefaultBase = "efficientnet-x-tpu-b0";
constexpr const char* kDefaultEstimator = "imagenet";

/// Runs LACS and estimates the FLOPs-rule family. Runs on a worker: plain values in and out.
LacsOutcome computeLacs(LacsRunParams p, QString base, QString estimator, std::stop_token stop) {
    LacsOutcome out;
    out.base = base;
    out.estimator = estimator;
    out.batch = p.batch;
    try {
        out.report = runLacsInMemory(p, stop);
        estimateFlopsRule(out.report, p, stop);
    } catch (const std::exception& e) {
        out.report = {};
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

/// A short vertical bar: a member's latency target, drawn at the member's estimate.
QCPScatterStyle targetTick(const QColor& color) {
    QPainterPath path;
    path.moveTo(0, -7);
    path.lineTo(0, 7);
    QCPScatterStyle style(path, QPen(color, 2.0), Qt::NoBrush, 14);
    return style;
}

QString metricLabel(const LacsReport& r) {
    return r.metric.empty() ? QObject::tr("estimate") : QString::fromStdString(r.metric);
}

}  // namespace

LacsPage::LacsPage(QWidget* parent)
    : QWidget(parent),
      m_base(new QComboBox),
      // The CLI's batch (1): at large batches the far members can hit the 64x factor cap.
      m_platform(new PlatformSelector(nullptr, LacsRunParams().batch)),
      m_estimator(new QComboBox),
      m_run(new QPushButton(tr("Run"))),
      m_status(new QLabel),
      m_family(new QCustomPlot),
      m_search(new QCustomPlot),
      m_table(new QTableWidget),
      m_details(new QTextBrowser) {
    buildWidgets();
    connectSignals();
    m_status->setText(tr("Press Run to scale the base network into a family."));
    updateFamilyPlot();
    updateSearchPlot();
}

void LacsPage::buildWidgets() {
    for (const std::string& name : zooModelNames()) m_base->addItem(QString::fromStdString(name));
    m_base->setToolTip(tr("The base network B0 that LACS scales into a family"));
    setBase(QString::fromLatin1(kDefaultBase));
    m_platform->setProfileName(QStringLiteral("tpuv3"));
    for (const std::string& name : accuracyEstimatorNames()) {
        const QString n = QString::fromStdString(name);
        m_estimator->addItem(n, n);
        m_estimator->setItemData(m_estimator->count() - 1,
                                 QString::fromStdString(findAccuracyEstimator(name).description),
                                 Qt::ToolTipRole);
    }
    setEstimator(QString::fromLatin1(kDefaultEstimator));
    m_estimator->setToolTip(tr("What estimates each latency-feasible network's accuracy"));
    m_run->setToolTip(
        tr("Search (alpha, beta, gamma) for B1, then solve every member on its own "
           "latency target (archscope-cli lacs)"));
    m_status->setWordWrap(true);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Base")));
    controls->addWidget(m_base);
    controls->addSpacing(8);
    controls->addWidget(m_platform);
    controls->addSpacing(8);
    controls->addWidget(new QLabel(tr("Estimator")));
    controls->addWidget(m_estimator);
    controls->addSpacing(8);
    controls->addWidget(m_run);
    controls->addStretch(1);

    for (QCustomPlot* plot : {m_family, m_search}) {
        applyPlotStyle(plot);
        plot->setMinimumSize(320, 260);
        plot->legend->setVisible(true);
        setPlotTitle(plot, QString());
    }
    addExportMenu(m_family, QStringLiteral("lacs-family"), [this] { updateFamilyPlot(); });
    addExportMenu(m_search, QStringLiteral("lacs-search"), [this] { updateSearchPlot(); });

    m_table->setColumnCount(7);
    m_table->setHorizontalHeaderLabels({tr("member"), tr("target (ms)"), tr("latency (ms)"),
                                        tr("deviation"), tr("estimate"), tr("FLOPs rule (ms)"),
                                        tr("FLOPs-rule estimate")});
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);

    auto* plots = new QSplitter(Qt::Horizontal);
    plots->addWidget(m_family);
    plots->addWidget(m_search);
    plots->setSizes({640, 560});
    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(m_table);
    bottom->addWidget(m_details);
    bottom->setSizes({620, 580});
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(plots);
    splitter->addWidget(bottom);
    // Room for the B0..B7 rows beneath the plots at the default window size.
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    splitter->setSizes({500, rowHeight * (LacsParams().steps + 2) + 12});
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_status);
    layout->addWidget(splitter, 1);
}

void LacsPage::connectSignals() {
    connect(m_run, &QPushButton::clicked, this, [this] { run(); });
    m_search->setMouseTracking(true);
    connect(m_search, &QCustomPlot::mouseMove, this, &LacsPage::showGridPointAt);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        if (m_watcher.property("token").toULongLong() != m_token) return;
        m_outcome = m_watcher.result();
        m_busy = false;
        showOutcome();
        Q_EMIT computed();
    });
}

/// Hover on the search plot: the nearest grid point's coefficients and figures.
void LacsPage::showGridPointAt(QMouseEvent* event) {
    const QPointF pos = event->position();
    const LacsPoint* best = nullptr;
    double bestDistance = 10.0;  // pixels
    for (const LacsPoint& p : m_outcome.report.result.grid) {
        if (!p.feasible || std::isnan(p.accuracy)) continue;
        const double d = std::hypot(m_search->xAxis->coordToPixel(p.latencyMs) - pos.x(),
                                    m_search->yAxis->coordToPixel(p.accuracy) - pos.y());
        if (d < bestDistance) bestDistance = d, best = &p;
    }
    if (!best) return QToolTip::hideText();
    const QLocale locale;
    QToolTip::showText(
        event->globalPosition().toPoint(),
        tr("α %1, β %2, γ %3\n%4 ms, estimate %5, reward %6")
            .arg(locale.toString(best->alpha, 'f', 2), locale.toString(best->beta, 'f', 2),
                 locale.toString(best->gamma, 'f', 2), locale.toString(best->latencyMs, 'g', 4),
                 locale.toString(best->accuracy, 'f', 2), locale.toString(best->reward, 'f', 2)),
        m_search);
}

LacsPage::~LacsPage() {
    // The worker reads nothing of the page, but stop it rather than leave it computing.
    m_stop.request_stop();
    m_watcher.waitForFinished();
}

bool LacsPage::setBase(const QString& name) {
    const int index = m_base->findText(name);
    if (index < 0) return false;
    m_base->setCurrentIndex(index);
    return true;
}

QString LacsPage::base() const {
    return m_base->currentText();
}

bool LacsPage::setEstimator(const QString& name) {
    const int index = m_estimator->findData(name);
    if (index < 0) return false;
    m_estimator->setCurrentIndex(index);
    return true;
}

QString LacsPage::estimator() const {
    return m_estimator->currentData().toString();
}

void LacsPage::runOnce() {
    if (!m_started) run();
}

void LacsPage::run() {
    m_started = true;
    const quint64 token = ++m_token;
    m_busy = true;
    m_stop.request_stop();  // an earlier run stops at its next evaluation
    m_stop = std::stop_source();
    LacsRunParams p;
    p.baseName = base().toStdString();
    p.hw = m_platform->profileName().toStdString();
    p.runtime = m_platform->runtimeName().toStdString();
    p.dtype = std::string(dtypeName(m_platform->dtype()));
    p.batch = m_platform->batch();
    p.accuracy = estimator().toStdString();
    const QString baseName = base(), estimatorName = estimator();
    if (const auto spec = zooSpec(p.baseName)) p.base = *spec;
    m_status->setText(tr("Scaling %1 on %2 with the %3 estimator…")
                          .arg(baseName, m_platform->profileName(), estimatorName));
    // The token travels with the watcher: a result for an older request is dropped.
    m_watcher.setProperty("token", QVariant::fromValue(token));
    m_watcher.setFuture(
        QtConcurrent::run(computeLacs, p, baseName, estimatorName, m_stop.get_token()));
}

QString LacsPage::detailsText() const {
    return m_details->toPlainText();
}

QString LacsPage::statusText() const {
    return m_status->text();
}

void LacsPage::showOutcome() {
    const LacsResult& r = m_outcome.report.result;
    const QLocale locale;
    if (!m_outcome.error.isEmpty()) {
        m_status->setText(tr("LACS failed: %1").arg(m_outcome.error));
    } else {
        m_status->setText(
            tr("%1 on %2 (%3, %4, batch %5): %6 grid points, %7 estimates; B1's step α %8, β %9, "
               "γ %10; %n warning(s).",
               nullptr, int(r.warnings.size()))
                .arg(m_outcome.base, QString::fromStdString(m_outcome.report.profile),
                     QString::fromStdString(m_outcome.report.runtime),
                     QString::fromStdString(m_outcome.report.dtype))
                .arg(m_outcome.batch)
                .arg(r.grid.size())
                .arg(r.estimates)
                .arg(locale.toString(r.alpha, 'f', 2), locale.toString(r.beta, 'f', 2),
                     locale.toString(r.gamma, 'f', 2)));
    }
    updateFamilyPlot();
    updateSearchPlot();
    updateTable();
    updateDetails();
}

void LacsPage::updateFamilyPlot() {
    QCustomPlot* plot = m_family;
    plot->clearPlottables();
    const LacsReport& rep = m_outcome.report;
    const LacsResult& r = rep.result;
    const QColor lacsColor = FamilyColors::efficientNetX();
    const QColor flopsColor = UnitColors::vector();
    m_lacsGraph = plot->addGraph();
    m_lacsGraph->setName(tr("LACS family B0..B%1").arg(int(r.family.size()) - 1));
    m_lacsGraph->setPen(QPen(lacsColor, 2.0));
    m_lacsGraph->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, lacsColor.darker(130), lacsColor, 8));
    auto* targets = plot->addGraph();
    targets->setName(tr("each member's latency target"));
    targets->setLineStyle(QCPGraph::lsNone);
    targets->setScatterStyle(targetTick(lacsColor.darker(150)));
    m_flopsGraph = plot->addGraph();
    m_flopsGraph->setName(tr("FLOPs rule (α 1.2, β 1.1, γ 1.15)"));
    m_flopsGraph->setPen(QPen(flopsColor, 2.0, Qt::DashLine));
    m_flopsGraph->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, flopsColor.darker(130), flopsColor, 8));
    double xLo = 1e300, xHi = 0, yLo = 1e300, yHi = -1e300;
    auto extend = [&](double x, double y) {
        xLo = std::min(xLo, x), xHi = std::max(xHi, x);
        yLo = std::min(yLo, y), yHi = std::max(yHi, y);
    };
    for (const FamilyMember& m : r.family) {
        if (!m.accuracy) continue;
        m_lacsGraph->addData(m.latencyMs, *m.accuracy);
        extend(m.latencyMs, *m.accuracy);
        if (m.targetMs > 0) {
            targets->addData(m.targetMs, *m.accuracy);
            extend(m.targetMs, *m.accuracy);
        }
    }
    for (const FamilyMember& m : r.flopsScaling) {
        if (!m.accuracy) continue;
        m_flopsGraph->addData(m.latencyMs, *m.accuracy);
        extend(m.latencyMs, *m.accuracy);
    }
    if (xHi <= 0) xLo = 0.1, xHi = 100, yLo = 0, yHi = 1;
    const double pad = std::max(0.05 * (yHi - yLo), 0.5);
    setLogAxis(plot->xAxis, xLo / 1.4, xHi * 1.4);
    plot->yAxis->setRange(yLo - pad, yHi + pad);
    plot->xAxis->setLabel(tr("predicted latency per batch (ms, log)"));
    plot->yAxis->setLabel(metricLabel(rep));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    setPlotTitle(plot, r.family.empty()
                           ? tr("The family: run LACS")
                           : tr("%1 scaled by LACS vs the FLOPs rule").arg(m_outcome.base));
    plot->replot();
}

void LacsPage::updateSearchPlot() {
    QCustomPlot* plot = m_search;
    plot->clearPlottables();
    plot->clearItems();
    const LacsReport& rep = m_outcome.report;
    const LacsResult& r = rep.result;
    const QColor color = UnitColors::matrix();
    auto* points = plot->addGraph();
    points->setName(tr("latency-feasible grid points"));
    points->setLineStyle(QCPGraph::lsNone);
    points->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, 5));
    auto* chosen = plot->addGraph();
    chosen->setName(tr("chosen step"));
    chosen->setLineStyle(QCPGraph::lsNone);
    chosen->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssStar, UnitColors::measured(), 16));
    const LacsPoint* best = nullptr;
    double bestDistance = 1e300;
    int feasible = 0;
    for (const LacsPoint& p : r.grid) {
        if (!p.feasible || std::isnan(p.accuracy)) continue;
        ++feasible;
        points->addData(p.latencyMs, p.accuracy);
        const double d =
            std::abs(p.alpha - r.alpha) + std::abs(p.beta - r.beta) + std::abs(p.gamma - r.gamma);
        if (d < bestDistance) bestDistance = d, best = &p;
    }
    if (best && bestDistance < 1e-9) chosen->addData(best->latencyMs, best->accuracy);
    points->setName(tr("%n latency-feasible grid point(s)", nullptr, feasible));
    plot->rescaleAxes();
    if (r.targetMs > 0) {
        const double lo = plot->xAxis->range().lower, hi = plot->xAxis->range().upper;
        const double xPad = std::max(0.05 * (hi - lo), 0.01 * r.targetMs);
        plot->xAxis->setRange(lo - xPad, hi + xPad);
        const double yl = plot->yAxis->range().lower, yh = plot->yAxis->range().upper;
        const double yPad = std::max(0.08 * (yh - yl), 0.1);
        plot->yAxis->setRange(yl - yPad, yh + yPad);
        // B1's target, the latency the feasible points lie around.
        auto* target = new QCPItemStraightLine(plot);
        target->setPen(QPen(QColor(90, 90, 90), 1.0, Qt::DashLine));
        target->point1->setCoords(r.targetMs, 0);
        target->point2->setCoords(r.targetMs, 1);
        auto* label = new QCPItemText(plot);
        label->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(r.targetMs, 0.01);
        label->setPadding(QMargins(4, 2, 4, 2));
        label->setColor(QColor(90, 90, 90));
        label->setText(tr("B1's target"));
    }
    plot->xAxis->setLabel(tr("predicted latency per batch (ms)"));
    plot->yAxis->setLabel(metricLabel(rep));
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    const QLocale locale;
    setPlotTitle(plot, r.grid.empty() ? tr("The (α, β, γ) search for B1")
                                      : tr("B1's step: α %1, β %2, γ %3 (target %4 ms)")
                                            .arg(locale.toString(r.alpha, 'f', 2),
                                                 locale.toString(r.beta, 'f', 2),
                                                 locale.toString(r.gamma, 'f', 2),
                                                 locale.toString(r.targetMs, 'g', 4)));
    plot->replot();
}

void LacsPage::updateTable() {
    const LacsResult& r = m_outcome.report.result;
    const QLocale locale;
    const int rows = int(std::max(r.family.size(), r.flopsScaling.size()));
    m_table->setRowCount(rows);
    auto cell = [&](int row, int column, const QString& text) {
        auto* item = new QTableWidgetItem(text);
        if (column > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, column, item);
    };
    auto number = [&](double v, int digits) { return locale.toString(v, 'f', digits); };
    auto estimate = [&](const std::optional<double>& a) {
        return a ? number(*a, 2) : QStringLiteral("–");
    };
    for (int k = 0; k < rows; ++k) {
        cell(k, 0, QStringLiteral("B%1").arg(k));
        if (k < int(r.family.size())) {
            const FamilyMember& m = r.family[size_t(k)];
            cell(k, 1, m.targetMs > 0 ? number(m.targetMs, 3) : tr("base"));
            cell(k, 2, number(m.latencyMs, 3));
            cell(k, 3,
                 m.targetMs > 0 ? QStringLiteral("%1%2 %").arg(
                                      m.deviation >= 0 ? QStringLiteral("+") : QString(),
                                      number(100 * m.deviation, 1))
                                : QString());
            if (m.targetMs > 0 && std::abs(m.deviation) > LacsParams().memberTolerance)
                m_table->item(k, 3)->setForeground(UnitColors::measured());
            cell(k, 4, estimate(m.accuracy));
        }
        if (k < int(r.flopsScaling.size())) {
            const FamilyMember& m = r.flopsScaling[size_t(k)];
            cell(k, 5, number(m.latencyMs, 3));
            cell(k, 6, estimate(m.accuracy));
        }
    }
}

void LacsPage::updateDetails() {
    const LacsReport& rep = m_outcome.report;
    auto esc = [](const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); };
    if (!m_outcome.error.isEmpty()) {
        m_details->setHtml(tr("<p><b>No result</b>: %1</p>").arg(m_outcome.error.toHtmlEscaped()));
        return;
    }
    if (rep.result.family.empty()) {
        m_details->clear();
        return;
    }
    QString html = tr("<p><b>Latency</b>: %1</p>").arg(esc(rep.latencyMethod));
    html += tr("<p><b>Estimate</b>: %1 (%2 estimator)</p>")
                .arg(esc(rep.metric), m_outcome.estimator.toHtmlEscaped());
    html +=
        tr("<p>Each member k is α<sup>φ</sup>, β<sup>φ</sup>, γ<sup>φ</sup> with φ solved for "
           "its own target; the FLOPs rule is EfficientNet's (Tan &amp; Le 2019).</p>");
    if (rep.result.warnings.empty()) {
        html += tr("<p><b>Warnings</b>: none</p>");
    } else {
        html += tr("<p><b>Warnings</b></p><ul>");
        for (const std::string& w : rep.result.warnings)
            html += QStringLiteral("<li>%1</li>").arg(esc(w));
        html += QStringLiteral("</ul>");
    }
    m_details->setHtml(html);
}

}  // namespace archscope::ui
