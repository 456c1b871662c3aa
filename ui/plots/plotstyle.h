#pragma once

#include <string>

#include <QColor>
#include <QString>

class QCustomPlot;
class QCPAxis;

namespace archscope {
enum class Bound;  // hw/model.h
}

namespace archscope::ui {

/// One colour per hardware unit, the same in every view (breakdown bars, roofline, legends).
struct UnitColors {
    static QColor matrix() { return QColor(0x1f, 0x77, 0xb4); }    ///< MXU / tensor cores: blue
    static QColor vector() { return QColor(0xff, 0x7f, 0x0e); }    ///< VPU / CUDA cores: orange
    static QColor memory() { return QColor(0x2c, 0xa0, 0x2c); }    ///< HBM / DRAM: green
    static QColor overhead() { return QColor(0x7f, 0x7f, 0x7f); }  ///< fixed per-op cost: grey
    static QColor measured() { return QColor(0xd6, 0x27, 0x28); }  ///< measured figures: red
};

/// The colour of the unit a Bound stands for (matrix, vector, memory, overhead).
QColor unitColor(Bound bound);

/// Colours for model families, the same in every view.
struct FamilyColors {
    static QColor efficientNet() { return QColor(0x94, 0x67, 0xbd); }   ///< purple
    static QColor efficientNetX() { return QColor(0x17, 0xbe, 0xcf); }  ///< teal
    static QColor other() { return QColor(0x8c, 0x56, 0x4b); }          ///< brown
    static QColor forModel(const QString& name);
    /// A zoo family's colour (zooFamilies()): EfficientNet purple, X-TPU teal, X-GPU dark teal,
    /// the reference builder's ablations their own (X under the FLOPs rule orange, the version-2
    /// "h" families pink and olive); anything else brown.
    static QColor forFamily(const std::string& family);
};

/// Readable defaults: fonts, grid, margins, interactions (drag/zoom on both axes).
void applyPlotStyle(QCustomPlot* plot);

/// Gives a plot a bold title row above its axis rect (once; later calls only set the text).
/// QCustomPlot has no title of its own: it is a text element in layout row 0.
/// A title wider than the plot is broken into two lines (or elided) before each replot.
void setPlotTitle(QCustomPlot* plot, const QString& title);
/// Moves the legend out of the axis rect into a row under the title (where it cannot hide data),
/// filled in columns of `rowsPerColumn`. Call after setPlotTitle and after adding the plottables;
/// later calls close the gaps removed entries left.
void placeLegendUnderTitle(QCustomPlot* plot, int rowsPerColumn);
/// The label last given to `axis` (setLabel), whole: the axis may show it broken or elided.
QString axisLabel(const QCPAxis* axis);
/// The title last given to setPlotTitle, whole (the element may show it broken or elided).
QString plotTitle(const QCustomPlot* plot);

/// Saves a plot as PNG, PDF, SVG or JPEG by the file's suffix; false with a reason.
bool exportPlot(QCustomPlot* plot, const QString& path, QString* error);

}  // namespace archscope::ui
