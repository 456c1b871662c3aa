#pragma once

#include <QString>

#include "arch/network.h"

class QWidget;

namespace archscope::ui {

/// Asks where to save `spec` and writes it as an architecture JSON, TF block strings or a
/// self-contained PyTorch module (by the chosen filter). Errors go to a message box.
void exportArchitectureInteractive(QWidget* parent, const NetworkSpec& spec);

/// Writes `spec` to `path` in the format its suffix names (.json, .txt = block strings,
/// .py = PyTorch); false with the reason.
bool exportArchitecture(const NetworkSpec& spec, const QString& path, QString* error);

/// Result of importing a measurement file (measure --json output, PyTorch Chrome trace or XProf
/// trace) into a result store: the run it became and what matched, or the error.
struct ImportOutcome {
    qint64 runId = 0;
    QString summary;
    QString error;
};

/// Parses and stores the file; runs on a worker thread (it reads files and writes the store).
/// A file that does not parse leaves the database unchanged.
ImportOutcome importMeasurements(const QString& file, const QString& dbPath,
                                 const QString& platform);

}  // namespace archscope::ui
