#include "orderscatter.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "plots/qcp.h"

namespace archscope::ui {

OrderScatter::OrderScatter(QCustomPlot* plot, const QString& legendName, int bins, double size) {
    for (int b = 0; b < bins; ++b) {
        QCPGraph* g = plot->addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        QColor c = colorAt(bins > 1 ? double(b) / (bins - 1) : 0.0);
        c.setAlpha(170);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c, size));
        g->setName(legendName);
        if (b > 0) g->removeFromLegend();
        m_graphs.push_back(g);
    }
}

void OrderScatter::setPoints(const QVector<double>& x, const QVector<double>& y) {
    const int bins = int(m_graphs.size());
    QVector<QVector<double>> xs(bins), ys(bins);
    const qsizetype n = std::min(x.size(), y.size());
    for (qsizetype i = 0; i < n; ++i) {
        const int b = n > 1 ? int(i * bins / n) : 0;
        xs[b].push_back(x[i]);
        ys[b].push_back(y[i]);
    }
    for (int b = 0; b < bins; ++b) m_graphs[b]->setData(xs[b], ys[b]);
}

QColor OrderScatter::colorAt(double fraction) {
    // Five stops of matplotlib's viridis (perceptually uniform, readable in grey and by most
    // colour-blind readers); QCustomPlot 2.1 has no viridis preset.
    static const QColor stops[] = {QColor(0x44, 0x01, 0x54), QColor(0x3b, 0x52, 0x8b),
                                   QColor(0x21, 0x91, 0x8c), QColor(0x5e, 0xc9, 0x62),
                                   QColor(0xfd, 0xe7, 0x25)};
    constexpr int last = int(std::size(stops)) - 1;
    const double t = std::clamp(fraction, 0.0, 1.0) * last;
    const int i = std::min(int(t), last - 1);
    const double f = t - i;
    const auto mix = [f](int a, int b) { return int(std::lround(a + (b - a) * f)); };
    return QColor(mix(stops[i].red(), stops[i + 1].red()),
                  mix(stops[i].green(), stops[i + 1].green()),
                  mix(stops[i].blue(), stops[i + 1].blue()));
}

}  // namespace archscope::ui
