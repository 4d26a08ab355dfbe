// The JSON API behind the dashboard, and the write endpoints (uploads, field reports).
#include <fmt/format.h>
#include <openssl/rand.h>

#include <charconv>
#include <cmath>
#include <exception>
#include <fstream>
#include <thread>

#include "analysis/analysis.h"
#include "ingest/ingest.h"
#include "server/internal.h"
#include "store/export.h"

namespace tahadhari::server::internal {
namespace {

using nlohmann::json;

constexpr int64_t kDefaultMaxPoints = 200000;
constexpr int64_t kMaxPoints = 2000000;
constexpr size_t kFacetActors = 200;
constexpr size_t kShownRejects = 100;
constexpr size_t kReportIdBytes = 12;

json StatsJson(const analysis::StatsResult& r) {
  json j = {{"keys", r.key_names},
            {"total", {{"events", r.total_events}, {"fatalities", r.total_fatalities}}},
            {"rows", json::array()}};
  for (const auto& row : r.rows) {
    json o;
    for (size_t i = 0; i < row.keys.size(); ++i) o[r.key_names[i]] = row.keys[i];
    o["events"] = row.events;
    o["fatalities"] = row.fatalities;
    j["rows"].push_back(std::move(o));
  }
  return j;
}

std::vector<analysis::StatKey> KeysParam(const httplib::Request& req, const char* name) {
  const std::string v = req.has_param(name) ? req.get_param_value(name) : "";
  if (v.empty()) throw HttpError{400, "MissingParameterValue", std::string(name) + ": required"};
  std::vector<analysis::StatKey> keys;
  size_t start = 0;
  while (start <= v.size()) {
    const size_t comma = v.find(',', start);
    const std::string part =
        v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto k = analysis::ParseStatKey(part);
    if (!k) {
      throw HttpError{
          400, "InvalidParameterValue",
          fmt::format("{}: unknown key '{}' (expected {})", name, part, analysis::kStatKeyNames)};
    }
    keys.push_back(*k);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (keys.size() > 2) {
    throw HttpError{400, "InvalidParameterValue", std::string(name) + ": at most two keys"};
  }
  return keys;
}

// Throws 400 for a malformed Content-Length and 413 when it announces more than `max` bytes.
void CheckContentLength(const httplib::Request& req, size_t max) {
  if (!req.has_header("Content-Length")) return;
  const std::string v = req.get_header_value("Content-Length");
  uint64_t n = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec == std::errc::result_out_of_range) {
    throw HttpError{413, "PayloadTooLarge", fmt::format("body larger than {} bytes", max)};
  }
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) {
    throw HttpError{400, "InvalidParameterValue", "Content-Length: not a number of bytes"};
  }
  if (n > max)
    throw HttpError{413, "PayloadTooLarge", fmt::format("body larger than {} bytes", max)};
}

// Reads a POST body through `reader` up to `max` bytes; throws 413 beyond it.
std::string ReadBody(const httplib::Request& req, const httplib::ContentReader& reader,
                     size_t max) {
  CheckContentLength(req, max);
  std::string body;
  bool too_large = false;
  reader([&](const char* data, size_t n) {
    if (body.size() + n > max) {
      too_large = true;
      return false;
    }
    body.append(data, n);
    return true;
  });
  if (too_large)
    throw HttpError{413, "PayloadTooLarge", fmt::format("body larger than {} bytes", max)};
  return body;
}

// Wraps a write handler (content reader) with editor authorisation and JSON errors.
httplib::Server::HandlerWithContentReader GuardWrite(
    Context& ctx, std::function<void(const httplib::Request&, httplib::Response&,
                                     const httplib::ContentReader&, const store::Store::TokenInfo&)>
                      handler) {
  return [&ctx, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res,
                                              const httplib::ContentReader& reader) {
    RespondWithErrors(res, [&] {
      const auto who = ctx.Authorize(req, /*write_access=*/true);
      handler(req, res, reader, *who);
    });
  };
}

std::string RandomId() {
  std::array<unsigned char, kReportIdBytes> r{};
  if (RAND_bytes(r.data(), static_cast<int>(r.size())) != 1) {
    throw HttpError{500, "ServerError", "no secure random bytes for an id"};
  }
  std::string s;
  for (unsigned char c : r) s += fmt::format("{:02x}", c);
  return s;
}

std::string Str(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return {};
  if (!j[key].is_string()) {
    throw HttpError{400, "InvalidParameterValue", std::string(key) + ": expected a string"};
  }
  return j[key].get<std::string>();
}

// A field report (POST /api/incidents) as an Event; throws 400 naming the bad field.
Event ReportEvent(const json& j, const std::string& reporter) {
  auto bad = [](const std::string& field, const std::string& why) {
    return HttpError{400, "InvalidParameterValue", field + ": " + why};
  };
  if (!j.is_object()) throw bad("body", "expected a JSON object");
  Event e;
  e.source = Str(j, "source").empty() ? "report" : Str(j, "source");
  if (e.source != "report" && e.source != "news") {
    throw bad("source", "expected report (a field report) or news (an item read from an article)");
  }
  e.source_id = RandomId();
  const auto date = Date::ParseIso(Str(j, "date"));
  if (!date) throw bad("date", "required, as YYYY-MM-DD");
  e.date_start = e.date_end = *date;
  if (!j.contains("lat") || !j.contains("lon") || !j["lat"].is_number() || !j["lon"].is_number()) {
    throw bad("lat/lon", "required as numbers (place-name lookup needs the news gazetteer)");
  }
  const LatLon p{Degrees{j["lat"].get<double>()}, Degrees{j["lon"].get<double>()}};
  if (!p.IsValid()) throw bad("lat/lon", "out of range (latitude ±90, longitude ±180)");
  e.location = p;
  e.event_type = Str(j, "event_type");
  bool known = false;
  for (auto t : kEventTypes) known = known || t == e.event_type;
  if (!known) {
    throw bad("event_type",
              "expected one of Battles, Explosions/Remote violence, Violence "
              "against civilians, Protests, Riots, Strategic developments");
  }
  e.sub_event_type = Str(j, "sub_event_type");
  e.actor1.name = Str(j, "actor1");
  e.actor2.name = Str(j, "actor2");
  e.country_iso3 = Str(j, "country");
  e.admin1 = Str(j, "admin1");
  e.admin2 = Str(j, "admin2");
  e.place = Str(j, "place");
  e.notes = Str(j, "description");
  e.url = Str(j, "url");
  e.reported_by = reporter;
  if (j.contains("fatalities") && !j["fatalities"].is_null()) {
    if (!j["fatalities"].is_number_integer() || j["fatalities"].get<int64_t>() < 0) {
      throw bad("fatalities", "expected a whole number >= 0, or null for unknown");
    }
    e.fatalities = j["fatalities"].get<int32_t>();
  }
  return e;
}

}  // namespace

