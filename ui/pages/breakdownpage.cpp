#include "breakdownpage.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "arch/expand.h"
#include "arch/json.h"
#include "hw/blocksummary.h"
#include "hw/explain.h"
#include "models/breakdowntablemodel.h"
#include "plots/plotmenu.h"
#include "plots/plotstyle.h"
#include "plots/qcp.h"
#include "widgets/platformselector.h"
#include "zoo/zoo.h"

namespace archscope::ui {
namespace {

/// The platform's own word for a unit ("MXU", "Tensor Cores", "FMA units"...).
QString unitLabel(const Profile& p, int bound) {
    return Bound(bound) == Bound::Overhead ? QObject::tr("fixed overhead")
                                           : QString::fromStdString(unitName(p, Bound(bound)));
}

QCPBars* makeBars(QCustomPlot* plot, const QColor& color, const QString& name) {
    auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
    bars->setName(name);
    bars->setPen(QPen(color.darker(130), 0.5));
    bars->setBrush(color);
    bars->setSelectable(QCP::stSingleData);
    QCPSelectionDecorator* decorator = bars->selectionDecorator();
    decorator->setPen(QPen(Qt::black, 1.5));
    decorator->setBrush(color.lighter(120));
    return bars;
}

/// A horizontal dash: the op's total time drawn over side-by-side unit bars.
QCPScatterStyle dashMarker() {
    QPainterPath path;
    path.moveTo(-1.0, 0.0);
    path.lineTo(1.0, 0.0);
    return QCPScatterStyle(path, QPen(Qt::black, 2.5), Qt::NoBrush, 26);
}

}  // namespace

BreakdownPage::BreakdownPage(QWidget* parent)
    : QWidget(parent),
      m_network(new QComboBox),
      m_platform(new PlatformSelector),
      m_rowsBox(new QComboBox),
      m_barsBox(new QComboBox),
      m_summary(new QLabel),
      m_note(new QLabel),
      m_plot(new QCustomPlot),
      m_model(new BreakdownTableModel(this)),
      m_table(new QTableView),
      m_explain(new QPlainTextEdit) {
    m_model->setPlatform(m_platform->profile());
    auto* controls = buildControls();
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("color:#7a4b00"));

    setUpPlot();
    setUpTable();
    auto* explainBox = buildExplainPane();
    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(m_table);
    bottom->addWidget(explainBox);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    bottom->setSizes({800, 440});
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(m_plot);
    vertical->addWidget(bottom);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_summary);
    layout->addWidget(m_note);
    layout->addWidget(vertical, 1);

    connectSignals();
    setNetwork(*zooSpec("efficientnet-b0"));
    selectRow(0);
}

/// The network, platform and view controls, in two rows: in one they need ~1230 px, more than a
/// 1280x800 window leaves beside the navigation list.
QLayout* BreakdownPage::buildControls() {
    for (const std::string& name : zooModelNames())
        m_network->addItem(QString::fromStdString(name));
    m_network->setToolTip(
        tr("A zoo network; the Models page's selection (also an opened "
           "architecture file) shows here too"));
    m_rowsBox->addItem(tr("per block"), int(Granularity::Block));
    m_rowsBox->addItem(tr("per fused op"), int(Granularity::FusedOp));
    m_rowsBox->addItem(tr("per stage"), int(Granularity::Stage));
    m_barsBox->addItem(tr("time by bounding unit (stacked)"), int(BarMode::Critical));
    m_barsBox->addItem(tr("busy time per unit (side by side)"), int(BarMode::Units));
    // Long item texts: the combo may shrink (eliding) so the control row fits the window.
    m_barsBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_barsBox->setMinimumContentsLength(30);
    m_barsBox->setToolTip(
        tr("A fused op takes max(matrix, vector, memory) + overhead: the units overlap.\n"
           "Stacked: the bar is the op's time, coloured by the unit that bounds it.\n"
           "Side by side: how busy each unit is; the black dash is the op's time."));
    auto* exportButton = new QPushButton(tr("Export plot…"));
    connect(exportButton, &QPushButton::clicked, this,
            [this] { exportPlotInteractively(m_plot, QStringLiteral("breakdown")); });

    auto* controls = new QVBoxLayout;
    auto* what = new QHBoxLayout;
    what->addWidget(new QLabel(tr("Network")));
    what->addWidget(m_network);
    what->addSpacing(12);
    what->addWidget(m_platform);
    what->addStretch(1);
    auto* how = new QHBoxLayout;
    how->addWidget(new QLabel(tr("Rows")));
    how->addWidget(m_rowsBox);
    how->addWidget(new QLabel(tr("Bars")));
    how->addWidget(m_barsBox);
    how->addStretch(1);
    how->addWidget(exportButton);
    controls->addLayout(what);
    controls->addLayout(how);

    return controls;
}

