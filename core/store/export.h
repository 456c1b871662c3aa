#pragma once

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>

#include "store/store.h"

namespace archscope::store {

/// The CSV columns, in order (one row per evaluation; empty cell = not known).
const std::vector<std::string>& csvColumns();

/// One header line, then one line per evaluation of the run in insertion order (RFC 4180
/// quoting). Throws ArchError if the run does not exist.
void exportRunCsv(StoreReader& reader, int64_t runId, std::ostream& out);

/// {"run":{..},"architectures":[{"id","hash","name","network"}],"evaluations":[{..}]}; with
/// `withLayers` each evaluation also carries its "layers".
nlohmann::json exportRunJson(StoreReader& reader, int64_t runId, bool withLayers = false);

nlohmann::json runToJson(const RunRecord& run);

}  // namespace archscope::store
