// Internal to server/: shared request plumbing — errors, parameter parsing, the column-index
// holder and per-thread store connections. Thread-safety noted per item.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "server/server.h"
#include "store/store.h"

namespace tahadhari::server::internal {

/// Thrown by handlers; turned into a JSON error response with this status.
struct HttpError {
  int status;
  std::string code;         // OGC exception code, e.g. InvalidParameterValue
  std::string description;  // plain words: which parameter, what was wrong, what is expected
};

/// Parses the shared filter parameters (docs/api.md). Throws HttpError 400 naming the parameter.
store::EventFilter FilterFromQuery(const httplib::Request& req);

/// Parses an OGC `datetime` value into an inclusive date range (open ends as nullopt).
/// Throws HttpError 400.
void ParseDatetime(const std::string& value, std::optional<Date>* from, std::optional<Date>* to);

/// An integer query parameter within [lo, hi] (values above hi are clamped to hi when clamp).
int64_t IntParam(const httplib::Request& req, const char* name, int64_t fallback, int64_t lo,
                 int64_t hi, bool clamp);

/// Holds the current column index; a background thread reloads it when the store's generation
/// changes, so requests never wait for a rebuild. Get() is thread-safe and cheap.
class ColumnsHolder {
 public:
  explicit ColumnsHolder(std::filesystem::path store);
  ~ColumnsHolder();
  std::shared_ptr<const store::ColumnIndex> Get() const;
  /// Asks the background thread to check now (after a write) and waits until it has.
  void RefreshNow();

 private:
  void Loop();
  std::filesystem::path path_;
  std::unique_ptr<store::Store> store_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<const store::ColumnIndex> current_;
  bool stop_ = false;
  uint64_t requested_ = 0, done_ = 0;
  std::thread thread_;
};

/// A read-only store connection for the calling thread (one per thread and path).
store::Store& ThreadStore(const std::filesystem::path& path);

/// Writes `body` as the response with `content_type`.
void Send(httplib::Response& res, int status, const nlohmann::json& body,
          const char* content_type = "application/json");

}  // namespace tahadhari::server::internal

namespace tahadhari::server::internal {

/// Admits at most `width` holders at a time, strictly in arrival order. Read handlers run inside
/// it: with more keep-alive clients than cores, requests then queue and run to completion one
/// core each instead of time-slicing against each other, so a heavy request no longer stretches
/// every request running beside it (tail latency follows the mean wait, not the slowest
/// request times the number of clients). A release wakes only the next in line. Thread-safe.
class FairGate {
 public:
  /// REQUIRES: width >= 1.
  explicit FairGate(size_t width);
  /// Blocks until admitted; leaving the scope frees the place for the next in line.
  class Pass {
   public:
    explicit Pass(FairGate& gate);
    ~Pass();
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;

   private:
    FairGate& gate_;
  };

 private:
  struct Waiter {
    std::condition_variable cv;
    bool admitted = false;
  };
  std::mutex mu_;
  size_t free_;                // places not held
  std::deque<Waiter*> queue_;  // waiting, oldest first
};

/// Everything handlers share. Thread-safety: `columns` and ThreadStore are safe; `write` (the
/// single read-write connection) is used only under `write_mu`.
struct Context {
  ServerOptions options;
  std::unique_ptr<ColumnsHolder> columns;
  std::mutex write_mu;
  std::unique_ptr<store::Store> write;
  /// Read handlers (Guard) run inside it; one place per core.
  FairGate reads{std::max(1U, std::thread::hardware_concurrency())};

  /// Checks the bearer token. Reads need one only with --read-token-required; writes need an
  /// editor token. Throws HttpError 401 (missing/unknown token) or 403 (viewer writing).
  std::optional<store::Store::TokenInfo> Authorize(const httplib::Request& req, bool write_access);
  /// "http://host:port" as the client addressed us (for links).
  static std::string BaseUrl(const httplib::Request& req);
};

/// Runs `body`; turns HttpError (its status), UsageError/FormatError (400) and any other
/// exception (500) into a JSON error response on `res`. Never throws.
void RespondWithErrors(httplib::Response& res, const std::function<void()>& body);

/// Wraps a handler: authorisation for reads, HttpError and tahadhari errors → JSON errors.
httplib::Server::Handler Guard(Context& ctx, httplib::Server::Handler handler);

void AddOgcRoutes(httplib::Server& svr, Context& ctx);
void AddApiRoutes(httplib::Server& svr, Context& ctx);

}  // namespace tahadhari::server::internal
