// Serves a static site from a directory (--web-root): GET and HEAD only,
// no directory traversal, MIME types (application/wasm included), caching.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

namespace seatgate::http {

namespace bhttp = boost::beast::http;

std::string_view mime_type(std::string_view path);

// `root` must be a canonical absolute directory. Returns 200 with the file,
// 304 when If-None-Match matches, or 404 (problem) when the path is outside
// root, not a regular file or not readable.
bhttp::response<bhttp::string_body> serve_static(const std::string& root,
                                                 const bhttp::request<bhttp::string_body>& req);

}  // namespace seatgate::http
