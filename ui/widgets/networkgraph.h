#pragma once

#include <QString>
#include <QWidget>
#include <vector>

#include "hw/blocksummary.h"
#include "hw/profile.h"

class QPainter;

namespace archscope::ui {

/// A network drawn as a vertical chain of blocks (stem, blocks, head), each box labelled with
/// its op kinds and output shape, its width proportional to its predicted time, coloured by the
/// unit that bounds it on the profile (UnitColors; the profile's words in the legend). Hovering
/// a box shows its numbers. Paints into any QPainter, so it exports to SVG/PDF/PNG as drawn.
/// GUI thread only.
class NetworkGraph : public QWidget {
    Q_OBJECT
public:
    explicit NetworkGraph(QWidget* parent = nullptr);

    /// `maxSeconds`: the time a full-width box stands for (shared by graphs shown side by side).
    void setNetwork(const QString& title, std::vector<BlockSummary> blocks, const Profile& profile,
                    double latencySeconds, double maxSeconds);
    const std::vector<BlockSummary>& blocks() const { return m_blocks; }
    /// The block under a point in widget coordinates, -1 if none.
    int blockAt(const QPoint& pos) const;
    /// The tooltip text of a block (what hover shows).
    QString blockText(int index) const;
    /// Paints the whole chain at the widget's size.
    void render(QPainter& painter) const;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRectF boxOf(int index) const;

    QString m_title;
    std::vector<BlockSummary> m_blocks;
    Profile m_profile;
    double m_latency = 0.0;
    double m_maxSeconds = 0.0;
};

}  // namespace archscope::ui