void BreakdownPage::setUpPlot() {
    applyPlotStyle(m_plot);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom | QCP::iSelectPlottables);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->setMinimumHeight(260);
    addExportMenu(m_plot, QStringLiteral("breakdown"), [this] { resetZoom(); });
    connect(m_plot, &QCustomPlot::plottableClick, this,
            [this](QCPAbstractPlottable* plottable, int dataIndex, QMouseEvent*) {
                if (auto* bars = qobject_cast<QCPBars*>(plottable)) {
                    selectRow(int(std::lround(bars->data()->at(dataIndex)->key)));
                }
            });
}

/// The row table, sortable by any column (execution order until a header is clicked); selecting
/// a row selects its bar.
void BreakdownPage::setUpTable() {
    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(m_model);
    proxy->setSortRole(Qt::UserRole);
    m_table->setModel(proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);  // execution order until a header is clicked
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setAlternatingRowColors(true);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this, proxy](const QModelIndex& current) {
                if (!current.isValid()) return;
                const int row = proxy->mapToSource(current).row();
                if (row != m_selectedRow) selectRow(row);
            });
}

QWidget* BreakdownPage::buildExplainPane() {
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    m_explain->setFont(mono);
    m_explain->setReadOnly(true);
    // Wrapped: at 1280x800 the pane is narrower than its longest lines, and nothing may hide.
    m_explain->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_explain->setPlaceholderText(
        tr("Select a bar or a row to see why it takes the time it does."));

    auto* explainBox = new QWidget;
    auto* explainLayout = new QVBoxLayout(explainBox);
    explainLayout->setContentsMargins(0, 0, 0, 0);
    explainLayout->addWidget(
        new QLabel(tr("<b>Why this time?</b> (the numbers behind the "
                      "selected row)")));
    explainLayout->addWidget(m_explain);

    return explainBox;
}

void BreakdownPage::connectSignals() {
    connect(m_network, &QComboBox::currentIndexChanged, this, [this] {
        const auto spec = zooSpec(m_network->currentText().toStdString());
        if (spec && spec->name != m_spec.name) setNetwork(*spec);
    });
    connect(m_platform, &PlatformSelector::changed, this, [this] {
        m_model->setPlatform(m_platform->profile());
        m_measuredMs.clear();
        m_measuredSource.clear();
        recompute();
        lookUpMeasurements();
    });
    connect(m_rowsBox, &QComboBox::currentIndexChanged, this,
            [this] { setGranularity(Granularity(m_rowsBox->currentData().toInt())); });
    connect(m_barsBox, &QComboBox::currentIndexChanged, this,
            [this] { setBarMode(BarMode(m_barsBox->currentData().toInt())); });
    connect(&m_lookup, &QFutureWatcherBase::finished, this, [this] {
        const MeasuredLayers found = m_lookup.result();
        m_lookupPending = false;
        if (m_lookup.property("token").toULongLong() == m_lookupToken) {
            if (!found.error.isEmpty()) {
                m_measuredMs.clear();
                m_measuredSource.clear();
                m_note->setText(tr("Cannot read measurements from the store: %1").arg(found.error));
            } else {
                setMeasuredTimes(found.ms, found.source);
            }
            Q_EMIT measurementLookupFinished();
        }
    });
}

void BreakdownPage::setNetwork(const NetworkSpec& spec) {
    m_spec = spec;
    const QString name = QString::fromStdString(spec.name);
    {
        const QSignalBlocker blocker(m_network);
        int index = m_network->findText(name);
        // A network outside the zoo (an opened file) gets its own entry at the end.
        if (index < 0 || !zooSpec(spec.name)) {
            const int extra = int(zooModelNames().size());
            while (m_network->count() > extra) m_network->removeItem(extra);
            m_network->addItem(name + tr(" (from the Models page)"));
            index = extra;
        }
        m_network->setCurrentIndex(index);
    }
    m_layers = expandLayers(buildNetwork(spec), m_platform->batch());
    m_measuredMs.clear();
    m_measuredSource.clear();
    recompute();
    lookUpMeasurements();
}

bool BreakdownPage::selectModel(const QString& name) {
    const auto spec = zooSpec(name.toStdString());
    if (!spec) return false;
    setNetwork(*spec);
    return true;
}

bool BreakdownPage::setPlatform(const QString& profileName) {
    return m_platform->setProfileName(profileName);
}

