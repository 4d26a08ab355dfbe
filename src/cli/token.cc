// tahadhari token: create, list and revoke access tokens for the HTTP API.
#include <fmt/format.h>

#include "cli/cli.h"

namespace tahadhari::cli {
namespace {

std::function<int()> Setup(CLI::App* app) {
  struct Flags {
    std::string store, action, name, role = "viewer";
  };
  auto f = std::make_shared<Flags>();
  AddStoreOption(app, &f->store);
  app->add_option("ACTION", f->action, "create, list or revoke")
      ->required()
      ->check(CLI::IsMember({"create", "list", "revoke"}));
  app->add_option("--name", f->name, "Who the token is for (shown as reporter of field reports)");
  app->add_option("--role", f->role, "viewer (read) or editor (read and write)")
      ->check(CLI::IsMember({"viewer", "editor"}))
      ->capture_default_str();
  app->footer("The token is printed once; the store keeps only its SHA-256 hash.\n"
              "Example: tahadhari token create --name amina --role editor");
  return [f]() {
    if (f->action != "list" && f->name.empty()) {
      throw UsageError(fmt::format("token {}: --name is required", f->action));
    }
    auto store = store::Store::Open(f->store, f->action == "list" ? store::Store::Mode::kReadOnly
                                                                  : store::Store::Mode::kReadWrite);
    if (f->action == "create") {
      const auto role = f->role == "editor" ? store::Store::Role::kEditor : store::Store::Role::kViewer;
      fmt::print("{}\n", store->CreateToken(f->name, role));
      fmt::print(stderr, "token for {} ({}) created: keep it safe, it is not shown again\n",
                 f->name, f->role);
    } else if (f->action == "revoke") {
      const int n = store->RevokeTokens(f->name);
      fmt::print("revoked {} token(s) of {}\n", n, f->name);
      return n > 0 ? kExitOk : kExitError;
    } else {
      std::vector<std::vector<std::string>> rows;
      for (const auto& t : store->ListTokens()) {
        rows.push_back({std::to_string(t.id), t.name,
                        t.role == store::Store::Role::kEditor ? "editor" : "viewer"});
      }
      PrintTable({"id", "name", "role"}, rows);
    }
    return kExitOk;
  };
}

}  // namespace

extern const Command kTokenCommand{"token", "Create, list or revoke API tokens", Setup};

}  // namespace tahadhari::cli
