// Connects the news extractor to the server's POST /api/extract (none yet in this build).
#include "cli/serve.h"

namespace tahadhari::cli {

std::function<nlohmann::json(std::string_view, std::optional<Date>)> ExtractFunction() {
  return {};
}

}  // namespace tahadhari::cli
