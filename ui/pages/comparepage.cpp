#include "comparepage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <cmath>

#include "arch/expand.h"
#include "hw/blocksummary.h"
#include "hw/profile_io.h"
#include "hw/runtime_io.h"
#include "models/breakdowntablemodel.h"
#include "models/comparetablemodel.h"
#include "plots/logaxis.h"
#include "plots/plotmenu.h"
#include "plots/plotstyle.h"
#include "plots/qcp.h"
#include "widgets/platformdefaults.h"
#include "widgets/platformselector.h"
#include "zoo/zoo.h"

namespace archscope::ui {
namespace {

struct Series {
    const char* label;
    std::vector<std::string> profiles;
};
// Platform generations, oldest first: the speed-up plot divides by the first one.
const std::vector<Series>& platformSeries() {
    static const std::vector<Series> series = {
        {QT_TRANSLATE_NOOP("ComparePage", "TPUs: v2 → v3 → v4i"), {"tpuv2", "tpuv3", "tpuv4i"}},
        {QT_TRANSLATE_NOOP("ComparePage", "GPUs: V100 → A100 → H100 → H200"),
         {"v100", "a100", "h100", "h200"}},
    };
    return series;
}

/// The family colours of plotstyle.h; the two EfficientNet-X families share its teal, so the GPU
/// one is drawn darker (and dashed) to tell them apart.
QColor familyColor(const std::string& family) {
    return FamilyColors::forFamily(family);
}

/// The families of the paper's generation claim (bars across platforms); the ablation families
/// stay in the latency-vs-MACs plot, where six bar groups would not be readable.
std::vector<std::string> speedupFamilies() {
    return {std::string(kFamilyEfficientNet), std::string(kFamilyEfficientNetXTpu),
            std::string(kFamilyEfficientNetXGpu)};
}

QString shortLevel(int level) {
    return QStringLiteral("B%1").arg(level);
}

}  // namespace

ComparePage::ComparePage(QWidget* parent)
    : QWidget(parent),
      m_a(new QComboBox),
      m_b(new QComboBox),
      m_platform(new PlatformSelector),
      m_log(new QCheckBox(tr("log axes"))),
      m_series(new QComboBox),
      m_model(new CompareTableModel(this)),
      m_table(new QTableView),
      m_why(new QTextBrowser),
      m_stagePlot(new QCustomPlot),
      m_familyPlot(new QCustomPlot),
      m_speedupPlot(new QCustomPlot) {
    buildWidgets();
    connectSignals();
    // The core demo without reading docs: EfficientNet-B0 vs the platform's EfficientNet-X-B0
    // (X-TPU and the TPU chain on TPUv3, X-GPU and the GPU chain on a GPU).
    {
        const QSignalBlocker blockA(m_a);
        m_a->setCurrentText(QStringLiteral("efficientnet-b0"));
    }
    followPlatformDefaults();
    updatePair();
    updateFamilies();
    updateSpeedupPlot();
}

void ComparePage::buildWidgets() {
    auto* controls = buildPairControls();
    auto* familyControls = new QHBoxLayout;
    familyControls->addWidget(m_log);
    familyControls->addStretch(1);
    familyControls->addWidget(new QLabel(tr("Speed-up across")));
    familyControls->addWidget(m_series);

    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->horizontalHeader()->setSectionResizeMode(CompareTableModel::Metric,
                                                      QHeaderView::Stretch);
    m_table->horizontalHeader()->setStretchLastSection(false);
    // Two-line headers (A / its name): room for every row without scrolling.
    m_table->setFixedHeight((fontMetrics().height() + 4) * (CompareTableModel::RowCount + 2) + 8);
    m_why->setOpenLinks(false);

    for (QCustomPlot* plot : {m_stagePlot, m_familyPlot, m_speedupPlot}) {
        applyPlotStyle(plot);
        plot->setMinimumSize(300, 220);
    }
    addExportMenu(m_stagePlot, QStringLiteral("compare-stages"), [this] { updatePair(); });
    addExportMenu(m_familyPlot, QStringLiteral("compare-families"), [this] { updateFamilies(); });
    addExportMenu(m_speedupPlot, QStringLiteral("compare-speedup"),
                  [this] { updateSpeedupPlot(); });

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_table);
    leftLayout->addWidget(new QLabel(tr("<b>Why?</b>")));
    leftLayout->addWidget(m_why, 1);
    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(left);
    top->addWidget(m_stagePlot);
    top->setStretchFactor(0, 2);
    top->setStretchFactor(1, 3);
    top->setSizes({560, 680});
    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(m_familyPlot);
    bottom->addWidget(m_speedupPlot);
    bottom->setSizes({700, 540});
    auto* families = new QWidget;
    auto* familiesLayout = new QVBoxLayout(families);
    familiesLayout->setContentsMargins(0, 0, 0, 0);
    familiesLayout->addLayout(familyControls);
    familiesLayout->addWidget(bottom, 1);
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(top);
    vertical->addWidget(families);
    vertical->setSizes({450, 350});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(vertical, 1);
}

