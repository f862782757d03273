#include "http/static_files.h"

#include "http/problem.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/stat.h>

namespace seatgate::http {

namespace fs = std::filesystem;

std::string_view mime_type(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> k_types{{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".wasm", "application/wasm"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
      {".ts", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  }};
  auto dot = path.rfind('.');
  auto slash = path.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
    return "application/octet-stream";
  auto ext = path.substr(dot);
  for (const auto& [e, t] : k_types)
    if (e == ext) return t;
  return "application/octet-stream";
}

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes a URL path; nullopt on bad escapes or NUL bytes.
std::optional<std::string> decode_path(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int h = hex(in[i + 1]), l = hex(in[i + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      c = static_cast<char>(h * 16 + l);
      i += 2;
    }
    if (c == '\0') return std::nullopt;
    out.push_back(c);
  }
  return out;
}

bhttp::response<bhttp::string_body> not_found(const bhttp::request<bhttp::string_body>& req) {
  return make_problem({"not_found", "no such file"}, req.version(), req.keep_alive());
}

}  // namespace

bhttp::response<bhttp::string_body> serve_static(const std::string& root,
                                                 const bhttp::request<bhttp::string_body>& req) {
  std::string_view target = req.target();
  target = target.substr(0, target.find_first_of("?#"));
  auto decoded = decode_path(target);
  if (!decoded || decoded->empty() || decoded->front() != '/') return not_found(req);
  // Refuse any ".." segment outright, then check the resolved path is inside root.
  fs::path rel = fs::path(decoded->substr(1)).lexically_normal();
  for (const auto& part : rel)
    if (part == "..") return not_found(req);
  fs::path full = fs::path(root) / rel;
  std::error_code ec;
  if (fs::is_directory(full, ec)) full /= "index.html";
  fs::path canon = fs::weakly_canonical(full, ec);
  if (ec) return not_found(req);
  auto canon_s = canon.string();
  if (canon_s.compare(0, root.size(), root) != 0 ||
      (canon_s.size() > root.size() && canon_s[root.size()] != '/'))
    return not_found(req);
  struct stat st {};
  if (::stat(canon_s.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return not_found(req);

  std::string etag = "\"" + std::to_string(st.st_size) + "-" + std::to_string(st.st_mtime) + "\"";
  bhttp::response<bhttp::string_body> res;
  res.version(req.version());
  res.keep_alive(req.keep_alive());
  res.set(bhttp::field::etag, etag);
  auto type = mime_type(canon_s);
  bool is_html = type.starts_with("text/html");
  // HTML is revalidated every time so a new deploy shows at once; assets are
  // revalidated after 5 minutes (no content hashes in the demo's file names).
  res.set(bhttp::field::cache_control, is_html ? "no-cache" : "public, max-age=300");
  res.set("X-Content-Type-Options", "nosniff");
  if (auto inm = req[bhttp::field::if_none_match]; !inm.empty() && inm == etag) {
    res.result(bhttp::status::not_modified);
    return res;
  }
  std::ifstream in(canon_s, std::ios::binary);
  if (!in) return not_found(req);
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  res.result(bhttp::status::ok);
  res.set(bhttp::field::content_type, type);
  if (req.method() == bhttp::verb::head) {
    res.content_length(body.size());
  } else {
    res.body() = std::move(body);
    res.prepare_payload();
  }
  return res;
}

}  // namespace seatgate::http
