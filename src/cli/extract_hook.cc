// Connects the news extractor to the server's POST /api/extract.
#include "cli/serve.h"
#include "extract/extract.h"

namespace tahadhari::cli {

std::function<nlohmann::json(std::string_view, std::optional<Date>)> ExtractFunction() {
  extract::Preload();  // load dictionaries and gazetteer once, before serving
  return [](std::string_view text, std::optional<Date> published) {
    extract::ExtractOptions options;
    options.published = published;
    nlohmann::json items = nlohmann::json::array();
    for (const auto& item : extract::Extract(text, options)) {
      items.push_back(extract::ToJson(item, text));
    }
    return nlohmann::json{{"items", items}};
  };
}

}  // namespace tahadhari::cli
