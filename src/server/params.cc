#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "server/internal.h"

namespace tahadhari::server::internal {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(250);

HttpError Bad(const std::string& param, const std::string& what) {
  return HttpError{400, "InvalidParameterValue", param + ": " + what};
}

std::vector<double> Numbers(const std::string& param, const std::string& v) {
  std::vector<double> out;
  size_t start = 0;
  while (true) {
    const size_t comma = v.find(',', start);
    const std::string part = v.substr(start, comma == std::string::npos ? std::string::npos
                                                                        : comma - start);
    double d = 0;
    const auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), d);
    if (part.empty() || ec != std::errc() || p != part.data() + part.size() || !std::isfinite(d)) {
      throw Bad(param, fmt::format("'{}' is not a number", part));
    }
    out.push_back(d);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<std::string> List(const httplib::Request& req, const char* name) {
  std::vector<std::string> out;
  const size_t n = req.get_param_value_count(name);
  for (size_t i = 0; i < n; ++i) {
    const std::string v = req.get_param_value(name, i);
    size_t start = 0;
    while (start <= v.size()) {
      const size_t comma = v.find(',', start);
      const std::string part = v.substr(start, comma == std::string::npos ? std::string::npos
                                                                          : comma - start);
      if (!part.empty()) out.push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

// A date or RFC 3339 date-time; only the date part is used (events are dated by day).
std::optional<Date> Instant(const std::string& param, const std::string& s) {
  if (s.empty() || s == "..") return std::nullopt;
  if (s.size() < 10) throw Bad(param, fmt::format("'{}' is not a date or RFC 3339 date-time", s));
  const auto d = Date::ParseIso(s.substr(0, 10));
  if (!d || (s.size() > 10 && s[10] != 'T' && s[10] != 't' && s[10] != ' ')) {
    throw Bad(param, fmt::format("'{}' is not a date (YYYY-MM-DD) or RFC 3339 date-time", s));
  }
  return d;
}

}  // namespace

void ParseDatetime(const std::string& value, std::optional<Date>* from, std::optional<Date>* to) {
  const size_t slash = value.find('/');
  if (slash == std::string::npos) {
    if (value == "..") throw Bad("datetime", "'..' alone is not an instant");
    *from = *to = Instant("datetime", value);
    return;
  }
  if (value.find('/', slash + 1) != std::string::npos) {
    throw Bad("datetime", "an interval has exactly one '/' (start/end, '..' for open)");
  }
  *from = Instant("datetime", value.substr(0, slash));
  *to = Instant("datetime", value.substr(slash + 1));
  if (*from && *to && **to < **from) throw Bad("datetime", "interval ends before it starts");
}

int64_t IntParam(const httplib::Request& req, const char* name, int64_t fallback, int64_t lo,
                 int64_t hi, bool clamp) {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.get_param_value(name);
  int64_t n = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) {
    throw Bad(name, fmt::format("'{}' is not a whole number", v));
  }
  if (clamp && n > hi) n = hi;
  if (n < lo || n > hi) throw Bad(name, fmt::format("{} is outside {}..{}", n, lo, hi));
  return n;
}

store::EventFilter FilterFromQuery(const httplib::Request& req) {
  store::EventFilter f;
  if (req.has_param("bbox")) {
    const auto v = Numbers("bbox", req.get_param_value("bbox"));
    if (v.size() != 4 && v.size() != 6) {
      throw Bad("bbox", fmt::format("expected 4 or 6 comma-separated numbers (W,S,E,N), got {}",
                                    v.size()));
    }
    const double w = v[0], s = v[1], e = v[v.size() == 4 ? 2 : 3], n = v[v.size() == 4 ? 3 : 4];
    if (std::abs(w) > 180 || std::abs(e) > 180 || std::abs(s) > 90 || std::abs(n) > 90) {
      throw Bad("bbox", "out of range (longitudes within ±180, latitudes within ±90)");
    }
    if (s > n) throw Bad("bbox", "south edge is north of the north edge (order is W,S,E,N)");
    f.bbox = geo::BoundingBox{Degrees{w}, Degrees{s}, Degrees{e}, Degrees{n}};
  }
  if (req.has_param("datetime")) ParseDatetime(req.get_param_value("datetime"), &f.from, &f.to);
  if (req.has_param("from")) f.from = Instant("from", req.get_param_value("from"));
  if (req.has_param("to")) f.to = Instant("to", req.get_param_value("to"));
  if (f.from && f.to && *f.to < *f.from) throw Bad("to", "is before from");
  if (req.has_param("near") || req.has_param("within")) {
    if (!req.has_param("near") || !req.has_param("within")) {
      throw Bad(req.has_param("near") ? "within" : "near", "near=LAT,LON and within=KM go together");
    }
    const auto p = Numbers("near", req.get_param_value("near"));
    if (p.size() != 2) throw Bad("near", "expected LAT,LON");
    const LatLon c{Degrees{p[0]}, Degrees{p[1]}};
    if (!c.IsValid()) throw Bad("near", "out of range (latitude ±90, longitude ±180)");
    const auto km = Numbers("within", req.get_param_value("within"));
    if (km.size() != 1 || km[0] < 0) throw Bad("within", "expected a distance in km >= 0");
    f.near = c;
    f.within = Kilometers{km[0]};
  }
  f.types = List(req, "type");
  f.sub_types = List(req, "sub_type");
  f.countries = List(req, "country");
  f.admin1 = List(req, "admin1");
  f.sources = List(req, "source");
  if (req.has_param("actor")) f.actor = req.get_param_value("actor");
  return f;
}

// ---------------------------------------------------------------------------------------------

ColumnsHolder::ColumnsHolder(std::filesystem::path store) : path_(std::move(store)) {
  store_ = store::Store::Open(path_, store::Store::Mode::kReadOnly);
  current_ = store_->Columns();
  thread_ = std::thread([this] { Loop(); });
}

ColumnsHolder::~ColumnsHolder() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::shared_ptr<const store::ColumnIndex> ColumnsHolder::Get() const {
  std::lock_guard lock(mu_);
  return current_;
}

void ColumnsHolder::RefreshNow() {
  std::unique_lock lock(mu_);
  const uint64_t ticket = ++requested_;
  cv_.notify_all();
  cv_.wait(lock, [&] { return done_ >= ticket || stop_; });
}

void ColumnsHolder::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, kPollInterval, [&] { return stop_ || requested_ > done_; });
    if (stop_) break;
    const uint64_t ticket = requested_;
    lock.unlock();
    std::shared_ptr<const store::ColumnIndex> fresh;
    try {
      fresh = store_->Columns();  // cheap when the generation is unchanged
    } catch (const std::exception& e) {
      fmt::print(stderr, "serve: could not refresh the column index: {}\n", e.what());
    }
    lock.lock();
    if (fresh) current_ = std::move(fresh);
    done_ = ticket;
    cv_.notify_all();
  }
}

store::Store& ThreadStore(const std::filesystem::path& path) {
  thread_local std::map<std::string, std::unique_ptr<store::Store>> stores;
  auto& s = stores[path.string()];
  if (!s) s = store::Store::Open(path, store::Store::Mode::kReadOnly);
  return *s;
}

void Send(httplib::Response& res, int status, const nlohmann::json& body,
          const char* content_type) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  content_type);
}

}  // namespace tahadhari::server::internal
