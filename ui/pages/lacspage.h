#pragma once

#include <QFutureWatcher>
#include <QWidget>
#include <stop_token>

#include "search/lacsrun.h"

class QMouseEvent;
class QComboBox;
class QCPGraph;
class QCustomPlot;
class QLabel;
class QPushButton;
class QTableWidget;
class QTextBrowser;

namespace archscope::ui {

class PlatformSelector;

/// What a LACS worker hands back to the page: the report (FLOPs-rule members estimated too) or
/// why there is none.
struct LacsOutcome {
    LacsReport report;
    QString base;
    QString estimator;
    int batch = 1;
    QString error;  ///< the run could not be made; the report is empty
};

/// Latency-aware compound scaling (`archscope-cli lacs`): a base network, a platform and an
/// accuracy estimator in; the family B0..Bn against EfficientNet's FLOPs rule (latency vs
/// estimate), the (alpha, beta, gamma) grid search of B1, and each member's target, latency and
/// deviation with the run's warnings. runLacs runs on a worker (QtConcurrent) with a stop token;
/// the latest request wins. GUI thread only.
class LacsPage : public QWidget {
    Q_OBJECT
public:
    explicit LacsPage(QWidget* parent = nullptr);
    ~LacsPage() override;

    /// Selects a zoo base network; false if it is not in the zoo. Does not run.
    bool setBase(const QString& name);
    QString base() const;
    /// Selects a registered accuracy estimator; false if it is not registered. Does not run.
    bool setEstimator(const QString& name);
    QString estimator() const;
    PlatformSelector* platformSelector() const { return m_platform; }

    /// Runs LACS with the current choices off the GUI thread; an earlier run is stopped.
    void run();
    /// Runs once if the page has never run (the first time the page is opened).
    void runOnce();
    /// A run was requested and its result has not arrived yet.
    bool busy() const { return m_busy; }
    /// The report shown; empty until a run has arrived.
    const LacsReport& report() const { return m_outcome.report; }

    QCustomPlot* familyPlot() const { return m_family; }
    QCustomPlot* searchPlot() const { return m_search; }
    QCPGraph* lacsGraph() const { return m_lacsGraph; }
    QCPGraph* flopsGraph() const { return m_flopsGraph; }
    QTableWidget* membersTable() const { return m_table; }
    QString detailsText() const;
    QString statusText() const;

Q_SIGNALS:
    /// The latest requested run arrived and the page shows it.
    void computed();

private:
    void buildWidgets();
    void connectSignals();
    void showGridPointAt(QMouseEvent* event);
    void showOutcome();
    void updateFamilyPlot();
    void updateSearchPlot();
    void updateTable();
    void updateDetails();

    QFutureWatcher<LacsOutcome> m_watcher;
    quint64 m_token = 0;
    std::stop_source m_stop;
    bool m_busy = false;
    bool m_started = false;
    LacsOutcome m_outcome;

    QComboBox* m_base;
    PlatformSelector* m_platform;
    QComboBox* m_estimator;
    QPushButton* m_run;
    QLabel* m_status;
    QCustomPlot* m_family;
    QCustomPlot* m_search;
    QTableWidget* m_table;
    QTextBrowser* m_details;
    QCPGraph* m_lacsGraph = nullptr;
    QCPGraph* m_flopsGraph = nullptr;
};

}  // namespace archscope::ui
