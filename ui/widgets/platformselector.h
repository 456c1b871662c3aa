#pragma once

#include <QWidget>

#include "hw/profile.h"

class QComboBox;
class QSpinBox;

namespace archscope::ui {

/// Platform profile, precision and batch size for a prediction: one row of combos shared by the
/// breakdown, compare and FLOPs views. Loads profiles lazily and caches the current one.
/// GUI thread only.
class PlatformSelector : public QWidget {
    Q_OBJECT
public:
    explicit PlatformSelector(QWidget* parent = nullptr, int defaultBatch = kDefaultBatch);

    /// Large batches are the throughput regime the EfficientNet-X paper compares TPUs in; an
    /// assumption for a default, change it in the spin box.
    static constexpr int kDefaultBatch = 128;

    /// Selects a profile by short name; false if it is not listed.
    bool setProfileName(const QString& name);
    QString profileName() const;
    const Profile& profile() const { return m_profile; }
    Dtype dtype() const;
    int batch() const;
    void setBatch(int batch);

Q_SIGNALS:
    /// Profile, dtype or batch changed (after the new profile is loaded).
    void changed();

private:
    void loadCurrentProfile();
    void fillDtypes();

    QComboBox* m_profileBox;
    QComboBox* m_dtypeBox;
    QSpinBox* m_batchBox;
    Profile m_profile;
};

}  // namespace archscope::ui
