#pragma once

#include <QColor>
#include <QVector>

class QCustomPlot;
class QCPGraph;

namespace archscope::ui {

/// A scatter whose points are coloured by the order they were evaluated in (viridis: dark
/// early, yellow late), as optuna-dashboard colours trials. QCPGraph has one colour per graph,
/// so the points go into `bins` graphs by order; only the first is in the legend. Callers keep
/// their own point list and find a point by pixel distance, never by the graph's data index
/// (a graph sorts its data by key).
class OrderScatter {
public:
    OrderScatter(QCustomPlot* plot, const QString& legendName, int bins = 8, double size = 6.0);
    /// Points in evaluation order.
    void setPoints(const QVector<double>& x, const QVector<double>& y);
    /// The colour of a point `fraction` (0..1) of the way through the run.
    static QColor colorAt(double fraction);

private:
    QVector<QCPGraph*> m_graphs;
};

}  // namespace archscope::ui
