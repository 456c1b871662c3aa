#pragma once

#include <QMainWindow>
#include <QStringList>

class QDockWidget;
class QListWidget;
class QStackedWidget;

namespace archscope::ui {

class BreakdownPage;
class ComparePage;
class FlopsPage;
class GraphPage;
class HistoryPage;
class JobBridge;
class LecturePanel;
struct LectureStep;
class ModelsPage;
class ParetoPage;
class RunPage;
class Session;
class SpacePage;
class TrialsPage;
class ValidationPage;
class LacsPage;

/// A thin shell: a navigation list on the left and one page at a time. It owns the session
/// (database, profile) and the job bridge, and wires the pages' signals together; pages do
/// the work.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Shows the page with this id (e.g. "models"); false if there is none.
    bool showPage(const QString& id);
    QString currentPage() const;
    QStringList pageIds() const { return m_ids; }

    Session* session() const { return m_session; }
    JobBridge* jobBridge() const { return m_bridge; }
    ModelsPage* modelsPage() const { return m_models; }
    SpacePage* spacePage() const { return m_space; }
    RunPage* runPage() const { return m_run; }
    ParetoPage* paretoPage() const { return m_pareto; }
    TrialsPage* trialsPage() const { return m_trials; }
    HistoryPage* historyPage() const { return m_history; }
    BreakdownPage* breakdownPage() const { return m_breakdown; }
    ComparePage* comparePage() const { return m_compare; }
    FlopsPage* flopsPage() const { return m_flops; }
    GraphPage* graphPage() const { return m_graph; }
    ValidationPage* validationPage() const { return m_validation; }
    LacsPage* lacsPage() const { return m_lacs; }

    /// Opens a stored run in the Pareto and Trials views (History's "Open"); a run that is
    /// still running (here or in another process) keeps growing there.
    void openRun(qint64 runId);
    /// Continues an interrupted run, following it live in the Pareto view.
    void resumeRun(qint64 runId);
    /// Lecture mode: the guided tour beside the views, fonts 1.4x for a projector.
    void setLectureMode(bool on);
    bool lectureMode() const { return m_lectureMode; }
    LecturePanel* lecturePanel() const { return m_lecture; }
    /// Every plot of the current view as SVG into `folder`; the files written, or an error.
    QStringList exportCurrentPlots(const QString& folder, QString* error);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void addPage(const QString& id, const QString& title, QWidget* page);
    void buildMenus();
    /// Loads a stored candidate off the GUI thread, then shows its breakdown or exports it.
    void openCandidate(qint64 runId, qint64 seq, bool exportIt);
    void wireAnalysisPages();
    void applyLectureStep(const LectureStep& step);

    Session* m_session;
    JobBridge* m_bridge;
    QListWidget* m_nav;
    QStackedWidget* m_stack;
    QStringList m_ids;
    ModelsPage* m_models;
    SpacePage* m_space;
    RunPage* m_run;
    ParetoPage* m_pareto;
    TrialsPage* m_trials;
    HistoryPage* m_history;
    BreakdownPage* m_breakdown;
    ComparePage* m_compare;
    FlopsPage* m_flops;
    GraphPage* m_graph;
    ValidationPage* m_validation;
    LacsPage* m_lacs;
    LecturePanel* m_lecture;
    QDockWidget* m_lectureDock;
    bool m_lectureMode = false;
};

}  // namespace archscope::ui
