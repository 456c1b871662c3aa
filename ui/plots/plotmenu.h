#pragma once

#include <QString>
#include <functional>

class QCustomPlot;
class QWidget;

namespace archscope::ui {

/// Gives a plot a right-click menu: "Export plot…" (PNG / PDF / SVG through exportPlot) and,
/// when given, "Reset zoom" calling `resetZoom`.
void addExportMenu(QCustomPlot* plot, const QString& baseName,
                   std::function<void()> resetZoom = {});

/// Asks for a file name and exports the plot; reports failures in a message box.
void exportPlotInteractively(QCustomPlot* plot, const QString& baseName);

}  // namespace archscope::ui
