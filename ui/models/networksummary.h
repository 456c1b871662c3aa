#pragma once

#include <QString>

#include "analysis/comparison.h"

namespace archscope::ui {

// The figures and the explanation are computed in the core (the CLI's `compare` prints them too);
// the UI only words them.
using analysis::NetworkSummary;
using analysis::summarizeNetwork;

/// The core's explanation of why B is faster or slower than A, as rich text for the Why panel.
QString explanationHtml(const analysis::Explanation& e);

}  // namespace archscope::ui
