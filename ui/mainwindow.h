#pragma once

#include <QMainWindow>
#include <QStringList>

class QListWidget;
class QStackedWidget;

namespace archscope::ui {

class ModelsPage;

/// A thin shell: a navigation list on the left and one page at a time. Pages do the work.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    /// Shows the page with this id (e.g. "models"); false if there is none.
    bool showPage(const QString& id);
    QStringList pageIds() const { return m_ids; }
    ModelsPage* modelsPage() const { return m_models; }

private:
    void addPage(const QString& id, const QString& title, QWidget* page);

    QListWidget* m_nav;
    QStackedWidget* m_stack;
    QStringList m_ids;
    ModelsPage* m_models;
};

}  // namespace archscope::ui
