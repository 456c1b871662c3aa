#include "validationpage.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <cmath>

#include "hw/runtime_io.h"
#include "plots/logaxis.h"
#include "plots/plotmenu.h"
#include "plots/plotstyle.h"
#include "plots/qcp.h"

namespace archscope::ui {
namespace {

/// Loads and validates every shipped table under `runtime` ("" = each table's own). Runs on a
/// worker: plain values in, plain values out.
ValidationRun computeValidation(const QString& runtime) {
    ValidationRun run;
    run.runtime = runtime;
    try {
        for (ValidationTable& t : loadValidationTables()) {
            TableValidation outcome = validateOnPlatform(t, runtime.toStdString());
            run.entries.push_back({std::move(t), std::move(outcome)});
        }
    } catch (const std::exception& e) {
        run.error = QString::fromUtf8(e.what());
    }
    return run;
}

QColor heldOutColor() {
    return UnitColors::matrix();
}

}  // namespace

ValidationPage::ValidationPage(QWidget* parent)
    : QWidget(parent),
      m_model(new ValidationTableModel(this)),
      m_runtime(new QComboBox),
      m_status(new QLabel),
      m_table(new QTableView),
      m_plot(new QCustomPlot),
      m_details(new QTextBrowser) {
    buildWidgets();
    connectSignals();
    recompute();
}

void ValidationPage::buildWidgets() {
    m_runtime->addItem(tr("each table's own"), QString());
    for (const std::string& name : listRuntimes())
        m_runtime->addItem(QString::fromStdString(name), QString::fromStdString(name));
    m_runtime->setToolTip(
        tr("Predict every table under this runtime instead of the one its software is nearest "
           "to (archscope-cli validate --runtime)"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::RichText);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Runtime")));
    controls->addWidget(m_runtime);
    controls->addSpacing(12);
    controls->addWidget(m_status, 1);

    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 4);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);

    applyPlotStyle(m_plot);
    m_plot->setMinimumSize(360, 260);
    m_plot->setMouseTracking(true);
    m_plot->legend->setVisible(true);
    setPlotTitle(m_plot, QString());
    addExportMenu(m_plot, QStringLiteral("validation"), [this] { updateScatter(); });
    m_details->setOpenExternalLinks(true);

    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(m_plot);
    bottom->addWidget(m_details);
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 2);
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(bottom);
    // Room for every shipped table's row at the default window size; the plot takes the rest.
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    splitter->setSizes({rowHeight * (int(listValidationTables().size()) + 2) + 8, 360});
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);
}

void ValidationPage::connectSignals() {
    connect(m_runtime, &QComboBox::currentIndexChanged, this, [this] { recompute(); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                m_selected = current.isValid() ? current.row() : -1;
                updateScatter();
                updateDetails();
            });
    connect(m_plot, &QCustomPlot::mouseMove, this, &ValidationPage::showPointAt);
    connect(&m_watcher, &QFutureWatcherBase::finished, this, &ValidationPage::showComputed);
}

/// Hover: the nearest point's model@batch and figures.
void ValidationPage::showPointAt(QMouseEvent* event) {
    const ValidationEntry* e = m_model->entry(m_selected);
    if (!e) return;
    const QPointF pos = event->position();
    const ValidationPoint* best = nullptr;
    double bestDistance = 10.0;  // pixels
    for (const ValidationPoint& p : e->outcome.result.points) {
        const double d = std::hypot(m_plot->xAxis->coordToPixel(p.measuredMs) - pos.x(),
                                    m_plot->yAxis->coordToPixel(p.predictedMs) - pos.y());
        if (d < bestDistance) bestDistance = d, best = &p;
    }
    if (!best) return QToolTip::hideText();
    const QLocale locale;
    QToolTip::showText(
        event->globalPosition().toPoint(),
        tr("%1@%2 (%3 px)\nmeasured %4 ms, predicted %5 ms (%6%7 %)")
            .arg(QString::fromStdString(best->model))
            .arg(best->batch)
            .arg(best->resolution)
            .arg(locale.toString(best->measuredMs, 'g', 4),
                 locale.toString(best->predictedMs, 'g', 4),
                 best->predictedMs >= best->measuredMs ? QStringLiteral("+") : QString(),
                 locale.toString(100.0 * (best->predictedMs / best->measuredMs - 1.0), 'f', 1)),
        m_plot);
}

