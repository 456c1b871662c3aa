#pragma once

#include <QString>

class QWidget;

namespace archscope::ui {

/// Renders a widget (shown, laid out, events processed) into a PNG. Returns false with a reason.
bool saveScreenshot(QWidget* widget, const QString& path, QString* error);

}  // namespace archscope::ui
