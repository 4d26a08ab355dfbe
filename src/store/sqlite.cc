#include "store/sqlite.h"

#include <fmt/format.h>

namespace tahadhari::store::sql {

void Fail(sqlite3* db, int rc, std::string_view context) {
  std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string hint;
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    hint = " (another process is writing to this store; try again when it has finished)";
  } else if (rc == SQLITE_FULL) {
    hint = " (the disk is full; free space and retry: nothing of this batch was kept)";
  } else if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
    hint = " (this file is not a tahadhari store, or it is damaged)";
  }
  throw StoreError(fmt::format("{}: {}{}", context, msg, hint));
}

void Exec(sqlite3* db, std::string_view sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, std::string(sql).c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw StoreError(fmt::format("store: {} (while running: {:.60})", msg, sql));
  }
}

Stmt::Stmt(sqlite3* db, std::string_view sql) : db_(db) {
  sqlite3_stmt* s = nullptr;
  Check(db, sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &s, nullptr),
        fmt::format("store: preparing '{:.60}'", sql));
  stmt_.reset(s);
}

Stmt& Stmt::Bind(int index, std::string_view text) {
  if (text.empty()) return BindNull(index);
  return BindText(index, text);
}
Stmt& Stmt::BindText(int index, std::string_view text) {
  Check(db_, sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()),
                               SQLITE_TRANSIENT),
        "store: bind");
  return *this;
}
Stmt& Stmt::BindStatic(int index, std::string_view text) {
  if (text.empty()) return BindNull(index);
  Check(db_, sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()),
                               SQLITE_STATIC),
        "store: bind");
  return *this;
}
Stmt& Stmt::Bind(int index, int64_t value) {
  Check(db_, sqlite3_bind_int64(stmt_.get(), index, value), "store: bind");
  return *this;
}
Stmt& Stmt::Bind(int index, double value) {
  Check(db_, sqlite3_bind_double(stmt_.get(), index, value), "store: bind");
  return *this;
}
Stmt& Stmt::Bind(int index, std::optional<int32_t> value) {
  if (!value) return BindNull(index);
  return Bind(index, static_cast<int64_t>(*value));
}
Stmt& Stmt::BindBlob(int index, const void* data, int size) {
  Check(db_, sqlite3_bind_blob(stmt_.get(), index, data, size, SQLITE_TRANSIENT), "store: bind");
  return *this;
}
Stmt& Stmt::BindStaticBlob(int index, const void* data, int size) {
  Check(db_, sqlite3_bind_blob(stmt_.get(), index, data, size, SQLITE_STATIC), "store: bind");
  return *this;
}
Stmt& Stmt::BindNull(int index) {
  Check(db_, sqlite3_bind_null(stmt_.get(), index), "store: bind");
  return *this;
}

bool Stmt::Step() {
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const std::string sql = sqlite3_sql(stmt_.get());
  sqlite3_reset(stmt_.get());
  Check(db_, rc, fmt::format("store: running '{:.60}'", sql));
  return false;
}

void Stmt::Run() {
  while (Step()) {
  }
  Reset();
}

void Stmt::RunKeepBindings() {
  while (Step()) {
  }
  ResetKeepBindings();
}

void Stmt::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

std::string_view Stmt::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_.get(), col));
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), col))};
}

std::optional<int32_t> Stmt::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return static_cast<int32_t>(Int(col));
}

}  // namespace tahadhari::store::sql
