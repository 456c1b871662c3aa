#pragma once

#include <filesystem>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "arch/network.h"
#include "store/records.h"
#include "store/trace_import.h"

namespace archscope::store {

class ResultStore;

/// What the user tells `import` beyond the file.
struct ImportOptions {
    /// Zoo name or architecture .json file of the network, for files that do not name a network
    /// known here (a trace of a custom network) or to override the name a file gives.
    std::optional<std::string> model;
    std::optional<std::string> platform;  ///< the platform profile the figures belong to
    int batch = 1;                        ///< batch size a trace was taken at (IR costs use it)
};

/// One network's imported figures, ready to store, and what the matching left over.
struct ImportedModel {
    NetworkSpec spec;
    Evaluation evaluation;  ///< runId, architectureId and ids are set by storeImport()
    int layersMatched = 0;
    int layersTotal = 0;
    double matchedMs = 0.0;
    double unmatchedMs = 0.0;
    std::vector<UnmatchedOp> unmatched;
};

/// A parsed import file. Format names: "archscope-measure", "pytorch-chrome-trace",
/// "xprof-trace-viewer".
struct ImportPlan {
    std::string file;
    std::string format;
    nlohmann::json machine;  ///< where the figures were taken, as the file tells
    std::vector<ImportedModel> models;
};

/// Reads, checks and maps a file; touches no database. Throws ArchError naming the file for a
/// file that is missing or does not parse, is of no known format, or names a network unknown here.
ImportPlan readImport(const std::filesystem::path& file, const ImportOptions& options);
/// The same for a parsed document; `where` names it in errors (the fuzz targets use it).
ImportPlan readImportDocument(const nlohmann::json& doc, const std::string& where,
                              const ImportOptions& options);
/// The same for JSON text read as it streams (what readImport() does with the file); a JSON
/// syntax error is nlohmann's exception. The fuzz target checks it against readImportDocument().
ImportPlan readImportStream(std::istream& in, const std::string& where,
                            const ImportOptions& options);

/// Stores the plan as one finished run of kind "import", all or nothing. Returns the run id and
/// sets each evaluation's ids.
int64_t storeImport(ResultStore& store, ImportPlan& plan);

}  // namespace archscope::store
