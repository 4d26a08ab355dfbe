// Internal to ingest/: the bytes of one input file — memory-mapped when plain, inflated when it
// is a .zip (the first file inside; GDELT ships one CSV per zip). Not thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace tahadhari::ingest {

class InputFile {
 public:
  /// Opens `path`. Throws IoError (path and OS reason) when it cannot be read, and FormatError
  /// when a .zip is damaged or empty.
  static std::unique_ptr<InputFile> Open(const std::filesystem::path& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  std::string_view data() const { return data_; }
  /// The name to report in messages: the path, plus "!member" for a zip member.
  const std::string& display_name() const { return name_; }

 private:
  InputFile() = default;
  std::string name_;
  std::string owned_;        // inflated zip member
  void* map_ = nullptr;      // mmap of a plain file
  size_t map_size_ = 0;
  std::string_view data_;
};

}  // namespace tahadhari::ingest
