#include "core/paths.h"

#include <cstdlib>
#include <system_error>

#include "core/error.h"

namespace tahadhari {
namespace {
std::filesystem::path ExeDir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path{} : exe.parent_path();
}
}  // namespace

std::filesystem::path DataDir() {
  if (const char* env = std::getenv("TAHADHARI_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  const auto exe = ExeDir();
  for (const auto& candidate : {exe / ".." / "data", exe / ".." / "share" / "tahadhari" / "data",
                                std::filesystem::path(TAHADHARI_SOURCE_DATA_DIR)}) {
    std::error_code ec;
    if (std::filesystem::is_directory(candidate / "mappings", ec)) return candidate;
  }
  throw IoError("cannot find tahadhari's data folder (looked beside the binary and in " +
                std::string(TAHADHARI_SOURCE_DATA_DIR) + "); set TAHADHARI_DATA to its path");
}

std::filesystem::path DefaultStorePath() {
  if (const char* env = std::getenv("TAHADHARI_STORE"); env != nullptr && *env != '\0') {
    return env;
  }
  return std::filesystem::path("tahadhari-data") / "store.gpkg";
}

}  // namespace tahadhari
