// Internal to cli/: running the server, shared by `serve` and `demo`.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/date.h"

namespace tahadhari::cli {

struct ServeOptions {
  std::string store, bind = "127.0.0.1", web;
  int port = 8080;
  bool read_token_required = false;
  size_t max_upload_bytes = size_t{1} << 30;
};

/// Serves until SIGINT/SIGTERM. Returns the exit code. Throws tahadhari errors.
int Serve(const ServeOptions& options);

/// The built dashboard folder beside the binary or in the source tree; empty if not built.
std::filesystem::path DefaultWebDir();

/// The news extractor for POST /api/extract, or an empty function when this build has none.
std::function<nlohmann::json(std::string_view, std::optional<Date>)> ExtractFunction();

}  // namespace tahadhari::cli
