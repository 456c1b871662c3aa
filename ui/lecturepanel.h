#pragma once

#include <QString>
#include <QWidget>
#include <vector>

class QLabel;
class QListWidget;
class QPushButton;
class QTextBrowser;

namespace archscope::ui {

/// One stop of the guided tour: the view it opens, what it sets there, what to say about it.
struct LectureStep {
    QString title;
    QString page;     ///< view id (MainWindow::showPage)
    QString model;    ///< zoo model to select, if any
    QString profile;  ///< platform to switch to, if any
    QString text;     ///< what to look at, for the lecturer and the audience (HTML)
    int batch = 0;    ///< batch the views switch to; 0 = leave it as it is
};

/// The tour of a lecture: FLOPs vs latency -> why per layer -> what the search space changes ->
/// search -> LACS -> other platforms. A side panel with the steps, Back / Next, and "Export this
/// view's plots" (SVG, for slides). It only asks for steps; MainWindow drives the views.
/// GUI thread only.
class LecturePanel : public QWidget {
    Q_OBJECT
public:
    explicit LecturePanel(QWidget* parent = nullptr);

    static const std::vector<LectureStep>& steps();
    int current() const { return m_current; }
    void goTo(int step);

Q_SIGNALS:
    void stepRequested(const archscope::ui::LectureStep& step);
    /// The user wants every plot of the current view as files in a folder.
    void exportPlotsRequested();

private:
    QListWidget* m_list;
    QTextBrowser* m_text;
    QPushButton* m_back;
    QPushButton* m_next;
    int m_current = -1;
};

}  // namespace archscope::ui
