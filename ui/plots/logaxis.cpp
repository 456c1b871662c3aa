#include "logaxis.h"

#include <QLocale>
#include <cmath>

#include "qcp.h"

namespace archscope::ui {

void setLogAxis(QCPAxis* axis, double lower, double upper) {
    if (!(lower > 0.0) || !(upper > lower)) return;
    axis->setScaleType(QCPAxis::stLogarithmic);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const QLocale locale;
    // Over many decades 1-2-5 crowds the axis: keep powers of ten only.
    const bool manyDecades = std::log10(upper / lower) > 4.0;
    for (int e = int(std::floor(std::log10(lower))); e <= int(std::ceil(std::log10(upper))); ++e) {
        for (double m : {1.0, 2.0, 5.0}) {
            if (manyDecades && m != 1.0) continue;
            const double v = m * std::pow(10.0, e);
            if (v < lower || v > upper) continue;
            ticker->addTick(v, locale.toString(v, 'g', 3));
        }
    }
    ticker->setSubTickCount(0);
    axis->setTicker(ticker);
    axis->setRange(lower, upper);
}

}  // namespace archscope::ui