/// A, B, swap and the platform; the family plots' own controls sit above them, so this top row
/// fits the window.
QHBoxLayout* ComparePage::buildPairControls() {
    for (const std::string& name : zooModelNames()) {
        m_a->addItem(QString::fromStdString(name));
        m_b->addItem(QString::fromStdString(name));
    }
    for (const Series& s : platformSeries()) m_series->addItem(tr(s.label));
    m_log->setChecked(true);
    m_log->setToolTip(tr("Logarithmic MACs and latency axes in the family plot"));
    auto* swap = new QPushButton(tr("⇄ swap"));
    connect(swap, &QPushButton::clicked, this,
            [this] { setNetworks(m_b->currentText(), m_a->currentText()); });

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("A")));
    controls->addWidget(m_a);
    controls->addWidget(new QLabel(tr("vs B")));
    controls->addWidget(m_b);
    controls->addWidget(swap);
    controls->addSpacing(12);
    controls->addWidget(m_platform);
    controls->addStretch(1);
    return controls;
}

void ComparePage::connectSignals() {
    connect(m_a, &QComboBox::currentIndexChanged, this, [this] {
        updatePair();
        updateFamilies();
    });
    connect(m_b, &QComboBox::currentIndexChanged, this, [this] {
        updatePair();
        updateFamilies();
    });
    connect(m_b, &QComboBox::activated, this, [this] { m_bChosen = true; });
    connect(m_series, &QComboBox::activated, this, [this] { m_seriesChosen = true; });
    connect(m_platform, &PlatformSelector::changed, this, [this] {
        followPlatformDefaults();
        updatePair();
        updateFamilies();
        updateSpeedupPlot();
    });
    connect(m_log, &QCheckBox::toggled, this, [this] { updateFamilies(); });
    connect(m_familyPlot, &QCustomPlot::beforeReplot, this, [this] { separateLevelLabels(); });
    connect(m_series, &QComboBox::currentIndexChanged, this, [this] { updateSpeedupPlot(); });
}

void ComparePage::followPlatformDefaults() {
    const Profile& p = m_platform->profile();
    if (!m_bChosen) {
        const QSignalBlocker block(m_b);
        m_b->setCurrentText(platformXMember(p));
    }
    if (!m_seriesChosen) {
        const QSignalBlocker block(m_series);
        m_series->setCurrentIndex(p.kind == "gpu" ? 1 : 0);
    }
}

void ComparePage::separateLevelLabels() {
    // Six families end near each other at B7: lift a label until it clears those placed before
    // it. Padding moves the text in pixels and keeps it anchored to its point under zoom.
    std::vector<QRectF> placed;
    for (QCPItemText* label : m_levelLabels) {
        const QPointF anchor = label->position->pixelPosition();
        const QRectF text = QFontMetricsF(label->font()).boundingRect(label->text());
        int lift = 0;
        QRectF box;
        bool clear = false;
        // Two lines up at most: a label further from its point reads as another point's.
        for (int tries = 0; tries < 3 && !clear; ++tries) {
            box = QRectF(anchor.x() - 6 - text.width(), anchor.y() - 2 - lift - text.height(),
                         text.width(), text.height());
            clear = std::none_of(placed.begin(), placed.end(),
                                 [&](const QRectF& r) { return r.intersects(box); });
            if (!clear) lift += int(text.height());
        }
        label->setVisible(clear);
        if (!clear) continue;
        label->setPadding(QMargins(0, 0, 6, 2 + lift));
        placed.push_back(box);
    }
}

bool ComparePage::setNetworks(const QString& a, const QString& b) {
    if (m_a->findText(a) < 0 || m_b->findText(b) < 0) return false;
    m_bChosen = true;
    {
        const QSignalBlocker blockA(m_a), blockB(m_b);
        m_a->setCurrentText(a);
        m_b->setCurrentText(b);
    }
    updatePair();
    updateFamilies();
    return true;
}

bool ComparePage::setPlatform(const QString& profileName) {
    return m_platform->setProfileName(profileName);
}

void ComparePage::setLogAxes(bool on) {
    m_log->setChecked(on);
}

