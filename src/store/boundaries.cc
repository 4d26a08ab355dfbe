// Store: administrative boundaries as the GeoPackage feature table `boundaries`.
#include <cassert>

#include "store/gpkg.h"
#include "store/impl.h"

namespace tahadhari::store {

void Store::ReplaceBoundaries(const std::string& level, const std::string& source,
                              const std::vector<geo::Boundary>& boundaries) {
  assert(impl_->mode == Mode::kReadWrite);
  sqlite3* db = impl_->db.get();
  sql::Exec(db, "BEGIN IMMEDIATE");
  try {
    sql::Stmt del(db, "DELETE FROM boundaries WHERE level = ? AND source = ?");
    del.BindText(1, level).BindText(2, source);
    del.Run();
    sql::Stmt ins(db, "INSERT INTO boundaries (geom, level, name, properties, source) "
                      "VALUES (?, ?, ?, ?, ?)");
    for (const auto& b : boundaries) {
      const auto blob = gpkg::EncodeWkb(b.wkb, b.min_x, b.max_x, b.min_y, b.max_y);
      ins.BindBlob(1, blob.data(), static_cast<int>(blob.size()))
          .BindText(2, level)
          .BindText(3, b.name)
          .BindText(4, b.properties_json)
          .BindText(5, source);
      ins.Run();
    }
    sql::Exec(db, "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                  "WHERE table_name = 'boundaries'; COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<geo::Boundary> Store::Boundaries(const std::string& level) {
  sql::Stmt s(impl_->db.get(),
              "SELECT name, properties, geom FROM boundaries WHERE (?1 = '' OR level = ?1) "
              "ORDER BY name");
  s.BindText(1, level);
  std::vector<geo::Boundary> out;
  while (s.Step()) {
    geo::Boundary b;
    b.name = s.Text(0);
    b.properties_json = s.Text(1);
    const auto wkb = gpkg::WkbOf(s.Blob(2));
    b.wkb.assign(wkb.begin(), wkb.end());
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace tahadhari::store
