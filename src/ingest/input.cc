#include "ingest/input.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <minizip/unzip.h>

#include "core/error.h"

namespace tahadhari::ingest {
namespace {

constexpr size_t kZipChunk = 1 << 20;
constexpr size_t kMaxZipMember = size_t{8} << 30;  // refuse to inflate members over 8 GiB

bool HasZipExtension(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".zip";
}

}  // namespace

InputFile::~InputFile() {
  if (map_ != nullptr) munmap(map_, map_size_);
}

std::unique_ptr<InputFile> InputFile::Open(const std::filesystem::path& path) {
  auto f = std::unique_ptr<InputFile>(new InputFile());
  f->name_ = path.string();
  if (HasZipExtension(path)) {
    unzFile zf = unzOpen64(path.c_str());
    if (zf == nullptr) {
      throw FormatError(fmt::format("{}: cannot open as a zip archive (damaged, or not a zip; "
                                    "rename it if it is plain text)", path.string()));
    }
    struct Closer {
      unzFile z;
      ~Closer() { unzClose(z); }
    } closer{zf};
    if (unzGoToFirstFile(zf) != UNZ_OK) {
      throw FormatError(fmt::format("{}: the zip archive is empty", path.string()));
    }
    std::array<char, 512> member{};
    unz_file_info64 info{};
    unzGetCurrentFileInfo64(zf, &info, member.data(), member.size(), nullptr, 0, nullptr, 0);
    if (info.uncompressed_size > kMaxZipMember) {
      throw FormatError(fmt::format("{}!{}: member is {} bytes, larger than the {} byte limit; "
                                    "unzip it and ingest the plain file",
                                    path.string(), member.data(), info.uncompressed_size,
                                    kMaxZipMember));
    }
    f->name_ = fmt::format("{}!{}", path.string(), member.data());
    if (unzOpenCurrentFile(zf) != UNZ_OK) {
      throw FormatError(fmt::format("{}: cannot read the zip member", f->name_));
    }
    f->owned_.reserve(info.uncompressed_size);
    std::string chunk(kZipChunk, '\0');
    while (true) {
      const int got = unzReadCurrentFile(zf, chunk.data(), static_cast<unsigned>(chunk.size()));
      if (got < 0) {
        unzCloseCurrentFile(zf);
        throw FormatError(fmt::format("{}: the zip member is damaged (inflate error {})",
                                      f->name_, got));
      }
      if (got == 0) break;
      f->owned_.append(chunk.data(), static_cast<size_t>(got));
    }
    unzCloseCurrentFile(zf);
    f->data_ = f->owned_;
    return f;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw IoError(fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw IoError(fmt::format("{}: cannot stat: {}", path.string(), std::strerror(err)));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw IoError(fmt::format("{}: is a folder, not a file", path.string()));
  }
  if (st.st_size > 0) {
    void* m = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) {
      const int err = errno;
      ::close(fd);
      throw IoError(fmt::format("{}: cannot map: {}", path.string(), std::strerror(err)));
    }
    madvise(m, static_cast<size_t>(st.st_size), MADV_SEQUENTIAL);
    f->map_ = m;
    f->map_size_ = static_cast<size_t>(st.st_size);
    f->data_ = std::string_view(static_cast<const char*>(m), f->map_size_);
  }
  ::close(fd);
  return f;
}

}  // namespace tahadhari::ingest