void ComparePage::setSeries(int index) {
    m_seriesChosen = true;
    m_series->setCurrentIndex(index);
}

QString ComparePage::whyText() const {
    return m_why->toPlainText();
}

const std::vector<Layer>& ComparePage::layersOf(const std::string& name) {
    if (m_cacheBatch != m_platform->batch()) {
        m_layerCache.clear();
        m_cacheBatch = m_platform->batch();
    }
    auto it = m_layerCache.find(name);
    if (it == m_layerCache.end()) {
        it = m_layerCache.emplace(name, expandLayers(buildNetwork(*zooSpec(name)), m_cacheBatch))
                 .first;
    }
    return it->second;
}

const Profile& ComparePage::profileNamed(const std::string& name) {
    // The selected runtime where it covers the platform's kind (a series mixes no kinds, but
    // the selector's profile may be of another kind), else the platform's default runtime.
    const std::string runtime = m_platform->runtimeName().toStdString();
    const std::string key = name + '\n' + runtime;
    auto it = m_profiles.find(key);
    if (it == m_profiles.end()) {
        Profile p = loadPlatform(name, "");
        const auto covering = runtimesForKind(p.kind);
        if (std::find(covering.begin(), covering.end(), runtime) != covering.end())
            p = withRuntime(p, runtime);
        it = m_profiles.emplace(key, std::move(p)).first;
    }
    return it->second;
}

double ComparePage::latencyOf(const std::string& name, const Profile& profile, Dtype dtype) {
    return predictNetwork(profile, layersOf(name), dtype).latencySeconds;
}

void ComparePage::updatePair() {
    const auto specA = zooSpec(m_a->currentText().toStdString());
    const auto specB = zooSpec(m_b->currentText().toStdString());
    if (!specA || !specB) return;
    const Profile& p = m_platform->profile();
    NetworkSummary a = summarizeNetwork(*specA, p, m_platform->batch(), m_platform->dtype());
    NetworkSummary b = summarizeNetwork(*specB, p, m_platform->batch(), m_platform->dtype());
    m_why->setHtml(explanationHtml(analysis::explainDifference(a, b)) +
                   tr("<p style='color:#555'>All figures %1. Per-op numbers: open the Breakdown "
                      "view with either network.</p>")
                       .arg(m_platform->method().toHtmlEscaped()));
    updateStagePlot(a, b);
    m_model->setPlatform(p);
    m_model->setNetworks(std::move(a), std::move(b));
}

namespace {

/// Two legend entries telling A (solid) from B (hatched): bars without data.
void addSolidHatchedEntries(QCustomPlot* plot, const QString& a, const QString& b) {
    const QColor ink(50, 50, 50);
    for (int n = 0; n < 2; ++n) {
        auto* sample = new QCPBars(plot->xAxis, plot->yAxis);
        sample->setName(n == 0 ? ComparePage::tr("A (left, solid): %1").arg(a)
                               : ComparePage::tr("B (right, hatched): %1").arg(b));
        sample->setPen(QPen(ink));
        sample->setBrush(n == 0 ? QBrush(ink) : QBrush(ink, Qt::BDiagPattern));
    }
}

/// Ticks "stem", 0, 1, .., "head" at 0, 1, ..: stage numbers alone ("stage3" nine times ran
/// together in lecture mode's larger font).
QSharedPointer<QCPAxisTickerText> stageTicker(const std::vector<int>& stages) {
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (size_t i = 0; i < stages.size(); ++i)
        ticker->addTick(double(i), stages[i] >= 0 ? QString::number(stages[i])
                                                  : QString::fromStdString(analysis::scopeName(
                                                        stages[i], Granularity::Stage)));
    return ticker;
}

}  // namespace