/// A finished computation (the latest request only): the table, the status line, the selection.
void ValidationPage::showComputed() {
    if (m_watcher.property("token").toULongLong() != m_token) return;
    ValidationRun run = m_watcher.result();
    m_busy = false;
    // Keep the selected table across recomputations.
    const ValidationEntry* before = m_model->entry(m_selected);
    const std::string keep = before ? before->table.name : std::string();
    m_model->setEntries(std::move(run.entries));
    int row = 0;
    for (int i = 0; i < m_model->rowCount(); ++i) {
        if (m_model->entry(i)->table.name == keep) row = i;
    }
    int fit = 0, below = 0, skipped = 0;
    for (const ValidationEntry& e : m_model->entries()) {
        fit += e.table.role == "fit";
        skipped += !e.outcome.skipped.empty();
        below += e.outcome.skipped.empty() && modelRanksBelowProxy(e.outcome.result);
    }
    const int n = m_model->rowCount();
    QString status =
        run.error.isEmpty()
            ? tr("%1 tables: %2 held out, <span style='color:%3'>%4 fit</span> (grey: the "
                 "runtime's parameters were fitted on them). The model's τ is below a "
                 "proxy's on %5 (▼).")
                  .arg(n)
                  .arg(n - fit)
                  .arg(ValidationTableModel::fitRowColor().name())
                  .arg(fit)
                  .arg(below)
            : tr("Cannot load the validation tables: %1").arg(run.error.toHtmlEscaped());
    if (skipped) status += tr(" %n skipped (hover for why).", nullptr, skipped);
    m_status->setText(status);
    m_selected = -1;
    if (n > 0) selectRow(row);
    updateScatter();
    updateDetails();
    Q_EMIT computed();
}

bool ValidationPage::setRuntimeOverride(const QString& runtime) {
    const int index = m_runtime->findData(runtime);
    if (index < 0) return false;
    if (index == m_runtime->currentIndex()) return true;
    m_runtime->setCurrentIndex(index);  // recomputes
    return true;
}

QString ValidationPage::runtimeOverride() const {
    return m_runtime->currentData().toString();
}

void ValidationPage::selectRow(int row) {
    if (row < 0 || row >= m_model->rowCount()) return;
    m_table->setCurrentIndex(m_model->index(row, 0));
    m_table->selectRow(row);
}

QString ValidationPage::detailsText() const {
    return m_details->toPlainText();
}

QString ValidationPage::statusText() const {
    return m_status->text();
}

void ValidationPage::recompute() {
    const quint64 token = ++m_token;
    m_busy = true;
    const QString runtime = runtimeOverride();
    m_status->setText(runtime.isEmpty() ? tr("Validating every table under its own runtime…")
                                        : tr("Validating every table under %1…").arg(runtime));
    // The token travels with the watcher: a result for an older request is dropped.
    m_watcher.setProperty("token", QVariant::fromValue(token));
    m_watcher.setFuture(QtConcurrent::run([runtime] { return computeValidation(runtime); }));
}

