#pragma once

#include <QWidget>

#include "engine/events.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QDoubleSpinBox;

namespace archscope::ui {

class JobBridge;
class Session;

/// Run control: what to search (space, platform, latency source, estimator, algorithm, budget)
/// and start / pause / resume / cancel, with progress, ETA and the event log.
class RunPage : public QWidget {
    Q_OBJECT
public:
    RunPage(Session* session, JobBridge* bridge, QWidget* parent = nullptr);

    /// The search space to use (a shipped name or a file path), set by the Space page.
    void setSpace(const QString& nameOrPath);
    QString space() const { return m_space; }
    /// Starts a search with the form's settings; false (with the message logged) on bad input.
    bool startSearch();
    void setBudget(int budget);
    void setEstimator(const QString& name);
    /// Selects the runtime for predicted latency by name ("" = the profile's default); false if
    /// it does not cover the selected profile's kind.
    bool setRuntime(const QString& name);
    /// The runtime names offered for the selected profile (without the default entry).
    QStringList runtimeChoices() const;

Q_SIGNALS:
    /// A new run started: the Pareto page clears and follows it.
    void runStarted(qint64 runId, double targetMs);

private:
    void fillChoices();
    void connectSession();
    void buildLayout();
    void connectControls();
    void connectBridge();
    void log(const QString& line);
    void updateButtons();
    void fillRuntimes();

    Session* m_session;
    JobBridge* m_bridge;
    QString m_space = QStringLiteral("efficientnet-x");
    QLabel* m_spaceLabel;
    QComboBox* m_profile;
    QComboBox* m_runtime;
    QComboBox* m_latency;
    QComboBox* m_estimator;
    QComboBox* m_algorithm;
    QComboBox* m_objective;
    QSpinBox* m_budget;
    QSpinBox* m_seed;
    QDoubleSpinBox* m_target;
    QLabel* m_db;
    QPushButton* m_start;
    QPushButton* m_pause;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_eta;
    QPlainTextEdit* m_log;
};

}  // namespace archscope::ui
