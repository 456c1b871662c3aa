#include "flopspage.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <cmath>

#include "arch/expand.h"
#include "hw/blocksummary.h"
#include "hw/explain.h"
#include "models/breakdowntablemodel.h"
#include "plots/logaxis.h"
#include "plots/plotmenu.h"
#include "plots/plotstyle.h"
#include "plots/qcp.h"
#include "widgets/platformselector.h"
#include "zoo/zoo.h"

namespace archscope::ui {
namespace {

/// Stored runs can hold thousands of networks; a scatter of this many stays responsive.
constexpr int kMaxRunPoints = 5000;

QString familyOf(const QString& name) {
    if (const auto family = zooFamilyOf(name.toStdString())) return QString::fromStdString(*family);
    return QObject::tr("other networks");
}

QColor colorOfFamily(const QString& family) {
    return FamilyColors::forFamily(family.toStdString());
}

}  // namespace

FlopsPage::FlopsPage(QWidget* parent)
    : QWidget(parent),
      m_platform(new PlatformSelector),
      m_runs(new QComboBox),
      m_network(new QComboBox),
      m_stats(new QLabel),
      m_storeNote(new QLabel),
      m_scatter(new QCustomPlot),
      m_roofline(new QCustomPlot) {
    buildWidgets();
    connectSignals();
    updateZoo();
    {
        const QSignalBlocker blocker(m_network);
        m_network->setCurrentText(QStringLiteral("efficientnet-b0"));
    }
    updateRoofline();
}

void FlopsPage::buildWidgets() {
    m_runs->addItem(tr("none (no result store open)"), qint64(0));
    m_runs->setEnabled(false);
    // Run labels are long ("run 3 · search · finished · 303 evaluations"): elide, so a loaded
    // store does not push the window wider than 1280 px.
    m_runs->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_runs->setMinimumContentsLength(16);
    m_runs->setToolTip(
        tr("Add the networks of a stored run (predicted on this platform; "
           "measured where the store has it)"));
    for (const std::string& name : zooModelNames())
        m_network->addItem(QString::fromStdString(name));
    m_network->setToolTip(tr("The network whose fused ops the roofline shows (or click a point)"));

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_platform);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Stored run")));
    controls->addWidget(m_runs, 1);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Roofline of")));
    controls->addWidget(m_network);

    for (QCustomPlot* plot : {m_scatter, m_roofline}) {
        applyPlotStyle(plot);
        plot->setMinimumSize(320, 300);
        plot->setMouseTracking(true);
        plot->legend->setVisible(true);
    }
    addExportMenu(m_scatter, QStringLiteral("flops-vs-latency"), [this] { updateScatter(); });
    addExportMenu(m_roofline, QStringLiteral("roofline"), [this] { updateRoofline(); });
    m_stats->setWordWrap(true);
    m_stats->setTextFormat(Qt::RichText);
    m_storeNote->setWordWrap(true);
    m_storeNote->setStyleSheet(QStringLiteral("color:#555"));

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_scatter, 1);
    leftLayout->addWidget(m_stats);
    leftLayout->addWidget(m_storeNote);
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(left);
    splitter->addWidget(m_roofline);
    splitter->setSizes({640, 600});
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);
}

void FlopsPage::connectSignals() {
    connect(m_platform, &PlatformSelector::changed, this, [this] {
        updateZoo();
        updateRoofline();
        requestRunPoints();
    });
    connect(m_network, &QComboBox::currentIndexChanged, this, [this] { updateRoofline(); });
    connect(m_runs, &QComboBox::currentIndexChanged, this, [this] {
        m_runId = m_runs->currentData().toLongLong();
        requestRunPoints();
    });
    // A click picks the network under the mouse by its own point, never by matching a graph's
    // (sorted) data index or its float coordinates back to a network.
    connect(m_scatter, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        if (event->button() != Qt::LeftButton) return;
        if (const NetworkPoint* p = networkAt(event->position()); p && !p->fromStore)
            selectModel(p->name);
    });
    connect(m_scatter, &QCustomPlot::mouseMove, this, &FlopsPage::showNetworkAt);
    connect(&m_listWatcher, &QFutureWatcherBase::finished, this, &FlopsPage::showRunList);
    connect(&m_pointsWatcher, &QFutureWatcherBase::finished, this, &FlopsPage::showRunPoints);
}

