#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite.h"

namespace archscope::store {

/// The schema version this build writes and understands (PRAGMA user_version).
inline constexpr int kSchemaVersion = 6;
/// PRAGMA application_id of an Archscope store ("ARCS"); 0 in stores made before version 6.
inline constexpr int32_t kApplicationId = 0x41524353;

/// A numbered migration: the SQL that takes a database from version `version - 1` to `version`.
struct Migration {
    int version = 0;
    std::string description;
    std::string sql;
};
const std::vector<Migration>& migrations();

/// Checks that `path` is either absent, empty, or a SQLite database (by its 16-byte header),
/// without opening it. Throws ArchError naming the file otherwise; the file is never touched.
void checkSqliteHeader(const std::filesystem::path& path);

/// Checks an existing, non-empty file through a READ-ONLY connection before anything may write
/// to it: PRAGMA quick_check, an Archscope schema (or none at all) of a version this build
/// knows. Throws ArchError naming the file otherwise; the file is left byte for byte unchanged
/// (no WAL switch, no tables added).
void inspectExistingStore(const std::filesystem::path& path);

/// Opens the writer connection (after inspectExistingStore): sets WAL + foreign keys + busy
/// timeout, then applies pending migrations in ONE transaction.
void prepareWriter(Connection& c);
/// Opens a reader: refuses a newer schema, and a database the writer has not created/migrated.
void prepareReader(Connection& c);

}  // namespace archscope::store