void BreakdownPage::setGranularity(Granularity granularity) {
    m_granularity = granularity;
    {
        const QSignalBlocker blocker(m_rowsBox);
        m_rowsBox->setCurrentIndex(m_rowsBox->findData(int(granularity)));
    }
    m_selectedRow = -1;
    rebuildRows();
    selectRow(0);
}

void BreakdownPage::setBarMode(BarMode mode) {
    m_barMode = mode;
    {
        const QSignalBlocker blocker(m_barsBox);
        m_barsBox->setCurrentIndex(m_barsBox->findData(int(mode)));
    }
    rebuildPlot();
}

void BreakdownPage::setMeasuredTimes(const QHash<QString, double>& ms, const QString& source) {
    m_measuredMs = ms;
    m_measuredSource = ms.isEmpty() ? QString() : source;
    const int row = m_selectedRow;
    rebuildRows();
    if (row >= 0) selectRow(row);
}

void BreakdownPage::setDatabasePath(const QString& path) {
    // A default store that was never created is no store: nothing to look up, nothing to warn.
    m_db = QFileInfo::exists(path) ? path : QString();
    lookUpMeasurements();
}

void BreakdownPage::recompute() {
    // Per-network prediction is ~50 us: fine on the GUI thread.
    if (m_layers.empty() || m_layers.front().in.n != m_platform->batch()) {
        m_layers = expandLayers(buildNetwork(m_spec), m_platform->batch());
    }
    const Profile& p = m_platform->profile();
    const Dtype dtype = m_platform->dtype();
    m_groups = predictGroups(p, m_layers, dtype);
    m_prediction = summarize(m_groups, m_platform->batch(), p.runtime.perStepSeconds);
    const QLocale locale;
    const double total = m_prediction.latencySeconds;
    QStringList split;
    for (int b = 0; b < kBoundCount; ++b) {
        split << tr("<span style='color:%1'>■</span> %2 %3%")
                     .arg(boundColor(Bound(b)).name(), unitLabel(p, b))
                     .arg(total > 0 ? qRound(100.0 * m_prediction.secondsByBound[size_t(b)] / total)
                                    : 0);
    }
    const double macs = double(totalCost(m_layers).macs) / m_platform->batch();
    m_summary->setText(
        tr("<b>%1</b> on <b>%2</b> under %3, %4, batch %5: <b>%6</b> per batch · %7 images/s · "
           "%8 GMACs per image · %9 fused ops · time by bound: %10")
            .arg(QString::fromStdString(m_spec.name), QString::fromStdString(p.displayName),
                 QString::fromStdString(p.runtime.name), QString::fromUtf8(dtypeName(dtype).data()))
            .arg(m_platform->batch())
            .arg(QString::fromStdString(formatSeconds(total)))
            .arg(locale.toString(m_prediction.throughput, 'f', 0))
            .arg(locale.toString(macs / 1e9, 'f', 3))
            .arg(m_prediction.groups)
            .arg(split.join(QStringLiteral(" · "))));
    const int row = m_selectedRow;
    rebuildRows();
    selectRow(std::max(row, 0));
}

void BreakdownPage::rebuildRows() {
    auto rows = analysis::breakdownRows(m_layers, m_groups, m_platform->profile(), m_granularity);
    std::map<std::string, double> measuredMs;
    for (auto it = m_measuredMs.cbegin(); it != m_measuredMs.cend(); ++it)
        measuredMs[it.key().toStdString()] = it.value();
    analysis::applyMeasured(rows, m_layers, m_groups, m_granularity, measuredMs);
    m_model->setRows(std::move(rows));
    m_selectedRow = -1;
    updateNote();
    rebuildPlot();
}

void BreakdownPage::updateNote() {
    const QString where =
        tr("%1 on %2").arg(QString::fromStdString(m_spec.name), m_platform->profileName());
    if (!m_measuredSource.isEmpty()) {
        m_note->setStyleSheet(QStringLiteral("color:#1a5e1a"));
        m_note->setText(
            tr("Measured times of %1 (red bars) from %2.").arg(where, m_measuredSource));
        return;
    }
    m_note->setStyleSheet(QStringLiteral("color:#7a4b00"));
    if (m_lookupPending) {
        m_note->setText(tr("Looking up stored measurements of %1…").arg(where));
    } else if (m_db.isEmpty()) {
        m_note->setText(tr("No measurement stored for this network on this platform (no result "
                           "store open; start with --db FILE). Bars are %1.")
                            .arg(m_platform->method()));
    } else {
        m_note->setText(tr("No measurement stored for this network on this platform (%1 in %2). "
                           "Bars are %3.")
                            .arg(where, m_db, m_platform->method()));
    }
}

