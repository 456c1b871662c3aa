#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace archscope::store {

/// A prepared statement. Bind with 1-based indexes, read columns with 0-based ones.
/// Threading: belongs to its connection's thread.
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, int64_t(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bindNull(int index);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }

    /// Advances to the next row: true when a row is available, false when done.
    bool step();
    /// Runs a statement that returns no rows, then resets it for reuse.
    void run();
    void reset();

    bool isNull(int column) const;
    int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::optional<int64_t> optInt64(int column) const;
    std::optional<double> optReal(int column) const;
    std::optional<std::string> optText(int column) const;

private:
    sqlite3* m_db;
    sqlite3_stmt* m_stmt = nullptr;
    std::string m_sql;
};

/// Resets a cached statement when the scope that used it ends, so it can be reused.
class StatementUse {
public:
    explicit StatementUse(Statement& s) : m_s(s) {}
    ~StatementUse() { m_s.reset(); }
    Statement* operator->() { return &m_s; }
    Statement& operator*() { return m_s; }

private:
    Statement& m_s;
};

/// One SQLite connection with a cache of prepared statements.
/// Threading: use from one thread at a time (the thread that owns the object).
class Connection {
public:
    enum class Mode { ReadWrite, ReadOnly };
    Connection(const std::filesystem::path& path, Mode mode);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    sqlite3* handle() const { return m_db; }
    const std::filesystem::path& path() const { return m_path; }
    void exec(const std::string& sql);
    /// A cached prepared statement; wrap the result in StatementUse.
    Statement& prepare(const std::string& sql);
    /// The first column of the first row as an integer (e.g. a PRAGMA).
    int64_t queryInt(const std::string& sql);
    std::string queryText(const std::string& sql);
    bool inTransaction() const { return sqlite3_get_autocommit(m_db) == 0; }

private:
    sqlite3* m_db = nullptr;
    std::filesystem::path m_path;
    std::unordered_map<std::string, std::unique_ptr<Statement>> m_cache;
};

/// BEGIN IMMEDIATE ... COMMIT, rolled back when the scope exits without commit(). Nested use is
/// a no-op, so a batch of store calls can share one outer transaction.
class Transaction {
public:
    explicit Transaction(Connection& c);
    ~Transaction();
    void commit();

private:
    Connection& m_c;
    bool m_owner = false;
    bool m_done = false;
};

/// Throws ArchError "<what>: <sqlite message> (<file>)".
[[noreturn]] void throwSqlite(sqlite3* db, const std::string& what);

}  // namespace archscope::store
