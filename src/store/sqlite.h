// Internal to store/: thin RAII wrappers over the SQLite C API. Not thread-safe.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.h"

namespace tahadhari::store::sql {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

/// Throws StoreError "<context>: <sqlite message>" (and a hint for common causes).
[[noreturn]] void Fail(sqlite3* db, int rc, std::string_view context);

/// Throws as Fail() when rc is not SQLITE_OK, SQLITE_ROW or SQLITE_DONE. Inline: every bound
/// parameter of an ingest passes through here (32 per event).
inline void Check(sqlite3* db, int rc, std::string_view context) {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) [[likely]]
    return;
  Fail(db, rc, context);
}

/// Runs one or more statements without results. Throws StoreError on failure.
void Exec(sqlite3* db, std::string_view sql);

/// A prepared statement; reset automatically before each new binding round.
class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, std::string_view sql);
  Stmt(Stmt&&) noexcept = default;
  Stmt& operator=(Stmt&&) noexcept = default;

  Stmt& Bind(int index, std::string_view text);  // empty text binds NULL
  Stmt& BindText(int index, std::string_view text);  // empty text binds ''
  /// Binds without copying. REQUIRES: `text` stays valid and unchanged until Reset().
  /// Empty text binds NULL.
  Stmt& BindStatic(int index, std::string_view text);
  Stmt& Bind(int index, int64_t value);
  Stmt& Bind(int index, double value);
  Stmt& Bind(int index, std::optional<int32_t> value);
  Stmt& BindBlob(int index, const void* data, int size);
  /// Binds without copying. REQUIRES: `data` stays valid and unchanged until Reset().
  Stmt& BindStaticBlob(int index, const void* data, int size);
  Stmt& BindNull(int index);

  bool prepared() const { return stmt_ != nullptr; }
  /// Steps once: true when a row is available, false when done. Throws StoreError on error.
  bool Step();
  /// Step() until done, then Reset().
  void Run();
  /// Resets and clears all bindings to NULL.
  void Reset();
  /// Resets, keeping bindings (for statements whose parameters are all rebound every time).
  void ResetKeepBindings() { sqlite3_reset(stmt_.get()); }
  /// Step() until done, then ResetKeepBindings().
  void RunKeepBindings();

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_.get(), col); }
  double Real(int col) const { return sqlite3_column_double(stmt_.get(), col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_.get(), col) == SQLITE_NULL; }
  std::string_view Text(int col) const;
  std::span<const uint8_t> Blob(int col) const {
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_.get(), col));
    return {p, p == nullptr ? 0 : static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), col))};
  }
  std::optional<int32_t> OptInt(int col) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  sqlite3* db_ = nullptr;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

}  // namespace tahadhari::store::sql