QString BreakdownPage::measurementNote() const {
    return m_note->text();
}

void BreakdownPage::lookUpMeasurements() {
    ++m_lookupToken;
    if (m_db.isEmpty()) {
        m_lookupPending = false;
        updateNote();
        return;
    }
    m_lookupPending = true;
    updateNote();
    const QString db = m_db;
    const QString hash = QString::fromStdString(networkHash(m_spec));
    const QString platform = m_platform->profileName();
    // The token travels with the watcher: a finished look-up for an older request is dropped.
    m_lookup.setProperty("token", QVariant::fromValue(m_lookupToken));
    m_lookup.setFuture(
        QtConcurrent::run([db, hash, platform] { return findMeasuredLayers(db, hash, platform); }));
}

void BreakdownPage::resetZoom() {
    const int n = m_model->rowCount();
    double top = 0.0;
    for (int i = 0; i < m_plot->plottableCount(); ++i) {
        QCPAbstractPlottable* p = m_plot->plottable(i);
        bool found = false;
        const QCPRange r = p->getValueRange(found);
        if (found) top = std::max(top, r.upper);
    }
    m_plot->xAxis->setRange(-0.7, std::max(n, 1) - 0.3);
    m_plot->yAxis->setRange(0.0, top > 0 ? top * 1.08 : 1.0);
    m_plot->replot();
}

void BreakdownPage::rebuildPlot() {
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_highlight = nullptr;
    const auto& rows = m_model->rows();
    double maxSeconds = 0.0;
    bool anyMeasured = false;
    for (const auto& r : rows) {
        maxSeconds = std::max({maxSeconds, r.seconds, r.measuredSeconds.value_or(0.0)});
        anyMeasured |= r.measuredSeconds.has_value();
    }
    const bool millis = maxSeconds >= 1e-3;
    const double scale = millis ? 1e3 : 1e6;
    const QString unit = millis ? tr("ms") : tr("µs");

    QVector<double> keys;
    for (int i = 0; i < int(rows.size()); ++i) keys << i;
    auto* group = new QCPBarsGroup(m_plot);
    group->setSpacingType(QCPBarsGroup::stAbsolute);
    group->setSpacing(1);
    const QString per = m_granularity == Granularity::FusedOp ? tr("fused op")
                        : m_granularity == Granularity::Block ? tr("block")
                                                              : tr("stage");
    QString title;
    if (m_barMode == BarMode::Critical) {
        addCriticalBars(keys, scale, anyMeasured, group);
        m_plot->yAxis->setLabel(tr("predicted time per %1 (%2)").arg(per, unit));
        title =
            tr("Each bar is the predicted time, split by the unit that bounds each fused op "
               "(+ its fixed overhead)");
    } else {
        addUnitBars(keys, scale, anyMeasured, group);
        m_plot->yAxis->setLabel(tr("busy time per %1 (%2)").arg(per, unit));
        title = tr("Busy time of each unit side by side (they overlap); the dash is the op's time");
    }
    if (anyMeasured) {
        QVector<double> values;
        for (const auto& r : rows) values << r.measuredSeconds.value_or(0.0) * scale;
        auto* measured = makeBars(m_plot, UnitColors::measured(), tr("measured"));
        measured->setData(keys, values, true);
        measured->setWidth(m_barMode == BarMode::Critical ? 0.42 : 0.16);
        measured->setBarsGroup(group);
    }
    setCategoryAxis(per);
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    setPlotTitle(m_plot, title);
    m_table->setColumnHidden(BreakdownTableModel::Measured, !anyMeasured);
    addHighlight();
    resetZoom();
}

/// Stacked bars: each row's time split by the unit that bounds each of its fused ops.
void BreakdownPage::addCriticalBars(const QVector<double>& keys, double scale, bool anyMeasured,
                                    QCPBarsGroup* group) {
    const auto& rows = m_model->rows();
    QCPBars* below = nullptr;
    for (int u = 0; u < kBoundCount; ++u) {
        QVector<double> values;
        for (const auto& r : rows) values << r.criticalSeconds[size_t(u)] * scale;
        const QString word = unitLabel(m_platform->profile(), u);
        auto* bars = makeBars(m_plot, unitColor(Bound(u)),
                              Bound(u) == Bound::Overhead ? word : tr("bound by %1").arg(word));
        bars->setData(keys, values, true);
        bars->setWidth(anyMeasured ? 0.42 : 0.75);
        if (below)
            bars->moveAbove(below);
        else if (anyMeasured)
            bars->setBarsGroup(group);
        below = bars;
    }
}

