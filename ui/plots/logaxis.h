#pragma once

class QCPAxis;

namespace archscope::ui {

/// Makes `axis` logarithmic over [lower, upper] with ticks at 1, 2 and 5 x 10^k, so a range of
/// less than a decade still shows several labelled ticks (QCPAxisTickerLog shows only powers).
void setLogAxis(QCPAxis* axis, double lower, double upper);

}  // namespace archscope::ui
