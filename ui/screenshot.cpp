#include "screenshot.h"

#include <QApplication>
#include <QPixmap>
#include <QWidget>

namespace archscope::ui {

bool saveScreenshot(QWidget* widget, const QString& path, QString* error) {
    widget->show();
    // Let layouts settle and queued replots run before grabbing.
    for (int i = 0; i < 5; ++i) QApplication::processEvents();
    const QPixmap pixmap = widget->grab();
    if (pixmap.isNull()) {
        if (error) *error = QStringLiteral("the window rendered to an empty image");
        return false;
    }
    if (!pixmap.save(path, "PNG")) {
        if (error) *error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    return true;
}

}  // namespace archscope::ui
