// Internal to store/: the state behind a Store object. Not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

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
  sql::Stmt fetch_ingest;
  // Provenance of the `ingests` rows Fetch() has met (path, started_at): rows of that table
  // never change once written, and a page of events comes from a handful of them, so this
  // saves a second B-tree lookup per fetched event.
  std::unordered_map<int64_t, std::pair<std::string, std::string>> ingests;

  int64_t ReadGeneration() {
    sql::Stmt s(db.get(), "SELECT value FROM tahadhari_meta WHERE key = 'generation'");
    return s.Step() ? std::stoll(std::string(s.Text(0))) : 0;
  }
  std::filesystem::path CachePath() const {
    return std::filesystem::path(path.string() + ".colidx");
  }
};

}  // namespace tahadhari::store
