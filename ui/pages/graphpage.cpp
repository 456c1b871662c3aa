#include "graphpage.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QPdfWriter>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSvgGenerator>
#include <QVBoxLayout>

#include "arch/expand.h"
#include "hw/blocksummary.h"
#include "widgets/networkgraph.h"
#include "widgets/platformdefaults.h"
#include "widgets/platformselector.h"
#include "zoo/zoo.h"

namespace archscope::ui {

GraphPage::GraphPage(QWidget* parent)
    : QWidget(parent),
      m_platform(new PlatformSelector),
      m_leftBox(new QComboBox),
      m_rightBox(new QComboBox),
      m_note(new QLabel),
      m_canvas(new QWidget),
      m_left(new NetworkGraph),
      m_right(new NetworkGraph) {
    buildWidgets();
    connectWidgets();
    m_leftBox->setCurrentText(QStringLiteral("efficientnet-b0"));
    followPlatformDefault();
    redraw();
}

void GraphPage::buildWidgets() {
    for (QComboBox* box : {m_leftBox, m_rightBox}) {
        for (const std::string& name : zooModelNames()) box->addItem(QString::fromStdString(name));
        box->setMaxVisibleItems(20);
    }
    auto* exportButton = new QPushButton(tr("Export…"));
    exportButton->setToolTip(tr("Both graphs as SVG, PDF or PNG (for slides)"));
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export the graphs"),
            QStringLiteral("%1-vs-%2.svg").arg(m_leftBox->currentText(), m_rightBox->currentText()),
            tr("SVG (*.svg);;PDF (*.pdf);;PNG (*.png)"));
        QString error;
        if (!path.isEmpty() && !exportTo(path, &error))
            QMessageBox::warning(this, tr("Export failed"), error);
    });
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Left:")));
    controls->addWidget(m_leftBox);
    controls->addWidget(new QLabel(tr("Right:")));
    controls->addWidget(m_rightBox);
    controls->addWidget(m_platform);
    controls->addWidget(exportButton);
    controls->addStretch();
    m_note->setWordWrap(true);

    auto* pair = new QHBoxLayout(m_canvas);
    pair->addWidget(m_left, 1);
    pair->addWidget(m_right, 1);
    m_canvas->setBackgroundRole(QPalette::Base);
    m_canvas->setAutoFillBackground(true);
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_canvas);
    scroll->setWidgetResizable(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_note);
    layout->addWidget(scroll, 1);
}

void GraphPage::connectWidgets() {
    connect(m_platform, &PlatformSelector::changed, this, [this] {
        followPlatformDefault();
        redraw();
    });
    connect(m_leftBox, &QComboBox::currentTextChanged, this, [this] { redraw(); });
    connect(m_rightBox, &QComboBox::activated, this, [this] { m_rightChosen = true; });
    connect(m_rightBox, &QComboBox::currentTextChanged, this, [this] { redraw(); });
}

void GraphPage::followPlatformDefault() {
    if (m_rightChosen) return;
    const QSignalBlocker blocker(m_rightBox);
    m_rightBox->setCurrentText(platformXMember(m_platform->profile()));
}

bool GraphPage::setNetworks(const QString& left, const QString& right) {
    if (m_leftBox->findText(left) < 0 || m_rightBox->findText(right) < 0) return false;
    m_rightChosen = true;
    const QSignalBlocker a(m_leftBox), b(m_rightBox);
    m_leftBox->setCurrentText(left);
    m_rightBox->setCurrentText(right);
    redraw();
    return true;
}

bool GraphPage::setPlatform(const QString& profileName) {
    return m_platform->setProfileName(profileName);
}

QString GraphPage::rightName() const {
    return m_rightBox->currentText();
}

void GraphPage::redraw() {
    const Profile& profile = m_platform->profile();
    const int batch = m_platform->batch();
    const Dtype dtype = m_platform->dtype();
    struct Drawn {
        QString name;
        std::vector<BlockSummary> blocks;
        double latency = 0.0;
    };
    std::vector<Drawn> drawn;
    try {
        for (const QString& name : {m_leftBox->currentText(), m_rightBox->currentText()}) {
            const auto layers = expandLayers(buildNetwork(*zooSpec(name.toStdString())), batch);
            const auto groups = predictGroups(profile, layers, dtype);
            drawn.push_back(
                {name, summarizeBlocks(layers, groups),
                 summarize(groups, batch, profile.runtime.perStepSeconds).latencySeconds});
        }
    } catch (const std::exception& e) {
        m_note->setText(tr("Cannot predict on %1: %2")
                            .arg(m_platform->profileName(), QString::fromUtf8(e.what())));
        return;
    }
    // One time scale for both: equal widths mean equal times.
    double longest = 0.0;
    for (const Drawn& d : drawn)
        for (const BlockSummary& b : d.blocks) longest = std::max(longest, b.seconds);
    m_left->setNetwork(drawn[0].name, drawn[0].blocks, profile, drawn[0].latency, longest);
    m_right->setNetwork(drawn[1].name, drawn[1].blocks, profile, drawn[1].latency, longest);
    m_note->setText(tr("Each box is a block; its width is its predicted time per batch of %1 on "
                       "%2 (%3), its colour the unit bounding most of that time. Hover a block "
                       "for its numbers.")
                        .arg(batch)
                        .arg(m_platform->profileName(), m_platform->method()));
}

bool GraphPage::exportTo(const QString& path, QString* error) const {
    const QSize size = m_canvas->size();
    const auto paintBoth = [this](QPainter& painter) {
        for (const NetworkGraph* g : {m_left, m_right}) {
            painter.save();
            painter.translate(g->pos());
            g->render(painter);
            painter.restore();
        }
    };
    const QString lower = path.toLower();
    bool ok = false;
    if (lower.endsWith(QStringLiteral(".svg"))) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(QStringLiteral("%1 vs %2").arg(m_leftBox->currentText(), rightName()));
        QPainter painter;
        ok = painter.begin(&svg);
        if (ok) paintBoth(painter), painter.end();
    } else if (lower.endsWith(QStringLiteral(".pdf"))) {
        QPdfWriter pdf(path);
        pdf.setPageSize(QPageSize(QSizeF(size) * 0.75, QPageSize::Point));  // 96 dpi -> points
        pdf.setPageMargins({});
        pdf.setResolution(96);
        QPainter painter;
        ok = painter.begin(&pdf);
        if (ok) paintBoth(painter), painter.end();
    } else if (lower.endsWith(QStringLiteral(".png"))) {
        QImage image(size * 2, QImage::Format_ARGB32);
        image.setDevicePixelRatio(2.0);
        image.fill(Qt::white);
        QPainter painter(&image);
        paintBoth(painter);
        painter.end();
        ok = image.save(path, "PNG");
    } else {
        if (error) *error = tr("unknown format for %1: use .svg, .pdf or .png").arg(path);
        return false;
    }
    if (!ok && error) *error = tr("cannot write %1").arg(path);
    return ok;
}

}  // namespace archscope::ui
