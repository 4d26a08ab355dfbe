// Store: access tokens, kept only as SHA-256 hashes.
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cassert>

#include <fmt/format.h>

#include "store/impl.h"

namespace tahadhari::store {
namespace {

constexpr size_t kTokenBytes = 32;  // 256 random bits
constexpr const char* kTokenPrefix = "thd_";

std::string Hex(const unsigned char* data, size_t n) {
  std::string out;
  out.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) out += fmt::format("{:02x}", data[i]);
  return out;
}

std::string Sha256Hex(std::string_view s) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  if (EVP_Digest(s.data(), s.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1) {
    throw StoreError("store: SHA-256 failed (OpenSSL)");
  }
  return Hex(digest.data(), len);
}

std::string_view RoleName(Store::Role r) { return r == Store::Role::kEditor ? "editor" : "viewer"; }

}  // namespace

std::string Store::CreateToken(const std::string& name, Role role) {
  assert(impl_->mode == Mode::kReadWrite && !name.empty());
  std::array<unsigned char, kTokenBytes> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw StoreError("store: no secure random bytes available for a token (OpenSSL RAND_bytes)");
  }
  const std::string token = kTokenPrefix + Hex(random.data(), random.size());
  sql::Stmt s(impl_->db.get(), "INSERT INTO tokens (name, role, sha256) VALUES (?, ?, ?)");
  s.BindText(1, name).BindText(2, RoleName(role)).BindText(3, Sha256Hex(token));
  s.Run();
  return token;
}

std::optional<Store::TokenInfo> Store::FindToken(std::string_view token) {
  if (token.empty()) return std::nullopt;
  sql::Stmt s(impl_->db.get(),
              "SELECT id, name, role FROM tokens WHERE sha256 = ? AND revoked_at IS NULL");
  s.BindText(1, Sha256Hex(token));
  if (!s.Step()) return std::nullopt;
  return TokenInfo{s.Int(0), std::string(s.Text(1)),
                   s.Text(2) == "editor" ? Role::kEditor : Role::kViewer};
}

int Store::RevokeTokens(const std::string& name) {
  assert(impl_->mode == Mode::kReadWrite);
  sql::Stmt s(impl_->db.get(),
              "UPDATE tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
              "WHERE name = ? AND revoked_at IS NULL");
  s.BindText(1, name);
  s.Run();
  return sqlite3_changes(impl_->db.get());
}

std::vector<Store::TokenInfo> Store::ListTokens() {
  sql::Stmt s(impl_->db.get(),
              "SELECT id, name, role FROM tokens WHERE revoked_at IS NULL ORDER BY id");
  std::vector<TokenInfo> out;
  while (s.Step()) {
    out.push_back({s.Int(0), std::string(s.Text(1)),
                   s.Text(2) == "editor" ? Role::kEditor : Role::kViewer});
  }
  return out;
}

}  // namespace tahadhari::store
