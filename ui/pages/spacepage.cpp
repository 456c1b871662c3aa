#include "pages/spacepage.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

#include "models/spacetablemodel.h"
#include "util/resources.h"

namespace archscope::ui {

SpacePage::SpacePage(QWidget* parent)
    : QWidget(parent),
      m_model(new SpaceTableModel(this)),
      m_view(new QTableView),
      m_shipped(new QComboBox),
      m_title(new QLabel),
      m_summary(new QLabel),
      m_message(new QLabel) {
    for (const auto& name : shippedSpaceNames()) m_shipped->addItem(QString::fromStdString(name));
    m_view->setModel(m_model);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setAlternatingRowColors(true);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_summary->setWordWrap(true);
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("color: #a00"));

    auto* open = new QPushButton(tr("Open…"));
    auto* save = new QPushButton(tr("Save as…"));
    auto* use = new QPushButton(tr("Use for the next search"));
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Shipped space:")));
    top->addWidget(m_shipped);
    top->addWidget(open);
    top->addWidget(save);
    top->addStretch();
    top->addWidget(use);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_title);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_message);
    layout->addWidget(
        new QLabel(tr("Double-click a cell to edit its choices as a comma-separated "
                      "list (block: mbconv, fused; activation: relu, swish, relu6; "
                      "space-to-depth: 0, 1 start, 2 continue).")));

    connect(m_shipped, &QComboBox::textActivated, this,
            [this](const QString& name) { loadSpace(name); });
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open search space"), QString(),
                                                          tr("Search space (*.json)"));
        if (!path.isEmpty()) loadSpace(path);
    });
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save search space"),
            QString::fromStdString(m_model->space().name) + QStringLiteral(".json"),
            tr("Search space (*.json)"));
        if (!path.isEmpty()) saveSpace(path);
    });
    connect(use, &QPushButton::clicked, this, [this] {
        if (m_origin.isEmpty()) {
            // An edited space is written to the user's data folder so the run can be resumed.
            const QString dir = QString::fromStdString((userDataDir() / "spaces").string());
            QDir().mkpath(dir);
            if (!saveSpace(dir + QStringLiteral("/%1-edited.json")
                                     .arg(QString::fromStdString(m_model->space().name)))) {
                return;
            }
        }
        Q_EMIT useForSearch(m_origin);
    });
    connect(m_model, &SpaceTableModel::editRejected, this, [this](const QString& message) {
        m_message->setText(tr("Edit refused: %1").arg(message));
    });
    connect(m_model, &SpaceTableModel::dataChanged, this, [this] {
        m_origin.clear();
        m_message->clear();
        updateSummary();
    });
    loadSpace(QStringLiteral("efficientnet-x"));
}

bool SpacePage::loadSpace(const QString& nameOrPath) {
    try {
        m_model->setSpace(loadSearchSpace(nameOrPath.toStdString()));
        m_origin = nameOrPath;
        m_message->clear();
        updateSummary();
        return true;
    } catch (const std::exception& e) {
        m_message->setText(tr("Cannot load %1: %2").arg(nameOrPath, QString::fromUtf8(e.what())));
        return false;
    }
}

bool SpacePage::saveSpace(const QString& path) {
    try {
        saveSearchSpace(m_model->space(), path.toStdString());
        m_origin = path;
        updateSummary();
        return true;
    } catch (const std::exception& e) {
        m_message->setText(tr("Cannot save: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
}

QString SpacePage::message() const {
    return m_message->text();
}

void SpacePage::updateSummary() {
    const SearchSpace& s = m_model->space();
    m_title->setText(QString::fromStdString(s.name) +
                     (m_origin.isEmpty() ? tr(" (edited, not saved)") : QString()));
    const double size = s.size();
    m_summary->setText(tr("<b>%1</b> candidate networks (10<sup>%2</sup>) in %3 stages.<br>%4<br>"
                          "<i>%5</i>")
                           .arg(QString::number(size, 'g', 4))
                           .arg(std::log10(size), 0, 'f', 1)
                           .arg(s.stages.size())
                           .arg(QString::fromStdString(s.description).toHtmlEscaped())
                           .arg(QString::fromStdString(s.source).toHtmlEscaped()));
}

}  // namespace archscope::ui
