#include "lecturepanel.h"

#include <QHBoxLayout>
#include <QListWidget>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace archscope::ui {

const std::vector<LectureStep>& LecturePanel::steps() {
    static const std::vector<LectureStep> all = {
        {tr("1. FLOPs are not latency"), QStringLiteral("flops"), QStringLiteral("efficientnet-b0"),
         QStringLiteral("tpuv3"),
         tr("Every zoo network as multiply-adds against predicted latency on TPUv3. "
            "EfficientNet-X has <b>more</b> MACs than EfficientNet at each level and is "
            "<b>faster</b>: a FLOPs count does not order networks by speed. The roofline on the "
            "right places each fused op between the memory slope and the matrix and vector "
            "ceilings. Batch 1: the latency of one image."),
         1},
        {tr("2. Why, per layer"), QStringLiteral("breakdown"), QStringLiteral("efficientnet-b0"),
         QStringLiteral("tpuv3"),
         tr("EfficientNet-B0 op by op: the depthwise convolutions are few MACs but run on the "
            "vector unit and wait on memory; the 1×1 convolutions fill the matrix unit. Select a "
            "row: the pane below explains its time."),
         1},
        {tr("3. Two networks block by block"), QStringLiteral("graph"), QString(),
         QStringLiteral("tpuv3"),
         tr("B0 and X-TPU-B0 drawn as chains of blocks, coloured by the unit that bounds each. "
            "X's fused early stages turn vector- and memory-bound blocks into matrix-bound "
            "ones."),
         1},
        {tr("4. What the search space changes"), QStringLiteral("space"), QString(), QString(),
         tr("The choices a search makes per stage: block kind (MBConv or fused), kernel, "
            "expansion, squeeze-excitation, activation, depth, width, space-to-depth. Each row "
            "is a stage of the base network; edit a cell to change what is searched.")},
        {tr("5. Search"), QStringLiteral("trials"), QString(), QString(),
         tr("Start a search on the Run page (or open a stored one from History): every "
            "candidate arrives here live, the front grows from dark to light, and the bars show "
            "which choices explain latency and which explain accuracy.")},
        {tr("6. Scaling up: LACS"), QStringLiteral("lacs"), QString(), QString(),
         tr("Latency-aware compound scaling grows B0 into a family whose members hit latency "
            "targets, and compares it with EfficientNet's FLOPs rule at the same latencies.")},
        {tr("7. Other platforms"), QStringLiteral("compare"), QString(), QStringLiteral("a100"),
         tr("The same pair on a GPU, at batch 128: the throughput a GPU is bought for. The "
            "defaults switch to EfficientNet-X-GPU-B0 and the GPU generations. What was fast on "
            "a TPU is not automatically fast here. Set the batch to 1: launches and memory "
            "dominate, and X-GPU-B0 is no faster than B0."),
         128},
    };
    return all;
}

LecturePanel::LecturePanel(QWidget* parent)
    : QWidget(parent),
      m_list(new QListWidget),
      m_text(new QTextBrowser),
      m_back(new QPushButton(tr("◀ Back"))),
      m_next(new QPushButton(tr("Next ▶"))) {
    for (const LectureStep& s : steps()) m_list->addItem(s.title);
    m_list->setWordWrap(true);
    m_list->setMaximumHeight(m_list->sizeHintForRow(0) * int(steps().size() + 2));
    // The panel replaces the navigation list (same width); its text is for the room: larger.
    setFixedWidth(190);
    QFont large = m_text->font();
    large.setPointSizeF(large.pointSizeF() * 1.25);
    m_text->setFont(large);
    auto* exportPlots = new QPushButton(tr("Export plots (SVG)…"));
    exportPlots->setToolTip(tr("Every plot of the current view as SVG files, for slides"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_list);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);
    layout->addWidget(exportPlots);
    connect(m_list, &QListWidget::currentRowChanged, this, &LecturePanel::goTo);
    connect(m_back, &QPushButton::clicked, this, [this] { goTo(m_current - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { goTo(m_current + 1); });
    connect(exportPlots, &QPushButton::clicked, this, &LecturePanel::exportPlotsRequested);
}

void LecturePanel::goTo(int step) {
    if (step < 0 || step >= int(steps().size()) || step == m_current) return;
    m_current = step;
    {
        const QSignalBlocker blocker(m_list);
        m_list->setCurrentRow(step);
    }
    m_text->setHtml(QStringLiteral("<h3>%1</h3><p>%2</p>")
                        .arg(steps()[size_t(step)].title, steps()[size_t(step)].text));
    m_back->setEnabled(step > 0);
    m_next->setEnabled(step + 1 < int(steps().size()));
    Q_EMIT stepRequested(steps()[size_t(step)]);
}

}  // namespace archscope::ui
