#include "ingest/ingest.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <variant>
#include <vector>

#include "ingest/csv.h"
#include "ingest/formats.h"
#include "ingest/input.h"
#include "ingest/mappings.h"

namespace tahadhari::ingest {
namespace {

constexpr size_t kBatchRows = 4096;
constexpr size_t kMaxQueuedBatches = 8;

// Parsed rows on their way from the parser thread to the writer. Chunks go back to the parser
// once written, so the events' strings keep their buffers: mapping a row into a recycled Event
// allocates nothing, and the writer frees nothing (freeing on the writer thread what the
// parser allocated cost the writer ~8% of its time on ACLED files).
struct Chunk {
  std::vector<Event> events;  // [0, used) hold this chunk's rows; the rest are spare
  size_t used = 0;
  std::vector<uint64_t> hashes;  // ContentHash() of each used event, computed by the parser
  std::vector<store::Reject> rejects;
  int64_t rows = 0;
  size_t bytes_done = 0;

  // The next event to map a row into; it counts once Keep() is called.
  Event& Slot() {
    if (used == events.size()) events.emplace_back();
    return events[used];
  }
  void Keep() {
    hashes.push_back(events[used].ContentHash());
    ++used;
  }
  std::span<const Event> kept() const { return {events.data(), used}; }
  void Clear() {
    used = 0;
    hashes.clear();
    rejects.clear();
    rows = 0;
    bytes_done = 0;
  }
};

// A bounded single-producer/single-consumer queue of parsed chunks.
class ChunkQueue {
 public:
  // Returns false when the consumer has given up (the producer should stop).
  bool Push(Chunk c) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return q_.size() < kMaxQueuedBatches || cancelled_; });
    if (cancelled_) return false;
    q_.push_back(std::move(c));
    not_empty_.notify_one();
    return true;
  }
  // Returns false when the producer is finished and the queue is drained.
  bool Pop(Chunk* c) {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !q_.empty() || done_; });
    if (q_.empty()) return false;
    *c = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return true;
  }
  // Hands a written chunk back for the parser to refill.
  void Recycle(Chunk c) {
    c.Clear();
    std::lock_guard lock(mu_);
    spare_.push_back(std::move(c));
  }
  // A recycled chunk, or a new one when none is spare.
  Chunk Spare() {
    std::lock_guard lock(mu_);
    if (spare_.empty()) return Chunk{};
    Chunk c = std::move(spare_.back());
    spare_.pop_back();
    return c;
  }
  void Finish(std::exception_ptr error) {
    std::lock_guard lock(mu_);
    done_ = true;
    error_ = error;
    not_empty_.notify_all();
  }
  void Cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    not_full_.notify_all();
  }
  std::exception_ptr error() {
    std::lock_guard lock(mu_);
    return error_;
  }

 private:
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<Chunk> q_;
  std::vector<Chunk> spare_;
  bool done_ = false, cancelled_ = false;
  std::exception_ptr error_;
};

// Names the field holding the first invalid UTF-8 byte.
std::optional<FieldError> CheckUtf8(const Record& r, const std::vector<std::string>& names) {
  if (!FindInvalidUtf8(r.raw)) return std::nullopt;
  for (size_t i = 0; i < r.fields.size(); ++i) {
    if (const auto at = FindInvalidUtf8(r.fields[i])) {
      const std::string field = i < names.size() ? names[i] : fmt::format("column {}", i + 1);
      return FieldError{field, "", fmt::format("invalid UTF-8 at byte {} of the field (save the "
                                               "file as UTF-8)", *at + 1)};
    }
  }
  return FieldError{"", "", "invalid UTF-8 (save the file as UTF-8)"};
}

void Parse(const InputFile& input, Format format, const Mappings& mappings, ChunkQueue* queue) {
  const std::string& name = input.display_name();
  // The header (if any) decides the mapper.
  RecordReader probe(input.data(), format == Format::kAcled || format == Format::kUcdp ? ',' : '\t',
                     format == Format::kAcled || format == Format::kUcdp);
  Record header;
  std::optional<FieldError> err;
  probe.Next(&header, &err);
  const auto mapper = MakeMapper(format, header, mappings, name);
  std::vector<std::string> names;
  if (mapper->has_header()) {
    for (auto f : header.fields) names.emplace_back(f);
  }
  RecordReader reader(input.data(), mapper->delimiter(), mapper->quoted(),
                      mapper->expected_fields());
  Record rec;
  if (mapper->has_header()) reader.Next(&rec, &err);  // skip the header
  Chunk chunk;
  while (reader.Next(&rec, &err)) {
    if (rec.raw.empty() && rec.fields.size() <= 1 && !err) continue;  // blank line
    ++chunk.rows;
    if (!err) err = CheckUtf8(rec, names);
    // Mappers overwrite every field, so a slot's previous row never leaks into this one.
    Event& event = chunk.Slot();
    if (!err) err = mapper->Map(rec, &event);
    if (err) {
      chunk.rejects.push_back({name, rec.line, std::move(*err), std::string(rec.raw)});
    } else {
      event.source_file = name;
      event.source_line = rec.line;
      chunk.Keep();
    }
    if (chunk.used + chunk.rejects.size() >= kBatchRows) {
      chunk.bytes_done = reader.position();
      if (!queue->Push(std::move(chunk))) return;
      chunk = queue->Spare();
    }
  }
  chunk.bytes_done = reader.position();
  queue->Push(std::move(chunk));
}