void ComparePage::updateStagePlot(const NetworkSummary& a, const NetworkSummary& b) {
    QCustomPlot* plot = m_stagePlot;
    plot->clearPlottables();
    plot->clearItems();
    // Categories: stem, the stages in order, head (stage -1 and -2 in the IR).
    std::vector<int> stages;
    for (const auto* s : {&a, &b}) {
        for (const auto& r : s->stages) {
            if (std::find(stages.begin(), stages.end(), r.stage) == stages.end())
                stages.push_back(r.stage);
        }
    }
    auto order = [](int s) { return s == -1 ? -1000 : s == -2 ? 1000 : s; };
    std::sort(stages.begin(), stages.end(), [&](int x, int y) { return order(x) < order(y); });
    double top = 0.0;
    for (const auto* s : {&a, &b}) {
        for (const auto& r : s->stages) top = std::max(top, r.seconds);
    }
    const bool millis = top >= 1e-3;
    const double scale = millis ? 1e3 : 1e6;
    const QColor colors[4] = {UnitColors::matrix(), UnitColors::vector(), UnitColors::memory(),
                              UnitColors::overhead()};
    const Profile& profile = m_platform->profile();
    const auto unitLabel = [&profile](int u) {
        return Bound(u) == Bound::Overhead
                   ? tr("fixed overhead")
                   : tr("bound by %1").arg(QString::fromStdString(unitName(profile, Bound(u))));
    };
    const double offsets[2] = {-0.2, 0.2};
    const NetworkSummary* nets[2] = {&a, &b};
    for (int n = 0; n < 2; ++n) {
        QCPBars* below = nullptr;
        for (int u = 0; u < 4; ++u) {
            QVector<double> keys, values;
            for (const auto& r : nets[n]->stages) {
                const auto at = std::find(stages.begin(), stages.end(), r.stage) - stages.begin();
                keys << double(at) + offsets[n];
                values << r.criticalSeconds[size_t(u)] * scale;
            }
            auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
            bars->setWidth(0.38);
            bars->setPen(QPen(colors[u].darker(n == 0 ? 130 : 100), n == 0 ? 0.5 : 1.2));
            // A solid, B hatched: the same unit colours, told apart by the fill.
            bars->setBrush(n == 0 ? QBrush(colors[u]) : QBrush(colors[u], Qt::BDiagPattern));
            bars->setData(keys, values);
            bars->setName(unitLabel(u));
            if (n == 1) bars->removeFromLegend();  // B's units: the same entries as A's
            if (below) bars->moveAbove(below);
            below = bars;
        }
    }
    addSolidHatchedEntries(plot, QString::fromStdString(a.name), QString::fromStdString(b.name));
    plot->xAxis->setTicker(stageTicker(stages));
    plot->xAxis->setSubTicks(false);
    plot->xAxis->setLabel(tr("stem, block-string stages 0..%1, head").arg(stages.size() - 3));
    plot->yAxis->setLabel(
        tr("predicted time per batch of %1 (%2)").arg(a.batch).arg(millis ? tr("ms") : tr("µs")));
    plot->xAxis->setRange(-0.6, double(stages.size()) - 0.4);
    plot->yAxis->setRange(0.0, top * scale * 1.12);
    plot->legend->setVisible(true);
    plot->plotLayout()->setRowSpacing(0);
    setPlotTitle(plot, tr("Time per stage on %1 (%2), stacked by the unit bounding each op")
                           .arg(m_platform->profileName(),
                                QString::fromStdString(m_platform->profile().runtime.name)));
    placeLegendUnderTitle(plot, 3);
    plot->replot();
}

void ComparePage::updateFamilies() {
    QCustomPlot* plot = m_familyPlot;
    plot->clearPlottables();
    plot->clearItems();
    m_levelLabels.clear();
    const Profile& p = m_platform->profile();
    const Dtype dtype = m_platform->dtype();
    const bool log = m_log->isChecked();
    double xmin = 1e300, xmax = 0.0, ymin = 1e300, ymax = 0.0;
    const std::string selected[2] = {m_a->currentText().toStdString(),
                                     m_b->currentText().toStdString()};
    QVector<double> ringX, ringY;
    for (const std::string& family : zooFamilies()) {
        auto* graph = plot->addGraph();
        const QColor color = familyColor(family);
        graph->setName(QString::fromStdString(family));
        QPen pen(color, 2);
        if (family == kFamilyEfficientNetXGpu) pen.setStyle(Qt::DashLine);
        graph->setPen(pen);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, color, color, 7));
        const std::vector<int> levels = familyLevels(family);
        for (int level : levels) {
            const std::string name = familyMemberName(family, level);
            const double macs = double(totalCost(layersOf(name)).macs) / m_platform->batch() / 1e9;
            const double ms = latencyOf(name, p, dtype) * 1e3;
            graph->addData(macs, ms);
            xmin = std::min(xmin, macs), xmax = std::max(xmax, macs);
            ymin = std::min(ymin, ms), ymax = std::max(ymax, ms);
            if (name == selected[0] || name == selected[1]) ringX << macs, ringY << ms;
            if (level == levels.front() || level == levels.back()) {
                auto* label = new QCPItemText(plot);
                label->position->setCoords(macs, ms);
                label->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
                label->setPadding(QMargins(0, 0, 6, 2));
                label->setText(shortLevel(level));
                label->setColor(color.darker(120));
                label->setFont(QFont(font().family(), 9));
                label->setClipToAxisRect(false);  // B0 at the left edge stays whole
                m_levelLabels.push_back(label);
            }
        }
    }
    auto* ring = plot->addGraph();
    ring->setName(tr("A and B"));
    ring->setLineStyle(QCPGraph::lsNone);
    ring->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2), Qt::NoBrush, 14));
    ring->setData(ringX, ringY);
    plot->xAxis->setLabel(
        tr("GMACs per image (log)").replace(log ? QString() : tr(" (log)"), QString()));
    plot->yAxis->setLabel(tr("ms per batch of %1").arg(m_platform->batch()));
    if (log) {
        setLogAxis(plot->xAxis, xmin / 1.4, xmax * 1.4);
        setLogAxis(plot->yAxis, ymin / 1.4, ymax * 2.2);  // room for lifted B7 labels
    } else {
        for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
            axis->setScaleType(QCPAxis::stLinear);
            axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
        }
        plot->xAxis->setRange(0, xmax * 1.08);
        plot->yAxis->setRange(0, ymax * 1.08);
    }
    plot->legend->setVisible(true);
    // Columns of four: a single column ran down over the small members at the lower left.
    setPlotTitle(plot,
                 tr("Families on %1 (%2): latency vs MACs")
                     .arg(QString::fromStdString(p.name), QString::fromStdString(p.runtime.name)));
    // Seven entries inside the axis rect covered some family's line in every corner.
    placeLegendUnderTitle(plot, 3);
    plot->replot();
}

