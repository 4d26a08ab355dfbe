#include "server/server.h"

#include <fmt/format.h>

#include <cassert>

#include "server/internal.h"

namespace tahadhari::server {
namespace internal {

std::optional<store::Store::TokenInfo> Context::Authorize(const httplib::Request& req,
                                                          bool write_access) {
  if (!write_access && !options.read_token_required) return std::nullopt;
  const std::string header = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) {
    throw HttpError{401, "Unauthorized",
                    write_access ? "this endpoint changes the store: send 'Authorization: Bearer "
                                   "<token>' with an editor token (tahadhari token create --role "
                                   "editor)"
                                 : "this server requires a token for reading: send "
                                   "'Authorization: Bearer <token>'"};
  }
  const auto info = ThreadStore(options.store).FindToken(header.substr(kBearer.size()));
  if (!info) throw HttpError{401, "Unauthorized", "unknown or revoked token"};
  if (write_access && info->role != store::Store::Role::kEditor) {
    throw HttpError{403, "Forbidden",
                    "this token has the viewer role; writing needs an editor token"};
  }
  return info;
}

std::string Context::BaseUrl(const httplib::Request& req) {
  const std::string host = req.get_header_value("Host");
  return "http://" + (host.empty() ? std::string("127.0.0.1") : host);
}

void RespondWithErrors(httplib::Response& res, const std::function<void()>& body) {
  try {
    body();
  } catch (const HttpError& e) {
    Send(res, e.status, {{"code", e.code}, {"description", e.description}});
  } catch (const UsageError& e) {
    Send(res, 400, {{"code", "InvalidParameterValue"}, {"description", e.what()}});
  } catch (const FormatError& e) {
    Send(res, 400, {{"code", "InvalidInput"}, {"description", e.what()}});
  } catch (const std::exception& e) {
    Send(res, 500, {{"code", "ServerError"}, {"description", e.what()}});
  }
}

FairGate::FairGate(size_t width) : free_(width) { assert(width >= 1); }

FairGate::Pass::Pass(FairGate& gate) : gate_(gate) {
  std::unique_lock lock(gate_.mu_);
  if (gate_.free_ > 0 && gate_.queue_.empty()) {
    --gate_.free_;
    return;
  }
  Waiter me;
  gate_.queue_.push_back(&me);
  me.cv.wait(lock, [&] { return me.admitted; });  // the releaser handed its place over
}

FairGate::Pass::~Pass() {
  std::lock_guard lock(gate_.mu_);
  if (gate_.queue_.empty()) {
    ++gate_.free_;
    return;
  }
  Waiter* next = gate_.queue_.front();
  gate_.queue_.pop_front();
  next->admitted = true;
  next->cv.notify_one();  // under the lock: `next` lives on its thread's stack until it wakes
}

httplib::Server::Handler Guard(Context& ctx, httplib::Server::Handler handler) {
  return [&ctx, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    RespondWithErrors(res, [&] {
      const FairGate::Pass pass(ctx.reads);
      ctx.Authorize(req, /*write_access=*/false);
      handler(req, res);
    });
  };
}

}  // namespace internal

namespace {
constexpr size_t kWorkerThreads = 64;
}  // namespace

struct Server::Impl {
  internal::Context ctx;
  httplib::Server svr;
  int port = 0;
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>()) {
  auto& ctx = impl_->ctx;
  ctx.options = std::move(options);
  // Create/upgrade the schema once, then keep one read-write connection for writes.
  ctx.write = store::Store::Open(ctx.options.store, store::Store::Mode::kReadWrite);
  ctx.columns = std::make_unique<internal::ColumnsHolder>(ctx.options.store);
  auto& svr = impl_->svr;
  // cpp-httplib gives each open (keep-alive) connection a pool thread for its lifetime; the
  // default pool of 8 would leave a 9th client unanswered. The library owns the queue it gets
  // from this factory (its API takes a raw pointer).
  svr.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  svr.set_keep_alive_max_count(10000);
  svr.set_payload_max_length(ctx.options.max_upload_bytes);
  svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* code = res.status == 413   ? "PayloadTooLarge"
                       : res.status == 404 ? "NotFound"
                                           : "Error";
    std::string what = res.status == 413   ? "the request body is larger than this server accepts"
                       : res.status == 404 ? "no such resource: " + req.path
                                           : "request failed";
    internal::Send(res, res.status, {{"code", code}, {"description", what}});
  });
  internal::AddOgcRoutes(svr, ctx);
  internal::AddApiRoutes(svr, ctx);
  if (!ctx.options.web_dir.empty()) {
    // cpp-httplib refuses paths with ".." segments; the mount never serves outside web_dir.
    if (!svr.set_mount_point("/app", ctx.options.web_dir.string())) {
      throw IoError(fmt::format("{}: dashboard folder not found (build it with scripts/setup)",
                                ctx.options.web_dir.string()));
    }
  }
  if (ctx.options.port == 0) {
    impl_->port = svr.bind_to_any_port(ctx.options.bind);
  } else {
    impl_->port = svr.bind_to_port(ctx.options.bind, ctx.options.port) ? ctx.options.port : -1;
  }
  if (impl_->port <= 0) {
    throw IoError(
        fmt::format("cannot listen on {}:{} (in use, or not an address of this "
                    "machine); try another --port",
                    ctx.options.bind, ctx.options.port));
  }
}

Server::~Server() { Stop(); }

int Server::port() const { return impl_->port; }

void Server::Run() { impl_->svr.listen_after_bind(); }

void Server::Stop() { impl_->svr.stop(); }

}  // namespace tahadhari::server
