#include "plotstyle.h"

#include <QSvgGenerator>
#include "hw/model.h"
#include "qcp.h"
#include "zoo/zoo.h"

namespace archscope::ui {

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
}

void setPlotTitle(QCustomPlot* plot, const QString& title) {
    constexpr const char* kTitleProperty = "archscopeTitle";
    auto* element = qobject_cast<QCPTextElement*>(plot->property(kTitleProperty).value<QObject*>());
    if (!element) {
        QFont font = plot->font();
        font.setPointSize(11);
        font.setBold(true);
        plot->plotLayout()->insertRow(0);
        element = new QCPTextElement(plot, title, font);
        plot->plotLayout()->addElement(0, 0, element);
        plot->setProperty(kTitleProperty, QVariant::fromValue<QObject*>(element));
    }
    element->setText(title);
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