/// Side-by-side bars: each unit's busy time, and a dash at the op's time.
void BreakdownPage::addUnitBars(const QVector<double>& keys, double scale, bool anyMeasured,
                                QCPBarsGroup* group) {
    const auto& rows = m_model->rows();
    for (int u = 0; u < kBoundCount; ++u) {
        QVector<double> values;
        for (const auto& r : rows) {
            const double s[kBoundCount] = {r.matrixSeconds, r.vectorSeconds, r.memorySeconds,
                                           r.overheadSeconds};
            values << s[u] * scale;
        }
        auto* bars = makeBars(m_plot, unitColor(Bound(u)),
                              tr("%1 busy").arg(unitLabel(m_platform->profile(), u)));
        bars->setData(keys, values, true);
        bars->setWidth(anyMeasured ? 0.16 : 0.2);
        bars->setBarsGroup(group);
    }
    auto* total = m_plot->addGraph();
    total->setName(tr("op time = max(units) + overhead"));
    total->setLineStyle(QCPGraph::lsNone);
    total->setScatterStyle(dashMarker());
    QVector<double> values;
    for (const auto& r : rows) values << r.seconds * scale;
    total->setData(keys, values, true);
}

/// Category ticks: every row per block/stage; block starts for fused ops (too many to name).
void BreakdownPage::setCategoryAxis(const QString& per) {
    const auto& rows = m_model->rows();
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < int(rows.size()); ++i) {
        if (m_granularity != Granularity::FusedOp) {
            ticker->addTick(i, QString::fromStdString(rows[size_t(i)].name));
        } else if (i == 0 || rows[size_t(i)].block != rows[size_t(i - 1)].block) {
            ticker->addTick(i, QString::fromStdString(
                                   analysis::scopeName(rows[size_t(i)].block, Granularity::Block)));
        }
    }
    m_plot->xAxis->setTicker(ticker);
    m_plot->xAxis->setTickLabelRotation(rows.size() > 12 ? 50 : 0);
    m_plot->xAxis->setSubTicks(false);
    m_plot->xAxis->setLabel(m_granularity == Granularity::FusedOp
                                ? tr("fused ops in execution order (ticks: first op of each block)")
                                : tr("%1s in execution order").arg(per));
}

/// The band behind the selected row's bars (hidden until a row is selected).
void BreakdownPage::addHighlight() {
    m_highlight = new QCPItemRect(m_plot);
    m_highlight->setLayer(QStringLiteral("grid"));
    m_highlight->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_highlight->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_highlight->setPen(Qt::NoPen);
    m_highlight->setBrush(QColor(255, 215, 0, 70));
    m_highlight->setVisible(false);
    m_highlight->setSelectable(false);
}

void BreakdownPage::selectRow(int row) {
    if (row < 0 || row >= m_model->rowCount()) return;
    m_selectedRow = row;
    auto* proxy = static_cast<QSortFilterProxyModel*>(m_table->model());
    const QModelIndex index = proxy->mapFromSource(m_model->index(row, 0));
    {
        const QSignalBlocker blocker(m_table->selectionModel());
        m_table->selectionModel()->setCurrentIndex(
            index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    m_table->scrollTo(index);
    if (m_highlight) {
        m_highlight->topLeft->setCoords(row - 0.5, 0.0);
        m_highlight->bottomRight->setCoords(row + 0.5, 1.0);
        m_highlight->setVisible(true);
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
    showExplanation(row);
}

void BreakdownPage::showExplanation(int row) {
    const BreakdownRow& r = m_model->row(row);
    const Profile& p = m_platform->profile();
    QString text =
        tr("%1: %2 predicted")
            .arg(QString::fromStdString(r.name), QString::fromStdString(formatSeconds(r.seconds)));
    if (r.measuredSeconds) {
        text +=
            tr(", %1 measured (%2)")
                .arg(QString::fromStdString(formatSeconds(*r.measuredSeconds)), m_measuredSource);
    }
    text += QStringLiteral("\n");
    if (r.firstGroup != r.lastGroup) {
        text += tr("%1 fused ops; bound by %2 (largest share of the time). Each op below:\n")
                    .arg(r.lastGroup - r.firstGroup + 1)
                    .arg(QString::fromUtf8(boundName(r.bound).data()));
    }
    for (int g = r.firstGroup; g <= r.lastGroup; ++g) {
        text += QStringLiteral("\n") + QString::fromStdString(explainText(explainGroup(
                                           p, m_layers, m_groups[size_t(g)], m_platform->dtype())));
    }
    m_explain->setPlainText(text);
}

QString BreakdownPage::explanation() const {
    return m_explain->toPlainText();
}

}  // namespace archscope::ui
