// Internal to store/: the state behind a Store object. Not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "store/sqlite.h"
#include "store/store.h"

namespace tahadhari::store {

struct Store::Impl {
  std::filesystem::path path;
  Mode mode;
  sql::DbPtr db;
  std::shared_ptr<const ColumnIndex> columns;
  std::string store_id;  // random identity, so a cache never outlives its store
  bool batch_open = false;
  sql::Stmt fetch;  // prepared on first Fetch()

  int64_t ReadGeneration() {
    sql::Stmt s(db.get(), "SELECT value FROM tahadhari_meta WHERE key = 'generation'");
    return s.Step() ? std::stoll(std::string(s.Text(0))) : 0;
  }
  std::filesystem::path CachePath() const {
    return std::filesystem::path(path.string() + ".colidx");
  }
};

}  // namespace tahadhari::store
