#pragma once

// QCustomPlot's header uses Qt's `signals`/`slots`/`emit`/`foreach` keywords, which the project turns off
// (QT_NO_KEYWORDS, because Qt's `slots` macro breaks LibTorch headers). Include it through here.
#ifndef signals
#define ARCHSCOPE_DEFINED_QT_KEYWORDS
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#endif
#include <qcustomplot.h>
#ifdef ARCHSCOPE_DEFINED_QT_KEYWORDS
#undef signals
#undef slots
#undef emit
#undef foreach
#undef ARCHSCOPE_DEFINED_QT_KEYWORDS
#endif
