#pragma once

#include <QWidget>

#include "arch/network.h"
#include "hw/profile.h"

class QComboBox;
class QSpinBox;

namespace archscope::ui {

/// Platform profile, runtime, precision and batch size for a prediction: one row of combos
/// shared by the breakdown, compare and FLOPs views. The runtime combo offers "default (<name>)"
/// and the shipped runtimes that cover the profile's kind; choosing another profile resets it to
/// the default. Loads the current profile under its runtime (loadPlatform) and caches it.
/// GUI thread only.
class PlatformSelector : public QWidget {
    Q_OBJECT
public:
    explicit PlatformSelector(QWidget* parent = nullptr, int defaultBatch = kDefaultBatch);

    /// The views' largest batch (the CLI takes up to kMaxBatch): four digits keep the platform
    /// row narrow enough for 1280x800 in lecture mode, and larger batches only scale the times.
    static constexpr int kMaxViewBatch = 4096;

    /// Selects a profile by short name; false if it is not listed.
    bool setProfileName(const QString& name);
    QString profileName() const;
    /// Selects a runtime by name ("" = the profile's default); false if it does not cover the
    /// profile's kind.
    bool setRuntimeName(const QString& name);
    /// The runtime chosen in the combo; empty for the profile's default.
    QString runtimeName() const;
    /// The runtime names offered for the current profile (without the default entry).
    QStringList runtimeChoices() const;
    /// The current profile under the chosen runtime.
    const Profile& profile() const { return m_profile; }
    /// predictionMethod() of profile(): how every figure of the views is predicted.
    QString method() const;
    Dtype dtype() const;
    int batch() const;
    void setBatch(int batch);

Q_SIGNALS:
    /// Profile, runtime, dtype or batch changed (after the new profile is loaded).
    void changed();

private:
    void loadCurrentProfile();
    void fillRuntimes();
    void fillDtypes();

    QComboBox* m_profileBox;
    QComboBox* m_runtimeBox;
    QComboBox* m_dtypeBox;
    QSpinBox* m_batchBox;
    Profile m_profile;
};

}  // namespace archscope::ui
