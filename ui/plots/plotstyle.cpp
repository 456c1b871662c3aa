#include "plotstyle.h"

#include <QFontMetrics>
#include <QSvgGenerator>
#include <algorithm>
#include <limits>

#include "hw/model.h"
#include "qcp.h"
#include "zoo/zoo.h"

namespace archscope::ui {

namespace {

/// `title` as it fits `width` pixels in `metrics`: whole, else broken into two lines at the
/// space that best balances them, else elided on the right.
QString fittedTitle(const QString& title, const QFontMetrics& metrics, int width) {
    if (width <= 0 || metrics.horizontalAdvance(title) <= width) return title;
    QString best;
    int bestLonger = std::numeric_limits<int>::max();
    for (qsizetype at = title.indexOf(QLatin1Char(' ')); at > 0;
         at = title.indexOf(QLatin1Char(' '), at + 1)) {
        const int longer = std::max(metrics.horizontalAdvance(title.left(at)),
                                    metrics.horizontalAdvance(title.mid(at + 1)));
        if (longer <= width && longer < bestLonger) {
            bestLonger = longer;
            best = title.left(at) + QLatin1Char('\n') + title.mid(at + 1);
        }
    }
    return best.isEmpty() ? metrics.elidedText(title, Qt::ElideRight, width) : best;
}

/// Before every replot, an axis label longer than its axis (lecture mode's larger fonts, a
/// short plot) is broken into two lines or elided; the full text comes back when it fits.
void fitAxisLabelsOnReplot(QCustomPlot* plot) {
    if (plot->property("archscopeFitsLabels").toBool()) return;
    plot->setProperty("archscopeFitsLabels", true);
    QObject::connect(plot, &QCustomPlot::beforeReplot, plot, [plot] {
        for (QCPAxis* axis : plot->axisRect()->axes()) {
            // A label the page set since the last fit replaces the remembered full text.
            QString full = axis->label();
            if (full == axis->property("archscopeShownLabel").toString())
                full = axis->property("archscopeFullLabel").toString();
            const int length = axis->orientation() == Qt::Horizontal ? plot->axisRect()->width()
                                                                     : plot->axisRect()->height();
            const QString shown = fittedTitle(full, QFontMetrics(axis->labelFont()), length - 4);
            axis->setProperty("archscopeFullLabel", full);
            axis->setProperty("archscopeShownLabel", shown);
            if (shown != axis->label()) axis->setLabel(shown);
        }
    });
}

}  // namespace

QColor unitColor(Bound bound) {
    switch (bound) {
        case Bound::Matrix:
            return UnitColors::matrix();
        case Bound::Vector:
            return UnitColors::vector();
        case Bound::Memory:
            return UnitColors::memory();
        case Bound::Overhead:
            break;
    }
    return UnitColors::overhead();
}

QColor FamilyColors::forModel(const QString& name) {
    if (name.startsWith(QStringLiteral("efficientnet-x"))) return efficientNetX();
    if (name.startsWith(QStringLiteral("efficientnet"))) return efficientNet();
    return other();
}

QColor FamilyColors::forFamily(const std::string& family) {
    if (family == kFamilyEfficientNet) return efficientNet();
    if (family == kFamilyEfficientNetXTpu) return efficientNetX();
    if (family == kFamilyEfficientNetXGpu) return efficientNetX().darker(150);
    if (family == kFamilyEfficientNetX) return QColor(0xff, 0x7f, 0x0e);
    if (family == kFamilyEfficientNetH) return QColor(0xe3, 0x77, 0xc2);
    if (family == kFamilyEfficientNetHTpu) return QColor(0xbc, 0xbd, 0x22);
    return other();
}

void applyPlotStyle(QCustomPlot* plot) {
    QFont font = plot->font();
    font.setPointSize(10);
    QFont labelFont = font;
    labelFont.setPointSize(11);
    for (QCPAxis* axis : {plot->xAxis, plot->yAxis}) {
        axis->setTickLabelFont(font);
        axis->setLabelFont(labelFont);
        axis->grid()->setSubGridVisible(false);
        axis->grid()->setPen(QPen(QColor(220, 220, 220), 1, Qt::DotLine));
    }
    plot->legend->setFont(font);
    plot->legend->setBrush(QColor(255, 255, 255, 220));
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom | QCP::iSelectPlottables);
    plot->setAntialiasedElements(QCP::aeAll);
    fitAxisLabelsOnReplot(plot);
}