/// Hover: the name and figures of the nearest network or fused op.
void FlopsPage::showNetworkAt(QMouseEvent* event) {
    const NetworkPoint* best = networkAt(event->position());
    if (!best) return QToolTip::hideText();
    QToolTip::showText(event->globalPosition().toPoint(),
                       tr("%1\n%2 GMACs per image\n%3 predicted per batch")
                           .arg(best->name, QLocale().toString(best->macsPerImage / 1e9, 'f', 3),
                                QString::fromStdString(formatSeconds(best->predictedSeconds))),
                       m_scatter);
}

/// The store's runs, listed off the GUI thread (the latest request only); keeps the chosen run.
void FlopsPage::showRunList() {
    if (m_listWatcher.property("token").toULongLong() != m_listToken) return;
    const RunList list = m_listWatcher.result();
    const QSignalBlocker blocker(m_runs);
    m_runs->clear();
    m_runs->addItem(tr("none (zoo only)"), qint64(0));
    for (const RunEntry& r : list.runs) m_runs->addItem(r.label, r.id);
    m_runs->setEnabled(list.error.isEmpty());
    m_storeNote->setText(
        list.error.isEmpty()
            ? tr("Result store %1: %n run(s).", nullptr, int(list.runs.size())).arg(m_db)
            : tr("Cannot read the result store: %1").arg(list.error));
    const int keep = m_runs->findData(m_runId);
    m_runs->setCurrentIndex(std::max(keep, 0));
    m_runId = m_runs->currentData().toLongLong();
    Q_EMIT runsListed();
    requestRunPoints();
}

/// A stored run's networks, loaded off the GUI thread (the latest request only).
void FlopsPage::showRunPoints() {
    if (m_pointsWatcher.property("token").toULongLong() != m_pointsToken) return;
    m_run = m_pointsWatcher.result();
    if (!m_run.error.isEmpty()) {
        m_storeNote->setText(tr("Cannot load run %1: %2").arg(m_run.runId).arg(m_run.error));
    } else if (m_run.runId != 0) {
        m_storeNote->setText(tr("Run %1: %2 of %3 architectures shown (%4; measured "
                                "where stored for this platform and batch).")
                                 .arg(m_run.runId)
                                 .arg(m_run.points.size())
                                 .arg(m_run.architectures)
                                 .arg(m_platform->method()));
    }
    updateScatter();
    Q_EMIT runPointsLoaded();
}

bool FlopsPage::setPlatform(const QString& profileName) {
    return m_platform->setProfileName(profileName);
}

bool FlopsPage::selectModel(const QString& name) {
    const int index = m_network->findText(name);
    if (index < 0) return false;
    m_network->setCurrentIndex(index);
    return true;
}

QString FlopsPage::rooflineNetwork() const {
    return m_network->currentText();
}

QString FlopsPage::statsText() const {
    return m_stats->text();
}

QList<qint64> FlopsPage::listedRuns() const {
    QList<qint64> ids;
    for (int i = 0; i < m_runs->count(); ++i) ids << m_runs->itemData(i).toLongLong();
    return ids;
}

