#include "modelspage.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "arch/expand.h"
#include "arch/json.h"
#include "fileactions.h"
#include "models/layertablemodel.h"
#include "models/zootablemodel.h"
#include "zoo/zoo.h"

namespace archscope::ui {

ModelsPage::ModelsPage(QWidget* parent)
    : QWidget(parent),
      m_zoo(new ZooTableModel(this)),
      m_layers(new LayerTableModel(this)),
      m_zooView(new QTableView),
      m_layerView(new QTableView),
      m_title(new QLabel),
      m_summary(new QLabel) {
    m_zooView->setModel(m_zoo);
    m_zooView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_zooView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_zooView->verticalHeader()->hide();
    m_zooView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_zooView->setAlternatingRowColors(true);

    const int rowHeight = fontMetrics().height() + 6;
    m_zooView->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_layerView->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_layerView->setModel(m_layers);
    m_layerView->verticalHeader()->hide();
    m_layerView->setAlternatingRowColors(true);
    m_layerView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_layerView->horizontalHeader()->setStretchLastSection(true);

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* open = new QPushButton(tr("Open architecture file…"));
    connect(open, &QPushButton::clicked, this, &ModelsPage::openArchitectureFile);

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("<b>Model zoo</b> (MACs at batch 1)")));
    leftLayout->addWidget(m_zooView);
    leftLayout->addWidget(open);

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_title);
    rightLayout->addWidget(m_summary);
    rightLayout->addWidget(m_layerView, 1);

    auto* splitter = new QSplitter;
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({430, 900});
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(splitter);

    m_zooView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_zooView, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = m_zooView->indexAt(pos);
        if (!index.isValid()) return;
        const NetworkSpec spec = *zooSpec(m_zoo->row(index.row()).name.toStdString());
        QMenu menu;
        menu.addAction(tr("Export %1…").arg(QString::fromStdString(spec.name)), this,
                       [this, spec] { exportArchitectureInteractive(this, spec); });
        menu.exec(m_zooView->viewport()->mapToGlobal(pos));
    });
    connect(m_zooView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid()) {
                    showNetwork(*zooSpec(m_zoo->row(current.row()).name.toStdString()));
                }
            });
    selectModel(QStringLiteral("efficientnet-b0"));
}

bool ModelsPage::selectModel(const QString& name) {
    const int row = m_zoo->rowOf(name);
    if (row < 0) return false;
    m_zooView->selectRow(row);
    m_zooView->scrollTo(m_zoo->index(row, 0));
    if (m_spec.name != name.toStdString()) showNetwork(*zooSpec(name.toStdString()));
    return true;
}

void ModelsPage::showNetwork(const NetworkSpec& spec) {
    const Network net = buildNetwork(spec);
    auto layers = expandLayers(net, 1);
    const NetworkCost cost = totalCost(layers);
    m_spec = spec;
    m_layers->setLayers(std::move(layers));
    m_title->setText(QString::fromStdString(spec.name));
    QStringList blocks;
    for (const auto& b : spec.blocks) blocks << QString::fromStdString(formatBlockString(b));
    QLocale locale;
    m_summary->setText(
        tr("<b>%1×%1</b> input · <b>%2 M</b> params · <b>%3 GMACs</b> (batch 1) · %4 blocks · %5 "
           "layers<br>width %6 · depth %7 · dropout %8 · default activation %9<br>"
           "<span style='color:#555'>%10</span>")
            .arg(net.resolution)
            .arg(locale.toString(cost.params / 1e6, 'f', 3))
            .arg(locale.toString(cost.macs / 1e9, 'f', 3))
            .arg(net.blocks.size())
            .arg(cost.layers)
            .arg(spec.scaling.width)
            .arg(spec.scaling.depth)
            .arg(spec.scaling.dropout)
            .arg(QString::fromUtf8(activationName(spec.defaultActivation).data()))
            .arg(blocks.join(QStringLiteral("  "))));
    Q_EMIT networkChanged(m_spec);
}

void ModelsPage::openArchitectureFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open architecture"), QString(),
                                                      tr("Architecture (*.json)"));
    if (path.isEmpty()) return;
    try {
        showNetwork(loadNetworkSpecFile(path.toStdString()));
        m_zooView->clearSelection();
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Cannot open architecture"), QString::fromUtf8(e.what()));
    }
}

}  // namespace archscope::ui
