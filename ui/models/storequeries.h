#pragma once

#include <QHash>
#include <QString>
#include <optional>
#include <vector>

#include "hw/profile.h"

namespace archscope::ui {

// Store queries for the views. Each function opens its own StoreReader, so each call may run on
// any thread (the views call them through QtConcurrent, never on the GUI thread). They never
// throw: failures come back in `error`.

/// Measured per-layer (or per-scope) times of one network on one platform: the latest stored
/// evaluation of that architecture on that platform whose layers carry measured times.
struct MeasuredLayers {
    QHash<QString, double> ms;  ///< by IR layer name or scope ("block3"), milliseconds
    QString source;             ///< "run 4, evaluation 17 (2024-05-01T…)"
    QString error;
};
MeasuredLayers findMeasuredLayers(const QString& dbPath, const QString& archHash,
                                  const QString& platform);

struct RunEntry {
    qint64 id = 0;
    QString label;  ///< "run 3 · search · finished · 200 evaluations"
};
struct RunList {
    std::vector<RunEntry> runs;  ///< newest first
    QString error;
};
RunList loadRunList(const QString& dbPath);

/// One network as a point of the FLOPs-vs-latency plot.
struct NetworkPoint {
    QString name;
    double macsPerImage = 0.0;
    double predictedSeconds = 0.0;          ///< on the chosen platform, dtype and batch
    std::optional<double> measuredSeconds;  ///< stored median on the chosen platform
    bool fromStore = false;
};
struct RunPoints {
    qint64 runId = 0;
    std::vector<NetworkPoint> points;
    int architectures = 0;  ///< distinct architectures in the run (may exceed points.size())
    QString error;
};
/// The distinct architectures of a run, predicted on `profile` (at most `limit` of them) with
/// their stored measurements on that platform.
RunPoints loadRunPoints(const QString& dbPath, qint64 runId, const Profile& profile, int batch,
                        Dtype dtype, int limit);

}  // namespace archscope::ui