void FlopsPage::setDatabasePath(const QString& path) {
    // A default store that was never created is no store.
    m_db = QFileInfo::exists(path) ? path : QString();
    ++m_listToken;
    if (m_db.isEmpty()) {
        m_storeNote->setText(path.isEmpty()
                                 ? QString()
                                 : tr("No result store at %1 yet (zoo networks only).").arg(path));
        const QSignalBlocker blocker(m_runs);
        m_runs->clear();
        m_runs->addItem(tr("none (no result store open)"), qint64(0));
        m_runs->setEnabled(false);
        m_runId = 0;
        requestRunPoints();
        return;
    }
    m_storeNote->setText(tr("Reading the runs of %1…").arg(path));
    m_listWatcher.setProperty("token", QVariant::fromValue(m_listToken));
    m_listWatcher.setFuture(QtConcurrent::run([path] { return loadRunList(path); }));
}

void FlopsPage::selectRun(qint64 runId) {
    const int index = m_runs->findData(runId);
    if (index >= 0) {
        const QSignalBlocker blocker(m_runs);
        m_runs->setCurrentIndex(index);
    }
    m_runId = runId;
    requestRunPoints();
}

void FlopsPage::requestRunPoints() {
    ++m_pointsToken;
    if (m_db.isEmpty() || m_runId == 0) {
        m_run = RunPoints{};
        updateScatter();
        return;
    }
    const QString db = m_db;
    const qint64 run = m_runId;
    const Profile profile = m_platform->profile();
    const int batch = m_platform->batch();
    const Dtype dtype = m_platform->dtype();
    m_storeNote->setText(tr("Loading run %1…").arg(run));
    m_pointsWatcher.setProperty("token", QVariant::fromValue(m_pointsToken));
    // The StoreReader is created inside loadRunPoints, on the worker thread.
    m_pointsWatcher.setFuture(QtConcurrent::run([db, run, profile, batch, dtype] {
        return loadRunPoints(db, run, profile, batch, dtype, kMaxRunPoints);
    }));
}

void FlopsPage::updateZoo() {
    // 40 networks x ~50 us each: fine on the GUI thread.
    m_zoo.clear();
    const Profile& p = m_platform->profile();
    const int batch = m_platform->batch();
    for (const std::string& name : zooModelNames()) {
        const auto layers = expandLayers(buildNetwork(*zooSpec(name)), batch);
        NetworkPoint point;
        point.name = QString::fromStdString(name);
        point.macsPerImage = double(totalCost(layers).macs) / batch;
        point.predictedSeconds = predictNetwork(p, layers, m_platform->dtype()).latencySeconds;
        m_zoo.push_back(point);
    }
    updateScatter();
}

void FlopsPage::updateScatter() {
    QCustomPlot* plot = m_scatter;
    plot->clearPlottables();
    plot->clearItems();
    const ScatterSeries series = plotNetworks();
    const analysis::LogLogFit fit = analysis::fitLogLog(series.macs, series.seconds);
    const double rho = analysis::spearman(series.macs, series.seconds);
    if (fit.n >= 2) {
        auto* line = plot->addGraph();
        line->setName(tr("log-log fit, R² = %1").arg(QLocale().toString(fit.r2, 'f', 2)));
        line->setPen(QPen(Qt::black, 1.2, Qt::DashLine));
        for (double x : {series.xmin / 1.3, series.xmax * 1.3}) {
            line->addData(x, std::pow(10.0, fit.intercept + fit.slope * std::log10(x * 1e9)) * 1e3);
        }
    }
    const QString pairText = labelSpreadPair(series);
    m_stats->setText(tr("<b>%1 networks on %2</b>: Spearman rank correlation of MACs and predicted "
                        "latency ρ = <b>%3</b>; log-log fit latency ∝ MACs<sup>%4</sup> with "
                        "<b>R² = %5</b>.%6 Latency %7.")
                         .arg(fit.n)
                         .arg(m_platform->profileName())
                         .arg(QLocale().toString(rho, 'f', 2),
                              QLocale().toString(fit.slope, 'f', 2),
                              QLocale().toString(fit.r2, 'f', 2), pairText,
                              m_platform->method().toHtmlEscaped()));
    plot->xAxis->setLabel(tr("MACs per image (G, log)"));
    plot->yAxis->setLabel(
        tr("predicted latency per batch of %1 (ms, log)").arg(m_platform->batch()));
    if (series.xmax > 0) {
        setLogAxis(plot->xAxis, series.xmin / 1.5, series.xmax * 1.5);
        setLogAxis(plot->yAxis, series.ymin / 1.5, series.ymax * 1.5);
    }
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    setPlotTitle(plot, tr("MACs vs latency on %1 (%2, %3)")
                           .arg(QString::fromStdString(m_platform->profile().name),
                                QString::fromStdString(m_platform->profile().runtime.name),
                                QString::fromUtf8(dtypeName(m_platform->dtype()).data())));
    plot->replot();
}

