// tahadhari serve: the HTTP API and the dashboard.
#include <csignal>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "cli/cli.h"
#include "cli/serve.h"
#include "core/paths.h"
#include "server/server.h"

namespace tahadhari::cli {
namespace {

constexpr size_t kBytesPerMiB = size_t{1} << 20;

std::function<int()> Setup(CLI::App* app) {
  struct Flags {
    std::string store, bind = "127.0.0.1", web;
    int port = 8080;
    bool read_token_required = false;
    size_t max_upload_mb = 1024;
  };
  auto f = std::make_shared<Flags>();
  AddStoreOption(app, &f->store);
  app->add_option("--bind", f->bind, "Address to listen on (loopback by default)")
      ->capture_default_str();
  app->add_option("--port", f->port, "Port (0 = any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app->add_option("--web", f->web, "Dashboard folder (default: the built web/dist)");
  app->add_flag("--read-token-required", f->read_token_required,
                "Reads need a viewer or editor token too");
  app->add_option("--max-upload-mb", f->max_upload_mb, "Largest dataset upload accepted")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app->footer("Endpoints: docs/api.md. Writes need an editor token (tahadhari token create).\n"
              "Example: tahadhari serve --store ke.gpkg --port 8080");
  return [f]() {
    ServeOptions opts;
    opts.store = f->store;
    opts.bind = f->bind;
    opts.port = f->port;
    opts.web = f->web;
    opts.read_token_required = f->read_token_required;
    opts.max_upload_bytes = f->max_upload_mb * kBytesPerMiB;
    return Serve(opts);
  };
}

}  // namespace

std::filesystem::path DefaultWebDir() {
  const auto compiled = std::filesystem::path(TAHADHARI_SOURCE_WEB_DIR);
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  for (const auto& candidate : {exe.parent_path() / ".." / "web" / "dist", compiled}) {
    if (std::filesystem::is_regular_file(candidate / "index.html", ec)) return candidate;
  }
  return {};
}

int Serve(const ServeOptions& o) {
  server::ServerOptions options;
  options.store = o.store;
  options.bind = o.bind;
  options.port = o.port;
  options.web_dir = o.web.empty() ? DefaultWebDir() : std::filesystem::path(o.web);
  options.read_token_required = o.read_token_required;
  options.max_upload_bytes = o.max_upload_bytes;
  options.extract = ExtractFunction();
  // Stop cleanly on Ctrl-C / SIGTERM: a dedicated thread waits for the signal.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  server::Server server(options);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    server.Stop();
  });
  fmt::print("tahadhari is serving {} at http://{}:{}/\n", o.store, o.bind, server.port());
  if (!options.web_dir.empty()) {
    fmt::print("dashboard: http://{}:{}/app/\n", o.bind, server.port());
  } else {
    fmt::print("dashboard: not built (run scripts/setup); the API works without it\n");
  }
  std::fflush(stdout);
  server.Run();
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return kExitOk;
}

}  // namespace tahadhari::cli

namespace tahadhari::cli {
extern const Command kServeCommand{"serve", "Serve the OGC API, JSON API and dashboard", Setup};
}  // namespace tahadhari::cli