void ValidationPage::updateScatter() {
    QCustomPlot* plot = m_plot;
    plot->clearPlottables();
    plot->clearItems();
    const ValidationEntry* e = m_model->entry(m_selected);
    if (!e || !e->outcome.skipped.empty()) {
        setPlotTitle(plot, e ? tr("%1: skipped").arg(QString::fromStdString(e->table.name))
                             : tr("Select a table"));
        plot->replot();
        return;
    }
    const ValidationResult& r = e->outcome.result;
    const bool fit = e->table.role == "fit";
    const QColor color = fit ? ValidationTableModel::fitRowColor() : heldOutColor();
    double lo = 1e300, hi = 0.0;
    for (const ValidationPoint& p : r.points) {
        lo = std::min({lo, p.measuredMs, p.predictedMs});
        hi = std::max({hi, p.measuredMs, p.predictedMs});
    }
    if (hi <= 0.0) lo = 0.1, hi = 10.0;
    lo /= 1.6;
    hi *= 1.6;
    // The diagonal (a perfect prediction) and the factor-of-two band around it, under the points.
    auto line = [&](double factor, const QString& name, const QPen& pen) {
        auto* g = plot->addGraph();
        g->setName(name);
        g->setPen(pen);
        g->addData(lo, lo * factor);
        g->addData(hi, hi * factor);
        return g;
    };
    line(1.0, tr("predicted = measured"), QPen(Qt::black, 1.2));
    line(2.0, tr("×2 and ÷2"), QPen(QColor(120, 120, 120), 1.0, Qt::DotLine));
    auto* half = line(0.5, QString(), QPen(QColor(120, 120, 120), 1.0, Qt::DotLine));
    plot->legend->removeItem(plot->legend->itemWithPlottable(half));
    auto* points = plot->addGraph();
    points->setName(fit ? tr("%1 rows (fit)").arg(r.count) : tr("%1 rows (held out)").arg(r.count));
    points->setLineStyle(QCPGraph::lsNone);
    points->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, color.darker(130), color, 8));
    for (const ValidationPoint& p : r.points) points->addData(p.measuredMs, p.predictedMs);
    plot->xAxis->setLabel(tr("measured latency per batch (ms, log)"));
    plot->yAxis->setLabel(tr("predicted (ms, log)"));
    setLogAxis(plot->xAxis, lo, hi);
    setLogAxis(plot->yAxis, lo, hi);
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    const QLocale locale;
    setPlotTitle(
        plot, tr("%1: τ %2 (MACs %3), median |error| %4 %")
                  .arg(QString::fromStdString(e->table.name), locale.toString(r.tauModel, 'f', 2),
                       locale.toString(r.tauMacs, 'f', 2),
                       locale.toString(r.medianAbsErrorPercent, 'f', 1)));
    plot->replot();
}

void ValidationPage::updateDetails() {
    const ValidationEntry* e = m_model->entry(m_selected);
    if (!e) {
        m_details->clear();
        return;
    }
    const ValidationTable& t = e->table;
    auto esc = [](const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); };
    QString html = QStringLiteral("<p><b>%1</b></p>").arg(esc(t.title));
    html += tr("<p><b>Source</b>: %1 (%2)</p>").arg(esc(t.citation), esc(t.sharedFile));
    html += tr("<p><b>Software</b>: %1, %2</p>").arg(esc(t.software), esc(t.dtype));
    html += tr("<p><b>Role</b>: %1</p>")
                .arg(t.role == "fit" ? tr("fit: the runtime's parameters were fitted on this "
                                          "table, so its error shows the fit, not a test")
                                     : tr("held out: no parameter was fitted on it"));
    if (e->outcome.skipped.empty()) {
        html += tr("<p><b>Prediction</b>: %1, at %2</p>").arg(esc(e->outcome.method), esc(t.dtype));
    } else {
        html += tr("<p><b>Skipped</b>: %1</p>").arg(esc(e->outcome.skipped));
    }
    html += tr("<p><b>Units</b>: %1</p>").arg(esc(t.conversion));
    if (!t.notes.empty()) {
        html += tr("<p><b>Notes</b></p><ul>");
        for (const std::string& n : t.notes) html += QStringLiteral("<li>%1</li>").arg(esc(n));
        html += QStringLiteral("</ul>");
    }
    if (!t.dropped.empty()) {
        html += tr("<p><b>Left out</b> (%1 source rows)</p><ul>").arg(t.dropped.size());
        for (const DroppedRow& d : t.dropped)
            html += QStringLiteral("<li>%1: %2</li>").arg(esc(d.sourceRow), esc(d.reason));
        html += QStringLiteral("</ul>");
    }
    m_details->setHtml(html);
}

}  // namespace archscope::ui
