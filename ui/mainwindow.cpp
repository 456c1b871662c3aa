#include "mainwindow.h"

#include <QHBoxLayout>
#include <QListWidget>
#include <QStackedWidget>

#include "pages/modelspage.h"

namespace archscope::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_nav(new QListWidget), m_stack(new QStackedWidget), m_models(new ModelsPage) {
    setWindowTitle(tr("Archscope — platform-aware architecture explorer"));
    m_nav->setFixedWidth(150);
    m_nav->setSpacing(2);
    addPage(QStringLiteral("models"), tr("Models"), m_models);

    auto* central = new QWidget;
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_nav);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);
    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    m_nav->setCurrentRow(0);
    resize(1400, 860);
}

void MainWindow::addPage(const QString& id, const QString& title, QWidget* page) {
    m_ids << id;
    m_nav->addItem(title);
    m_stack->addWidget(page);
}

bool MainWindow::showPage(const QString& id) {
    const int index = static_cast<int>(m_ids.indexOf(id));
    if (index < 0) return false;
    m_nav->setCurrentRow(index);
    return true;
}

}  // namespace archscope::ui
