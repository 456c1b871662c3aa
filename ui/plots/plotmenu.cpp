#include "plotmenu.h"

#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>

#include "plotstyle.h"
#include "qcp.h"

namespace archscope::ui {

void exportPlotInteractively(QCustomPlot* plot, const QString& baseName) {
    const QString path = QFileDialog::getSaveFileName(
        plot, QObject::tr("Export plot"), baseName + QStringLiteral(".png"),
        QObject::tr("PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportPlot(plot, path, &error)) {
        QMessageBox::warning(plot, QObject::tr("Export failed"), error);
    }
}

void addExportMenu(QCustomPlot* plot, const QString& baseName, std::function<void()> resetZoom) {
    plot->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(
        plot, &QWidget::customContextMenuRequested, plot, [plot, baseName, resetZoom](QPoint pos) {
            QMenu menu(plot);
            menu.addAction(QObject::tr("Export plot (PNG, PDF, SVG)…"), plot,
                           [plot, baseName] { exportPlotInteractively(plot, baseName); });
            if (resetZoom) menu.addAction(QObject::tr("Reset zoom"), plot, resetZoom);
            menu.exec(plot->mapToGlobal(pos));
        });
}

}  // namespace archscope::ui
