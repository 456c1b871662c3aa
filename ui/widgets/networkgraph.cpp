#include "networkgraph.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

#include "arch/expand.h"
#include "plots/plotstyle.h"

namespace archscope::ui {
namespace {

constexpr int kTitleHeight = 44;
constexpr int kRowHeight = 30;
constexpr int kBoxGap = 6;
constexpr int kLeft = 70;        // the block labels sit left of the chain
constexpr int kMinBoxWidth = 8;  // a block too fast to see still gets a box
constexpr int kMaxBoxWidth = 220;

QString shapeText(const Shape& s) {
    return QStringLiteral("%1×%2×%3").arg(s.h).arg(s.w).arg(s.c);
}

QString milliseconds(double seconds) {
    return QStringLiteral("%1 ms").arg(seconds * 1e3, 0, 'g', 3);
}

}  // namespace

NetworkGraph::NetworkGraph(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void NetworkGraph::setNetwork(const QString& title, std::vector<BlockSummary> blocks,
                              const Profile& profile, double latencySeconds, double maxSeconds) {
    m_title = title;
    m_blocks = std::move(blocks);
    m_profile = profile;
    m_latency = latencySeconds;
    m_maxSeconds = maxSeconds;
    setMinimumHeight(sizeHint().height());
    updateGeometry();
    update();
}

QSize NetworkGraph::sizeHint() const {
    return {kLeft + kMaxBoxWidth + 260, kTitleHeight + int(m_blocks.size()) * kRowHeight + 60};
}

QRectF NetworkGraph::boxOf(int index) const {
    const BlockSummary& b = m_blocks[size_t(index)];
    const double share = m_maxSeconds > 0 ? b.seconds / m_maxSeconds : 0.0;
    const double width = kMinBoxWidth + (kMaxBoxWidth - kMinBoxWidth) * std::min(1.0, share);
    return {double(kLeft), double(kTitleHeight + index * kRowHeight), width,
            double(kRowHeight - kBoxGap)};
}

int NetworkGraph::blockAt(const QPoint& pos) const {
    for (int i = 0; i < int(m_blocks.size()); ++i) {
        QRectF row = boxOf(i);
        row.setRight(width());  // the row's text counts too
        if (row.contains(pos)) return i;
    }
    return -1;
}

QString NetworkGraph::blockText(int index) const {
    if (index < 0 || index >= int(m_blocks.size())) return {};
    const BlockSummary& b = m_blocks[size_t(index)];
    QString text = tr("<b>%1</b>%2<br>%3<br>%4 → %5<br>%6 MMACs, %7 k params<br>"
                      "predicted %8 (%9% of the network), bound by %10")
                       .arg(QString::fromStdString(b.label))
                       .arg(b.stage >= 0 ? tr(" (stage %1)").arg(b.stage) : QString())
                       .arg(QString::fromStdString(b.ops))
                       .arg(shapeText(b.in), shapeText(b.out))
                       .arg(double(b.macs) / 1e6, 0, 'f', 1)
                       .arg(double(b.params) / 1e3, 0, 'f', 1)
                       .arg(milliseconds(b.seconds))
                       .arg(m_latency > 0 ? 100.0 * b.seconds / m_latency : 0.0, 0, 'f', 1)
                       .arg(QString::fromStdString(unitName(m_profile, b.bound)));
    for (int k = 0; k < kBoundCount; ++k) {
        if (b.secondsByBound[size_t(k)] <= 0) continue;
        text += tr("<br>&nbsp;&nbsp;%1-bound ops: %2")
                    .arg(QString::fromStdString(unitName(m_profile, Bound(k))))
                    .arg(milliseconds(b.secondsByBound[size_t(k)]));
    }
    return text;
}

void NetworkGraph::render(QPainter& painter) const {
    painter.setRenderHint(QPainter::Antialiasing);
    QFont titleFont = font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(font().pointSizeF() * 1.15);
    painter.setFont(titleFont);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRect(0, 0, width(), kTitleHeight - 8), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("%1 — %2 predicted").arg(m_title, milliseconds(m_latency)));
    painter.setFont(font());
    const QFontMetrics metrics(font());
    for (int i = 0; i < int(m_blocks.size()); ++i) {
        const BlockSummary& b = m_blocks[size_t(i)];
        const QRectF box = boxOf(i);
        if (i + 1 < int(m_blocks.size())) {  // the chain: one line down to the next block
            painter.setPen(QPen(Qt::gray, 1.5));
            painter.drawLine(QPointF(kLeft + 4, box.bottom()),
                             QPointF(kLeft + 4, box.bottom() + kBoxGap));
        }
        QColor fill = unitColor(b.bound);
        painter.setPen(QPen(fill.darker(130), 1));
        painter.setBrush(fill.lighter(115));
        painter.drawRoundedRect(box, 4, 4);
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(QRectF(0, box.top(), kLeft - 6, box.height()),
                         Qt::AlignRight | Qt::AlignVCenter, QString::fromStdString(b.label));
        const QString text =
            QStringLiteral("%1 · %2 · %3")
                .arg(QString::fromStdString(b.ops), shapeText(b.out), milliseconds(b.seconds));
        const QRectF textBox(box.right() + 6, box.top(), width() - box.right() - 8, box.height());
        painter.drawText(textBox, Qt::AlignLeft | Qt::AlignVCenter,
                         metrics.elidedText(text, Qt::ElideRight, int(textBox.width())));
    }
    // Legend: the platform's own names for its units.
    double x = kLeft;
    const double y = kTitleHeight + m_blocks.size() * kRowHeight + 10;
    for (int k = 0; k < kBoundCount; ++k) {
        const QString name =
            tr("%1-bound").arg(QString::fromStdString(unitName(m_profile, Bound(k))));
        painter.setPen(Qt::NoPen);
        painter.setBrush(unitColor(Bound(k)).lighter(115));
        painter.drawRoundedRect(QRectF(x, y + 3, 14, 14), 3, 3);
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(QPointF(x + 18, y + 15), name);
        x += 26 + metrics.horizontalAdvance(name);
    }
}

void NetworkGraph::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    render(painter);
}

bool NetworkGraph::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int index = blockAt(help->pos());
        if (index < 0)
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), blockText(index), this);
        return true;
    }
    return QWidget::event(event);
}

}  // namespace archscope::ui