void AddApiRoutes(httplib::Server& svr, Context& ctx) {
  svr.Get("/api/stats", Guard(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
            const auto keys = KeysParam(req, "by");
            const auto filter = FilterFromQuery(req);
            const auto columns = ctx.columns->Get();
            const auto rows = columns->Select(filter, store::ColumnIndex::SelectOrder::kAny);
            Send(res, 200, StatsJson(analysis::ComputeStats(*columns, rows, keys)));
          }));

  svr.Get("/api/timeline", Guard(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
            const std::string name =
                req.has_param("interval") ? req.get_param_value("interval") : "month";
            const auto interval = analysis::ParseStatKey(name);
            if (!interval || !analysis::IsTimeKey(*interval)) {
              throw HttpError{400, "InvalidParameterValue",
                              "interval: expected day, week, month or year, got '" + name + "'"};
            }
            const auto filter = FilterFromQuery(req);
            const auto columns = ctx.columns->Get();
            const auto rows = columns->Select(filter, store::ColumnIndex::SelectOrder::kAny);
            const auto t =
                analysis::ComputeTimeline(*columns, rows, *interval, filter.from, filter.to);
            json buckets = json::array();
            for (const auto& b : t.buckets) {
              buckets.push_back({{"start", b.start.ToIso()},
                                 {"label", b.label},
                                 {"events", b.events},
                                 {"fatalities", b.fatalities}});
            }
            Send(res, 200,
                 {{"interval", name},
                  {"buckets", buckets},
                  {"total", {{"events", t.total_events}, {"fatalities", t.total_fatalities}}}});
          }));

  svr.Get("/api/points", Guard(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
            const auto filter = FilterFromQuery(req);
            const int64_t max = IntParam(req, "max", kDefaultMaxPoints, 1, kMaxPoints, true);
            const auto columns = ctx.columns->Get();
            const auto rows = columns->Select(filter);
            const auto lat = columns->lat(), lon = columns->lon();
            const auto fid = columns->fid();
            const auto day = columns->day();
            const auto fat = columns->fatalities();
            const auto type = columns->codes(store::ColumnIndex::Dim::kType);
            const auto& types = columns->dictionary(store::ColumnIndex::Dim::kType);
            std::string body;
            int64_t unlocated = 0, written = 0;
            // Hand-formatted: a 100,000-point answer would spend most of its time in a JSON DOM.
            body.reserve(rows.size() * 48 + 256);
            body += R"({"points":[)";
            for (const uint32_t r : rows) {
              if (std::isnan(lat[r])) {
                ++unlocated;
                continue;
              }
              if (written == max) continue;
              if (written > 0) body += ',';
              body += fmt::format(R"([{},{:.5f},{:.5f},{},{},"{}"])", fid[r], lat[r], lon[r],
                                  type[r] < types.size() ? type[r] : 0U, fat[r],
                                  Date::FromDays(day[r]).ToIso());
              ++written;
            }
            body += fmt::format(
                R"(],"numberMatched":{},"numberReturned":{},"unlocated":{},"types":{}}})",
                rows.size() - static_cast<size_t>(unlocated), written, unlocated,
                json(types).dump(-1, ' ', false, json::error_handler_t::replace));
            res.set_content(std::move(body), "application/json");
          }));

  svr.Get("/api/facets", Guard(ctx, [&ctx](const httplib::Request& req, httplib::Response& res) {
            const auto filter = FilterFromQuery(req);
            const auto columns = ctx.columns->Get();
            const auto rows = columns->Select(filter, store::ColumnIndex::SelectOrder::kAny);
            json out = json::object();
            const std::pair<const char*, analysis::StatKey> facets[] = {
                {"type", analysis::StatKey::kType},       {"sub_type", analysis::StatKey::kSubType},
                {"country", analysis::StatKey::kCountry}, {"admin1", analysis::StatKey::kAdmin1},
                {"source", analysis::StatKey::kSource},   {"actor", analysis::StatKey::kActor}};
            for (const auto& [name, key] : facets) {
              const analysis::StatKey keys[] = {key};
              const auto r = analysis::ComputeStats(*columns, rows, keys);
              json values = json::array();
              for (const auto& row : r.rows) {
                if (row.keys[0].empty()) continue;
                if (key == analysis::StatKey::kActor && values.size() >= kFacetActors) break;
                values.push_back({row.keys[0], row.events});
              }
              out[name] = values;
            }
            Send(res, 200, out);
          }));

  svr.Get("/api/info", Guard(ctx, [&ctx](const httplib::Request&, httplib::Response& res) {
            const auto columns = ctx.columns->Get();
            json info = {{"events", columns->size()},
                         {"generation", columns->generation()},
                         {"read_token_required", ctx.options.read_token_required},
                         {"extract_available", static_cast<bool>(ctx.options.extract)}};
            if (columns->size() > 0) {
              const auto order = columns->by_day();
              info["from"] = Date::FromDays(columns->day()[order.front()]).ToIso();
              info["to"] = Date::FromDays(columns->day()[order.back()]).ToIso();
            }
            json sources = json::array();
            for (const auto& s : columns->dictionary(store::ColumnIndex::Dim::kSource))
              if (!s.empty()) sources.push_back(s);
            info["sources"] = sources;
            Send(res, 200, info);
          }));

  svr.Post("/api/extract", [&ctx](const httplib::Request& req, httplib::Response& res,
                                  const httplib::ContentReader& reader) {
    RespondWithErrors(res, [&] {
      ctx.Authorize(req, /*write_access=*/false);
      if (!ctx.options.extract) {
        throw HttpError{501, "NotImplemented", "news extraction is not available in this build"};
      }
      const std::string text = ReadBody(req, reader, ctx.options.max_json_bytes * 8);
      std::optional<Date> published;
      if (req.has_param("published") && !req.get_param_value("published").empty()) {
        published = Date::ParseIso(req.get_param_value("published"));
        if (!published) {
          throw HttpError{400, "InvalidParameterValue", "published: expected YYYY-MM-DD"};
        }
      }
      Send(res, 200, ctx.options.extract(text, published));
    });
  });

  svr.Post(
      "/api/ingest", GuardWrite(ctx, [&ctx](const httplib::Request& req, httplib::Response& res,
                                            const httplib::ContentReader& reader,
                                            const store::Store::TokenInfo& who) {
        const size_t max = ctx.options.max_upload_bytes;
        CheckContentLength(req, max);
        std::string name =
            req.has_param("filename") ? req.get_param_value("filename") : std::string("upload.csv");
        name = std::filesystem::path(name).filename().string();  // no folders from clients
        if (name.empty() || name == "." || name == "..") name = "upload.csv";
        const auto dir = std::filesystem::absolute(ctx.options.store).parent_path();
        const auto tmp = dir / fmt::format(".upload-{}-{}", RandomId(), name);
        struct Remove {
          std::filesystem::path p;
          ~Remove() {
            std::error_code ec;
            std::filesystem::remove(p, ec);
          }
        } remove{tmp};
        {
          // Streamed to disk: the body never sits whole in memory.
          std::ofstream out(tmp, std::ios::binary);
          if (!out)
            throw HttpError{500, "ServerError", "cannot write a temporary file in " + dir.string()};
          size_t total = 0;
          bool too_large = false;
          reader([&](const char* data, size_t n) {
            total += n;
            if (total > max) {
              too_large = true;
              return false;
            }
            out.write(data, static_cast<std::streamsize>(n));
            return static_cast<bool>(out);
          });
          if (too_large) {
            throw HttpError{413, "PayloadTooLarge",
                            fmt::format("upload larger than {} bytes (--max-upload-mb)", max)};
          }
          if (!out.flush())
            throw HttpError{500, "ServerError", "cannot write the upload (disk full?)"};
        }
        ingest::IngestOptions opts;
        if (req.has_param("format")) opts.format = req.get_param_value("format");
        json rejects = json::array();
        opts.on_reject = [&](const store::Reject& r) {
          if (rejects.size() < kShownRejects) {
            rejects.push_back({{"line", r.line},
                               {"field", r.error.field},
                               {"value", r.error.value},
                               {"reason", r.error.reason}});
          }
        };
        store::IngestLog log;
        {
          std::lock_guard lock(ctx.write_mu);
          // On a thread of its own: a large upload lowers the ingest's CPU priority so that
          // this server's readers stay fast (IngestOptions::yield_to_readers), and a pool
          // thread must not keep that priority.
          std::exception_ptr error;
          std::thread worker([&] {
            try {
              log = ingest::IngestFile(*ctx.write, tmp, opts);
            } catch (...) {
              error = std::current_exception();
            }
          });
          worker.join();
          if (error) std::rethrow_exception(error);
        }
        ctx.columns->RefreshNow();
        Send(res, 200,
             {{"file", name},
              {"uploaded_by", who.name},
              {"source", log.format},
              {"read", log.read},
              {"inserted", log.inserted},
              {"updated", log.updated},
              {"unchanged", log.unchanged},
              {"rejected", log.rejected},
              {"seconds", log.seconds},
              {"rejects", rejects}});
      }));

  svr.Post("/api/incidents",
           GuardWrite(ctx, [&ctx](const httplib::Request& req, httplib::Response& res,
                                  const httplib::ContentReader& reader,
                                  const store::Store::TokenInfo& who) {
             const std::string body = ReadBody(req, reader, ctx.options.max_json_bytes);
             const json j = json::parse(body, nullptr, false);
             if (j.is_discarded()) throw HttpError{400, "InvalidInput", "body: not valid JSON"};
             const Event e = ReportEvent(j, who.name);
             {
               std::lock_guard lock(ctx.write_mu);
               auto batch = ctx.write->BeginBatch({"api:incidents", e.source, 1});
               batch->Upsert(e);
               batch->LogIngest({"api:incidents", e.source, 1, 1, 0, 0, 0, 0.0});
               batch->Commit();
             }
             ctx.columns->RefreshNow();
             // Report back what was stored, as stored.
             auto& reader_store = ThreadStore(ctx.options.store);
             if (const auto fid = reader_store.FindFid(e.source, e.source_id)) {
               const int64_t fids[] = {*fid};
               const auto stored = reader_store.Fetch(fids);
               if (!stored.empty()) {
                 return Send(res, 201, store::EventFeature(stored.front()), "application/geo+json");
               }
             }
             Send(res, 201, {{"source", "report"}, {"source_id", e.source_id}});
           }));
}

}  // namespace tahadhari::server::internal