void FlopsPage::ScatterSeries::add(double macsPerImage, double predictedSeconds) {
    macs.push_back(macsPerImage);
    seconds.push_back(predictedSeconds);
    extend(macsPerImage / 1e9, predictedSeconds * 1e3);
}

void FlopsPage::ScatterSeries::extend(double x, double y) {
    xmin = std::min(xmin, x), xmax = std::max(xmax, x), ymin = std::min(ymin, y),
    ymax = std::max(ymax, y);
}

/// The zoo's networks, one graph per family, then a stored run's (predicted and measured).
FlopsPage::ScatterSeries FlopsPage::plotNetworks() {
    QCustomPlot* plot = m_scatter;
    QMap<QString, QCPGraph*> families;
    auto graphFor = [&](const QString& family) {
        if (!families.contains(family)) {
            auto* g = plot->addGraph();
            const QColor color = colorOfFamily(family);
            g->setName(family);
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(
                QCPScatterStyle(QCPScatterStyle::ssCircle, color.darker(120), color, 9));
            families.insert(family, g);
        }
        return families.value(family);
    };
    for (const std::string& f : zooFamilies()) graphFor(QString::fromStdString(f));
    graphFor(tr("other networks"));
    ScatterSeries series;
    for (const NetworkPoint& p : m_zoo) {
        graphFor(familyOf(p.name))->addData(p.macsPerImage / 1e9, p.predictedSeconds * 1e3);
        series.add(p.macsPerImage, p.predictedSeconds);
    }
    if (m_run.points.empty()) return series;
    auto* stored = plot->addGraph();
    stored->setName(tr("run %1 (predicted)").arg(m_run.runId));
    stored->setLineStyle(QCPGraph::lsNone);
    stored->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(110, 110, 110, 150), 5));
    auto* measured = plot->addGraph();
    measured->setName(tr("run %1 (measured)").arg(m_run.runId));
    measured->setLineStyle(QCPGraph::lsNone);
    measured->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, UnitColors::measured(), 8));
    for (const NetworkPoint& p : m_run.points) {
        stored->addData(p.macsPerImage / 1e9, p.predictedSeconds * 1e3);
        series.add(p.macsPerImage, p.predictedSeconds);
        if (p.measuredSeconds) {
            measured->addData(p.macsPerImage / 1e9, *p.measuredSeconds * 1e3);
            series.extend(p.macsPerImage / 1e9, *p.measuredSeconds * 1e3);
        }
    }
    if (measured->data()->isEmpty()) plot->removeGraph(measured);
    return series;
}