// Lower() lowers the calling thread's CPU priority by `nice` levels (on Linux,
// setpriority(PRIO_PROCESS, 0) acts on the calling thread only); the destructor tries to
// restore it, which fails without privilege (EPERM) and only leaves this thread lower.
class ThreadPriority {
 public:
  ThreadPriority() = default;
  ~ThreadPriority() {
    if (lowered_) setpriority(PRIO_PROCESS, 0, before_);
  }
  ThreadPriority(const ThreadPriority&) = delete;
  ThreadPriority& operator=(const ThreadPriority&) = delete;

  void Lower(int nice) {
    if (lowered_) return;
    errno = 0;
    const int now = getpriority(PRIO_PROCESS, 0);
    if (errno != 0) return;
    before_ = now;
    lowered_ = setpriority(PRIO_PROCESS, 0, std::min(now + nice, kMaxNice)) == 0;
  }

 private:
  static constexpr int kMaxNice = 19;
  int before_ = 0;
  bool lowered_ = false;
};

// Rows in `data`, estimated from the average length of its first lines.
int64_t EstimateRows(std::string_view data) {
  constexpr size_t kSampleLines = 200;
  size_t pos = 0, lines = 0;
  while (lines < kSampleLines && pos < data.size()) {
    const size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
    ++lines;
  }
  if (lines == 0 || pos == 0) return 0;
  return static_cast<int64_t>(data.size() / (pos / lines));
}

}  // namespace

store::IngestLog IngestFile(store::Store& store, const std::filesystem::path& path,
                            const IngestOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::optional<Format> forced;
  if (!options.format.empty()) {
    forced = ParseFormatName(options.format);
    if (!forced) {
      throw UsageError(fmt::format("--format: {}: unknown format (expected {})", options.format,
                                   kFormatNames));
    }
  }
  const auto input = InputFile::Open(path);
  const Format format = forced ? *forced : DetectFormat(input->data(), input->display_name());
  if (input->data().empty()) {
    throw FormatError(fmt::format("{}: empty file (0 bytes): nothing to ingest",
                                  input->display_name()));
  }
  const Mappings& mappings = Mappings::Default();

  store::IngestLog log;
  log.path = input->display_name();
  log.format = std::string(FormatName(format));
  auto batch = store.BeginBatch({log.path, log.format, EstimateRows(input->data())});
  // Lowered before the parser thread starts, which inherits it (Linux nice is per thread).
  ThreadPriority priority;
  if (options.yield_to_readers && batch->shared()) {
    priority.Lower(kYieldNice);
    if (options.on_yield) options.on_yield();
  }
  ChunkQueue queue;
  std::thread parser([&] {
    std::exception_ptr error;
    try {
      Parse(*input, format, mappings, &queue);
    } catch (...) {
      error = std::current_exception();
    }
    queue.Finish(error);
  });
  struct Joiner {
    std::thread& t;
    ChunkQueue& q;
    ~Joiner() {
      q.Cancel();
      if (t.joinable()) t.join();
    }
  } joiner{parser, queue};

  Chunk chunk;
  Progress progress{0, input->data().size(), 0};
  while (queue.Pop(&chunk)) {
    const auto counts = batch->UpsertAll(chunk.kept(), chunk.hashes);
    log.inserted += counts.inserted;
    log.updated += counts.updated;
    log.unchanged += counts.unchanged;
    for (const store::Reject& r : chunk.rejects) {
      batch->AddReject(r);
      if (options.on_reject) options.on_reject(r);
    }
    log.rejected += static_cast<int64_t>(chunk.rejects.size());
    log.read += chunk.rows;
    progress.bytes_done = chunk.bytes_done;
    progress.rows = log.read;
    if (options.on_progress) options.on_progress(progress);
    queue.Recycle(std::move(chunk));
  }
  if (auto error = queue.error()) std::rethrow_exception(error);
  log.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  batch->LogIngest(log);
  batch->Commit();
  log.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return log;
}

}  // namespace tahadhari::ingest