std::vector<std::string> ComparePage::seriesProfiles() const {
    return platformSeries()[size_t(std::max(0, m_series->currentIndex()))].profiles;
}

std::vector<double> ComparePage::familySpeedups(const std::string& family) {
    std::vector<Profile> platforms;
    for (const std::string& name : seriesProfiles()) platforms.push_back(profileNamed(name));
    return analysis::familySpeedups(family, platforms, m_platform->batch());
}

void ComparePage::updateSpeedupPlot() {
    QCustomPlot* plot = m_speedupPlot;
    plot->clearPlottables();
    plot->clearItems();
    const auto names = seriesProfiles();
    const auto families = speedupFamilies();
    double top = 1.0;
    const double width = 0.8 / double(families.size());
    for (size_t f = 0; f < families.size(); ++f) {
        const std::string& family = families[f];
        const auto speedups = familySpeedups(family);
        // Side by side by hand (not QCPBarsGroup) so value labels can sit on their bar's key.
        const double offset = (double(f) - double(families.size() - 1) / 2.0) * width;
        auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
        const QColor color = familyColor(family);
        bars->setName(QString::fromStdString(family));
        bars->setPen(QPen(color.darker(130)));
        bars->setBrush(color);
        bars->setWidth(width * 0.92);
        for (size_t i = 0; i < speedups.size(); ++i) {
            bars->addData(double(i) + offset, speedups[i]);
            top = std::max(top, speedups[i]);
            if (i == 0) continue;
            auto* label = new QCPItemText(plot);
            label->position->setCoords(double(i) + offset, speedups[i]);
            // Upright, three bars' labels side by side overran each other on a narrow plot.
            label->setRotation(-90);
            label->setClipToAxisRect(false);  // a label may reach past the top of the axes
            label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
            label->setPadding(QMargins(3, 0, 0, 0));
            label->setText(QStringLiteral("%1×").arg(QLocale().toString(speedups[i], 'f', 2)));
            label->setFont(QFont(font().family(), 8));
            label->setColor(color.darker(140));
        }
    }
    plot->xAxis->setRange(-0.6, double(names.size()) - 0.4);
    plot->yAxis->setRange(0.0, top * 1.3);  // room for the upright labels
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (size_t i = 0; i < names.size(); ++i)
        ticker->addTick(double(i), QString::fromStdString(names[i]));
    plot->xAxis->setTicker(ticker);
    plot->xAxis->setSubTicks(false);
    const QString runtime = m_platform->runtimeName();
    plot->xAxis->setLabel(
        runtime.isEmpty()
            ? tr("platform (default dtype and runtime; batch %1)").arg(m_platform->batch())
            : tr("platform (default dtype, %1 where it runs; batch %2)")
                  .arg(runtime)
                  .arg(m_platform->batch()));
    plot->yAxis->setLabel(tr("× vs %1").arg(QString::fromStdString(names.front())));
    setPlotTitle(plot, tr("Speed-up, geometric mean of B0..B7"));
    plot->legend->setVisible(true);
    placeLegendUnderTitle(plot, 2);  // inside, it covered the labels of the second platform
    plot->replot();
}

}  // namespace archscope::ui