/// Names the pair that makes the point (similar MACs, very different latency) on the plot and
/// returns the sentence for the summary ("" if there is none).
QString FlopsPage::labelSpreadPair(const ScatterSeries& series) {
    const auto& macs = series.macs;
    const auto& seconds = series.seconds;
    const analysis::SpreadPair pair = analysis::largestSpreadAtSimilarX(macs, seconds, 0.25);
    if (!(pair.ratio > 0)) return QString();
    auto name = [&](int i) {
        return i < int(m_zoo.size()) ? m_zoo[size_t(i)].name
                                     : m_run.points[size_t(i) - m_zoo.size()].name;
    };
    for (int i : {pair.slower, pair.faster}) {
        auto* label = new QCPItemText(m_scatter);
        label->position->setCoords(macs[size_t(i)] / 1e9, seconds[size_t(i)] * 1e3);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        label->setPadding(QMargins(8, 0, 0, 0));
        label->setText(name(i));
        label->setFont(QFont(font().family(), 9));
    }
    return tr(" At similar MACs (within 25%) latency differs up to <b>%1×</b>: %2 takes %3, "
              "%4 takes %5.")
        .arg(QLocale().toString(pair.ratio, 'f', 1), name(pair.slower),
             QString::fromStdString(formatSeconds(seconds[size_t(pair.slower)])), name(pair.faster),
             QString::fromStdString(formatSeconds(seconds[size_t(pair.faster)])));
}

const NetworkPoint* FlopsPage::networkAt(const QPointF& pos) const {
    const NetworkPoint* best = nullptr;
    double bestDistance = 10.0;  // pixels
    for (const auto* list : {&m_zoo, &m_run.points}) {
        for (const NetworkPoint& p : *list) {
            const double dx = m_scatter->xAxis->coordToPixel(p.macsPerImage / 1e9) - pos.x();
            const double dy = m_scatter->yAxis->coordToPixel(p.predictedSeconds * 1e3) - pos.y();
            const double d = std::hypot(dx, dy);
            if (d < bestDistance) bestDistance = d, best = &p;
        }
    }
    return best;
}

namespace {

/// The roofline's ceilings on `plot` from `xmin` to `xmax` (intensity): the memory slope up to
/// the ridge, the matrix peak after it, the vector unit's peak, and the ridge's label. Returns the
/// lowest y (FLOP/s) the axis should show for them.
double addCeilings(QCustomPlot* plot, const Roofline& roof, const Profile& p, double xmin,
                   double xmax, const QString& family) {
    const double tera = 1e12;
    double lowest = roof.matrixFlopsPerSecond;
    // The roofline: memory-bound slope up to the ridge, the matrix peak after it.
    auto* memoryRoof = plot->addGraph();
    memoryRoof->setName(FlopsPage::tr("memory roof %1 GB/s")
                            .arg(QLocale().toString(roof.bytesPerSecond / 1e9, 'f', 0)));
    memoryRoof->setPen(QPen(UnitColors::memory(), 2.5));
    memoryRoof->addData(xmin, roof.bytesPerSecond * xmin / tera);
    memoryRoof->addData(roof.ridgeIntensity, roof.matrixFlopsPerSecond / tera);
    auto* matrixRoof = plot->addGraph();
    matrixRoof->setName(FlopsPage::tr("%1 peak %2 TFLOP/s")
                            .arg(QString::fromStdString(unitName(p, Bound::Matrix)))
                            .arg(QLocale().toString(roof.matrixFlopsPerSecond / tera, 'f', 1)));
    matrixRoof->setPen(QPen(UnitColors::matrix(), 2.5));
    matrixRoof->addData(roof.ridgeIntensity, roof.matrixFlopsPerSecond / tera);
    matrixRoof->addData(xmax, roof.matrixFlopsPerSecond / tera);
    // The vector unit's ceiling: elementwise and depthwise ops never reach the matrix roof.
    // One FLOP per lane-op (an FMA on it would count two: depthwise may reach twice this).
    if (roof.vectorOpsPerSecond > 0 && roof.bytesPerSecond > 0) {
        auto* vectorRoof = plot->addGraph();
        vectorRoof->setName(FlopsPage::tr("%1 peak %2 TOP/s")
                                .arg(QString::fromStdString(unitName(p, Bound::Vector)))
                                .arg(QLocale().toString(roof.vectorOpsPerSecond / tera, 'f', 1)));
        vectorRoof->setPen(QPen(UnitColors::vector(), 2.0, Qt::DashLine));
        const double vectorRidge = roof.vectorOpsPerSecond / roof.bytesPerSecond;
        vectorRoof->addData(std::max(xmin, vectorRidge), roof.vectorOpsPerSecond / tera);
        vectorRoof->addData(xmax, roof.vectorOpsPerSecond / tera);
        lowest = roof.vectorOpsPerSecond / 4.0;
    }
    auto* ridge = new QCPItemText(plot);
    ridge->position->setCoords(roof.ridgeIntensity, roof.matrixFlopsPerSecond / tera);
    // Ending at the knee: centred on it, the text ran off the right edge when the ridge sits
    // near the highest intensity.
    ridge->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
    ridge->setPadding(QMargins(0, 0, 4, 4));
    ridge->setText(
        FlopsPage::tr("ridge %1 FLOP/B").arg(QLocale().toString(roof.ridgeIntensity, 'f', 0)));
    ridge->setFont(QFont(family, 9));
    return lowest;
}

}  // namespace

