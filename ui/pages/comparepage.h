#pragma once

#include <QWidget>
#include <map>
#include <string>
#include <vector>

#include "arch/layer.h"
#include "hw/profile.h"
#include "models/networksummary.h"

class QHBoxLayout;
class QCheckBox;
class QComboBox;
class QCustomPlot;
class QCPItemText;
class QLabel;
class QTableView;
class QTextBrowser;

namespace archscope::ui {

class CompareTableModel;
class PlatformSelector;

/// Two networks side by side on one platform (figures, time by bound, per-stage time, why one is
/// faster) and the family view: latency vs MACs for B0..B7 of each family, and the speed-up of
/// each family across a series of platforms. Predictions are fast (~50 us a network) and run on
/// the GUI thread. GUI thread only.
class ComparePage : public QWidget {
    Q_OBJECT
public:
    explicit ComparePage(QWidget* parent = nullptr);

    /// Sets the two zoo networks; false if either is unknown.
    bool setNetworks(const QString& a, const QString& b);
    bool setPlatform(const QString& profileName);
    /// The platform, runtime, dtype and batch row (tests and the window set it through here).
    PlatformSelector* platformSelector() const { return m_platform; }
    void setLogAxes(bool on);
    /// Picks the platform series of the speed-up plot by index (0: TPUs, 1: GPUs).
    void setSeries(int index);

    CompareTableModel* tableModel() const { return m_model; }
    QString whyText() const;
    QCustomPlot* stagePlot() const { return m_stagePlot; }
    QCustomPlot* familyPlot() const { return m_familyPlot; }
    QCustomPlot* speedupPlot() const { return m_speedupPlot; }
    /// Geometric-mean speed-up of a family on each platform of the series vs its first one.
    std::vector<double> familySpeedups(const std::string& family);
    std::vector<std::string> seriesProfiles() const;

private:
    void buildWidgets();
    QHBoxLayout* buildPairControls();
    void connectSignals();
    /// B and the speed-up series follow the platform until the user picks them.
    void followPlatformDefaults();
    /// Lifts the family plot's B0/B7 labels apart where they would overlap.
    void separateLevelLabels();
    void updatePair();
    void updateFamilies();
    void updateStagePlot(const NetworkSummary& a, const NetworkSummary& b);
    void updateSpeedupPlot();
    double latencyOf(const std::string& name, const Profile& profile, Dtype dtype);
    const std::vector<Layer>& layersOf(const std::string& name);
    const Profile& profileNamed(const std::string& name);

    QComboBox* m_a;
    QComboBox* m_b;
    PlatformSelector* m_platform;
    QCheckBox* m_log;
    QComboBox* m_series;
    CompareTableModel* m_model;
    QTableView* m_table;
    QTextBrowser* m_why;
    QCustomPlot* m_stagePlot;
    QCustomPlot* m_familyPlot;
    QCustomPlot* m_speedupPlot;
    // Expanded layers by network name at m_cacheBatch; profiles by name.
    std::map<std::string, std::vector<Layer>> m_layerCache;
    int m_cacheBatch = 0;
    std::map<std::string, Profile> m_profiles;
    std::vector<QCPItemText*> m_levelLabels;  ///< owned by the family plot
    bool m_bChosen = false;
    bool m_seriesChosen = false;
};

}  // namespace archscope::ui
