#pragma once

#include <QWidget>

class QComboBox;
class QLabel;

namespace archscope::ui {

class NetworkGraph;
class PlatformSelector;

/// Two networks drawn block by block side by side (NetworkGraph), coloured by the unit that
/// bounds each block on the chosen platform: by default EfficientNet-B0 against the EfficientNet-X
/// B0 searched for that kind of platform (X-TPU on a TPU, X-GPU elsewhere) until the user picks
/// another. Hover a block for its numbers; export both as SVG, PDF or PNG. Predictions take well
/// under a millisecond per network and run on the GUI thread. GUI thread only.
class GraphPage : public QWidget {
    Q_OBJECT
public:
    explicit GraphPage(QWidget* parent = nullptr);

    bool setNetworks(const QString& left, const QString& right);
    bool setPlatform(const QString& profileName);
    PlatformSelector* platformSelector() const { return m_platform; }
    NetworkGraph* leftGraph() const { return m_left; }
    NetworkGraph* rightGraph() const { return m_right; }
    QString rightName() const;
    /// Both graphs into one file by suffix (.svg, .pdf, .png); false with a reason.
    bool exportTo(const QString& path, QString* error) const;

private:
    void buildWidgets();
    void connectWidgets();
    void redraw();
    void followPlatformDefault();

    PlatformSelector* m_platform;
    QComboBox* m_leftBox;
    QComboBox* m_rightBox;
    QLabel* m_note;
    QWidget* m_canvas;  ///< both graphs: what an export draws
    NetworkGraph* m_left;
    NetworkGraph* m_right;
    bool m_rightChosen = false;  ///< the user picked the right network: stop following defaults
};

}  // namespace archscope::ui