void FlopsPage::updateRoofline() {
    QCustomPlot* plot = m_roofline;
    plot->clearPlottables();
    plot->clearItems();
    const auto spec = zooSpec(m_network->currentText().toStdString());
    if (!spec) return;
    const Profile& p = m_platform->profile();
    const Dtype dtype = m_platform->dtype();
    const auto layers = expandLayers(buildNetwork(*spec), m_platform->batch());
    const auto groups = predictGroups(p, layers, dtype);
    const Roofline roof = rooflineOf(p, dtype);
    const double tera = 1e12;

    QCPGraph* byBound[kBoundCount];
    for (int b = 0; b < kBoundCount; ++b) {
        byBound[b] = plot->addGraph();
        byBound[b]->setName(tr("%1-bound ops").arg(QString::fromStdString(unitName(p, Bound(b)))));
        byBound[b]->setLineStyle(QCPGraph::lsNone);
        const QColor c = boundColor(Bound(b));
        byBound[b]->setScatterStyle(
            QCPScatterStyle(QCPScatterStyle::ssCircle, c.darker(130), c, 7));
    }
    double xmin = roof.ridgeIntensity, xmax = roof.ridgeIntensity, ymin = roof.matrixFlopsPerSecond;
    for (const GroupCost& g : groups) {
        if (g.operationalIntensity <= 0 || g.achievedFlopsPerSecond <= 0) continue;
        byBound[int(g.bound)]->addData(g.operationalIntensity, g.achievedFlopsPerSecond / tera);
        xmin = std::min(xmin, g.operationalIntensity);
        xmax = std::max(xmax, g.operationalIntensity);
        ymin = std::min(ymin, g.achievedFlopsPerSecond);
    }
    for (int b = 0; b < kBoundCount; ++b) {
        if (byBound[b]->data()->isEmpty())
            plot->legend->removeItem(plot->legend->itemWithPlottable(byBound[b]));
    }
    xmin /= 2.0;
    xmax *= 2.0;
    ymin = std::min(ymin, addCeilings(plot, roof, p, xmin, xmax, font().family()));

    plot->xAxis->setLabel(tr("operational intensity (FLOP/byte, log)"));
    plot->yAxis->setLabel(tr("achieved (TFLOP/s, log; a vector lane-op counts 1)"));
    setLogAxis(plot->xAxis, xmin, xmax);
    setLogAxis(plot->yAxis, ymin / tera / 2.0, roof.matrixFlopsPerSecond / tera * 3.0);
    setPlotTitle(plot, tr("Roofline of %1's %2 fused ops (batch %3)")
                           .arg(m_network->currentText())
                           .arg(groups.size())
                           .arg(m_platform->batch()));
    // Under the title: in any corner of the axes it covered ops at one batch or another.
    placeLegendUnderTitle(plot, 4);
    plot->replot();
}

}  // namespace archscope::ui
