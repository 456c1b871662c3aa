#include "fileactions.h"

#include <QFileDialog>
#include <QMessageBox>
#include <fstream>

#include "arch/export.h"
#include "arch/json.h"
#include "store/import.h"
#include "store/store.h"

namespace archscope::ui {

bool exportArchitecture(const NetworkSpec& spec, const QString& path, QString* error) {
    try {
        std::string text;
        if (path.endsWith(QStringLiteral(".py"), Qt::CaseInsensitive)) {
            text = networkToPyTorch(spec);
        } else if (path.endsWith(QStringLiteral(".txt"), Qt::CaseInsensitive)) {
            text = networkToBlockText(spec);
        } else {
            text = networkSpecToJson(spec).dump(2) + "\n";
        }
        std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) throw std::runtime_error("cannot write " + path.toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return false;
    }
}

void exportArchitectureInteractive(QWidget* parent, const NetworkSpec& spec) {
    QString filter;
    const QString path = QFileDialog::getSaveFileName(
        parent, QObject::tr("Export %1").arg(QString::fromStdString(spec.name)),
        QString::fromStdString(spec.name) + QStringLiteral(".json"),
        QObject::tr("Architecture JSON (*.json);;TF block strings (*.txt);;PyTorch module (*.py)"),
        &filter);
    if (path.isEmpty()) return;
    QString error;
    if (!exportArchitecture(spec, path, &error)) {
        QMessageBox::warning(parent, QObject::tr("Export failed"), error);
    }
}

ImportOutcome importMeasurements(const QString& file, const QString& dbPath,
                                 const QString& platform) {
    ImportOutcome outcome;
    try {
        store::ImportOptions options;
        if (!platform.isEmpty()) options.platform = platform.toStdString();
        // Parse and check everything before the database is opened: a bad file changes nothing.
        store::ImportPlan plan = store::readImport(file.toStdString(), options);
        store::ResultStore db(dbPath.toStdString());
        outcome.runId = store::storeImport(db, plan);
        QStringList parts;
        for (const auto& m : plan.models) {
            parts << QObject::tr("%1: %2 of %3 layers matched, %4 ms unmatched")
                         .arg(QString::fromStdString(m.spec.name))
                         .arg(m.layersMatched)
                         .arg(m.layersTotal)
                         .arg(m.unmatchedMs, 0, 'f', 3);
        }
        outcome.summary = QObject::tr("Imported %1 (%2) as run %3. %4")
                              .arg(file, QString::fromStdString(plan.format))
                              .arg(outcome.runId)
                              .arg(parts.join(QStringLiteral("; ")));
    } catch (const std::exception& e) {
        outcome.error = QString::fromUtf8(e.what());
    }
    return outcome;
}

}  // namespace archscope::ui
