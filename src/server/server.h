// server/: `tahadhari serve` — OGC API – Features (Part 1 Core, GeoJSON) over the events layer,
// the JSON API the dashboard uses, authenticated writes (dataset upload, field reports), and the
// static dashboard (web/dist). Endpoints are listed in docs/api.md.
//
// Thread-safety: a Server runs its own worker threads; its public methods may be called from
// any one controlling thread. Readers never block on writers: queries use an in-memory column
// index refreshed in the background from the store (WAL snapshots), writes are serialised.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/date.h"

namespace tahadhari::server {

struct ServerOptions {
  std::filesystem::path store;
  std::string bind = "127.0.0.1";
  int port = 8080;                       // 0 = any free port (see Server::port())
  std::filesystem::path web_dir;         // the built dashboard; empty = none
  bool read_token_required = false;      // reads need a viewer or editor token too
  size_t max_upload_bytes = size_t{1} << 30;  // POST /api/ingest
  size_t max_json_bytes = size_t{1} << 20;    // other POST bodies
  /// Extracts items from news text for POST /api/extract (nothing stored); empty = 501.
  /// Must be thread-safe.
  std::function<nlohmann::json(std::string_view text, std::optional<Date> published)> extract;
};

class Server {
 public:
  /// Opens the store (read-only checks happen here: throws StoreError if it is missing or not a
  /// tahadhari store) and binds the socket (throws IoError when the address is taken).
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The bound port.
  int port() const;
  /// Serves until Stop() is called (from another thread or a signal handler thread).
  void Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tahadhari::server
