#include "storequeries.h"

#include <QObject>
#include <algorithm>
#include <map>

#include "arch/expand.h"
#include "hw/model.h"
#include "store/store.h"

namespace archscope::ui {
namespace {

std::filesystem::path pathOf(const QString& p) {
    return std::filesystem::path(p.toStdString());
}

}  // namespace

MeasuredLayers findMeasuredLayers(const QString& dbPath, const QString& archHash,
                                  const QString& platform) {
    MeasuredLayers out;
    try {
        store::StoreReader reader(pathOf(dbPath));
        const std::string hash = archHash.toStdString(), hw = platform.toStdString();
        std::string newest;  // ISO 8601 UTC strings order by time
        for (const store::RunRecord& run : reader.listRuns()) {
            const auto evaluations = reader.evaluations(run.id);
            for (auto it = evaluations.rbegin(); it != evaluations.rend(); ++it) {
                if (it->archHash != hash || it->platform.value_or("") != hw) continue;
                if (!newest.empty() && it->createdAt <= newest) break;
                QHash<QString, double> ms;
                for (const store::LayerCost& l : reader.layerCosts(it->id)) {
                    if (l.measuredMs) ms.insert(QString::fromStdString(l.name), *l.measuredMs);
                }
                if (ms.isEmpty()) continue;
                newest = it->createdAt;
                out.ms = std::move(ms);
                out.source = QObject::tr("run %1, evaluation %2 (%3)")
                                 .arg(run.id)
                                 .arg(it->id)
                                 .arg(QString::fromStdString(it->createdAt));
                break;
            }
        }
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

RunList loadRunList(const QString& dbPath) {
    RunList out;
    try {
        store::StoreReader reader(pathOf(dbPath));
        auto runs = reader.listRuns();
        std::sort(runs.begin(), runs.end(),
                  [](const auto& a, const auto& b) { return a.id > b.id; });
        for (const store::RunRecord& r : runs) {
            out.runs.push_back(
                {r.id, QObject::tr("run %1 · %2 · %3 · %4 evaluations")
                           .arg(r.id)
                           .arg(QString::fromStdString(r.kind), QString::fromStdString(r.status))
                           .arg(r.evaluations)});
        }
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

RunPoints loadRunPoints(const QString& dbPath, qint64 runId, const Profile& profile, int batch,
                        Dtype dtype, int limit) {
    RunPoints out;
    out.runId = runId;
    try {
        store::StoreReader reader(pathOf(dbPath));
        // The measured median on this platform, per architecture (latest evaluation wins).
        std::map<int64_t, double> measured;
        for (const store::Evaluation& e : reader.evaluations(runId)) {
            if (e.measured && e.platform.value_or("") == profile.name && e.batch == batch) {
                measured[e.architectureId] = e.measured->medianMs * 1e-3;
            }
        }
        const auto architectures = reader.architecturesOfRun(runId);
        out.architectures = int(architectures.size());
        for (const store::ArchitectureRecord& a : architectures) {
            if (int(out.points.size()) >= limit) break;
            const NetworkSpec spec = reader.architectureSpec(a.id);
            const auto layers = expandLayers(buildNetwork(spec), batch);
            NetworkPoint p;
            p.name = QString::fromStdString(a.name);
            p.macsPerImage = double(totalCost(layers).macs) / batch;
            p.predictedSeconds = predictNetwork(profile, layers, dtype).latencySeconds;
            if (const auto it = measured.find(a.id); it != measured.end())
                p.measuredSeconds = it->second;
            p.fromStore = true;
            out.points.push_back(std::move(p));
        }
    } catch (const std::exception& e) {
        out.error = QString::fromUtf8(e.what());
    }
    return out;
}

}  // namespace archscope::ui