void setPlotTitle(QCustomPlot* plot, const QString& title) {
    constexpr const char* kTitleProperty = "archscopeTitle";
    constexpr const char* kFullTextProperty = "archscopeTitleText";
    auto* element = qobject_cast<QCPTextElement*>(plot->property(kTitleProperty).value<QObject*>());
    if (!element) {
        QFont font = plot->font();
        font.setPointSize(11);
        font.setBold(true);
        plot->plotLayout()->insertRow(0);
        element = new QCPTextElement(plot, title, font);
        plot->plotLayout()->addElement(0, 0, element);
        plot->setProperty(kTitleProperty, QVariant::fromValue<QObject*>(element));
        fitAxisLabelsOnReplot(plot);
        // A title longer than the plot is wide would be cut at both ends: refit it before
        // every replot, so it follows resizes and lecture mode's larger fonts.
        QObject::connect(plot, &QCustomPlot::beforeReplot, element, [plot, element] {
            const QString full = plot->property(kFullTextProperty).toString();
            element->setText(fittedTitle(full, QFontMetrics(element->font()), plot->width() - 12));
        });
    }
    plot->setProperty(kFullTextProperty, title);
    element->setText(fittedTitle(title, QFontMetrics(element->font()), plot->width() - 12));
}

void placeLegendUnderTitle(QCustomPlot* plot, int rowsPerColumn) {
    QCPLegend* legend = plot->legend;
    if (legend->layout() == plot->plotLayout()) {
        // Entries come and go with the plottables: close the gaps they leave.
        legend->setFillOrder(QCPLayoutGrid::foRowsFirst, true);
        return;
    }
    plot->axisRect()->insetLayout()->take(legend);
    plot->axisRect()->insetLayout()->simplify();
    QCPLayoutGrid* grid = plot->plotLayout();
    const bool titled = plot->property("archscopeTitle").isValid();
    const int row = titled ? 1 : 0;
    grid->insertRow(row);
    grid->addElement(row, 0, legend);
    grid->setRowStretchFactor(row, 0.001);  // as tall as its entries, the rest to the axis rect
    legend->setWrap(rowsPerColumn);
    legend->setFillOrder(QCPLayoutGrid::foRowsFirst, true);
    legend->setMargins(QMargins(4, 0, 4, 2));
    legend->setBorderPen(Qt::NoPen);
    legend->setIconSize(20, 10);  // a compact row: the axis rect keeps the height
    legend->setRowSpacing(0);
    legend->setColumnSpacing(14);
}

QString axisLabel(const QCPAxis* axis) {
    return axis->label() == axis->property("archscopeShownLabel").toString()
               ? axis->property("archscopeFullLabel").toString()
               : axis->label();
}

QString plotTitle(const QCustomPlot* plot) {
    return plot->property("archscopeTitleText").toString();
}

bool exportPlot(QCustomPlot* plot, const QString& path, QString* error) {
    bool ok = false;
    const QString lower = path.toLower();
    if (lower.endsWith(QStringLiteral(".pdf"))) {
        ok = plot->savePdf(path);
    } else if (lower.endsWith(QStringLiteral(".png"))) {
        ok = plot->savePng(path, 0, 0, 2.0);
    } else if (lower.endsWith(QStringLiteral(".svg"))) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(plot->size());
        generator.setViewBox(plot->rect());
        generator.setTitle(plot->window()->windowTitle());
        QCPPainter painter;
        ok = painter.begin(&generator);
        if (ok) {
            plot->toPainter(&painter, plot->width(), plot->height());
            painter.end();
        }
    } else if (lower.endsWith(QStringLiteral(".jpg")) || lower.endsWith(QStringLiteral(".jpeg"))) {
        ok = plot->saveJpg(path, 0, 0, 2.0);
    } else {
        if (error)
            *error = QStringLiteral("unknown image format for %1 (use .png, .pdf, .svg)").arg(path);
        return false;
    }
    if (!ok && error) *error = QStringLiteral("cannot write %1").arg(path);
    return ok;
}

}  // namespace archscope::ui
