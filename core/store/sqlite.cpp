#include "store/sqlite.h"

#include "arch/error.h"

namespace archscope::store {

void throwSqlite(sqlite3* db, const std::string& what) {
    std::string msg = what + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    if (db) {
        if (const char* file = sqlite3_db_filename(db, "main"); file && *file)
            msg += std::string(" (") + file + ")";
    }
    throw ArchError(msg);
}

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db), m_sql(sql) {
    if (sqlite3_prepare_v3(db, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt,
                           nullptr) != SQLITE_OK)
        throwSqlite(db, "cannot prepare '" + m_sql + "'");
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, int64_t value) {
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK) throwSqlite(m_db, "bind");
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (sqlite3_bind_double(m_stmt, index, value) != SQLITE_OK) throwSqlite(m_db, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    if (sqlite3_bind_text(m_stmt, index, value.data(), int(value.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK)
        throwSqlite(m_db, "bind");
    return *this;
}

Statement& Statement::bindNull(int index) {
    if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK) throwSqlite(m_db, "bind");
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    const std::string sql = m_sql;
    sqlite3_reset(m_stmt);
    throwSqlite(m_db, "cannot run '" + sql + "'");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int c) const {
    return sqlite3_column_type(m_stmt, c) == SQLITE_NULL;
}
int64_t Statement::int64(int c) const {
    return sqlite3_column_int64(m_stmt, c);
}
double Statement::real(int c) const {
    return sqlite3_column_double(m_stmt, c);
}

std::string Statement::text(int c) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, c));
    return p ? std::string(p, size_t(sqlite3_column_bytes(m_stmt, c))) : std::string();
}

std::optional<int64_t> Statement::optInt64(int c) const {
    return isNull(c) ? std::nullopt : std::optional(int64(c));
}
std::optional<double> Statement::optReal(int c) const {
    return isNull(c) ? std::nullopt : std::optional(real(c));
}
std::optional<std::string> Statement::optText(int c) const {
    return isNull(c) ? std::nullopt : std::optional(text(c));
}

Connection::Connection(const std::filesystem::path& path, Mode mode) : m_path(path) {
    const int flags = (mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY
                                              : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                      SQLITE_OPEN_NOMUTEX;  // one thread per connection (see class comment)
    if (sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr) != SQLITE_OK) {
        std::string msg = "cannot open result store " + path.string() + ": " +
                          (m_db ? sqlite3_errmsg(m_db) : "out of memory");
        sqlite3_close(m_db);
        m_db = nullptr;
        throw ArchError(msg);
    }
    sqlite3_extended_result_codes(m_db, 1);
}

Connection::~Connection() {
    m_cache.clear();  // statements must be finalized before the connection closes
    sqlite3_close(m_db);
}

void Connection::exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errmsg(m_db);
        sqlite3_free(err);
        throw ArchError("result store " + m_path.string() + ": " + msg +
                        " (in: " + sql.substr(0, 80) + ")");
    }
}

Statement& Connection::prepare(const std::string& sql) {
    auto& slot = m_cache[sql];
    if (!slot) slot = std::make_unique<Statement>(m_db, sql);
    return *slot;
}

int64_t Connection::queryInt(const std::string& sql) {
    Statement s(m_db, sql);
    return s.step() ? s.int64(0) : 0;
}

std::string Connection::queryText(const std::string& sql) {
    Statement s(m_db, sql);
    return s.step() ? s.text(0) : std::string();
}

Transaction::Transaction(Connection& c) : m_c(c) {
    if (!c.inTransaction()) {
        c.exec("BEGIN IMMEDIATE");
        m_owner = true;
    }
}

Transaction::~Transaction() {
    if (m_owner && !m_done) sqlite3_exec(m_c.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    if (m_owner && !m_done) m_c.exec("COMMIT");
    m_done = true;
}

}  // namespace archscope::store
