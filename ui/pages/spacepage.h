#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;

namespace archscope::ui {

class SpaceTableModel;

/// The search space: its stages and their choices (editable), its size, load and save JSON,
/// and "use for the next search".
class SpacePage : public QWidget {
    Q_OBJECT
public:
    explicit SpacePage(QWidget* parent = nullptr);

    SpaceTableModel* model() const { return m_model; }
    /// Loads a shipped space or a file; false with the reason shown on the page.
    bool loadSpace(const QString& nameOrPath);
    bool saveSpace(const QString& path);
    QString message() const;

Q_SIGNALS:
    /// The space the next search should use (a shipped name, or the file it was saved to).
    void useForSearch(const QString& nameOrPath);

private:
    void updateSummary();

    SpaceTableModel* m_model;
    QTableView* m_view;
    QComboBox* m_shipped;
    QLabel* m_title;
    QLabel* m_summary;
    QLabel* m_message;
    QString m_origin;  ///< where the space came from; "" once edited and not saved
};

}  // namespace archscope::ui
