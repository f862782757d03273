#include "header.h"

#include <cctype>

namespace seatgate::test {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// "NAME = {a, b{c, d}, e (f, g)}" -> {"a", "b{c, d}", "e (f, g)"}: the
// elements of the braced list after `label`, split at top-level commas.
std::optional<std::vector<std::string>> braced_list(std::string_view text, std::string_view label) {
  const auto at = text.find(label);
  if (at == std::string_view::npos) return std::nullopt;
  std::vector<std::string> out;
  std::string item;
  int depth = 0;
  for (std::size_t i = at + label.size(); i < text.size(); ++i) {
    const char c = text[i];
    if (depth == 0 && (c == ',' || c == '}')) {
      if (!trim(item).empty()) out.emplace_back(trim(item));
      item.clear();
      if (c == '}') return out;
      continue;
    }
    if (c == '{' || c == '(') ++depth;
    if (c == '}' || c == ')') --depth;
    item += c;
  }
  return std::nullopt;  // unterminated
}

// An argument name without its note: "claim_gen (\"\" = none)" -> "claim_gen".
std::string arg_name(std::string_view item) {
  const auto paren = item.find('(');
  return std::string(trim(item.substr(0, paren)));
}

}  // namespace

std::string header_comment(const lua::script_source& s) {
  const std::string start = "\n-- " + std::string(s.name) + ":";
  auto at = s.text.find(start);
  if (at == std::string_view::npos) return {};
  std::string out;
  for (++at; at < s.text.size() && s.text.compare(at, 2, "--") == 0;) {
    const auto end = std::min(s.text.find('\n', at), s.text.size());
    out.append(trim(s.text.substr(at + 2, end - at - 2))).append(" ");
    at = end + 1;
  }
  return out;
}

documented_call parse_header(std::string_view header) {
  documented_call d;
  d.keys = braced_list(header, "KEYS = {");
  if (auto args = braced_list(header, "ARGV = {")) {
    d.args.emplace();
    for (const auto& a : *args) d.args->push_back(arg_name(a));
  }
  return d;
}

listed_items listed(const std::vector<std::string>& items) {
  listed_items out;
  for (const auto& a : items) {
    if (a == "...") {
      out.more = true;
      continue;
    }
    const bool optional = a.ends_with("?");
    out.names.push_back(optional ? a.substr(0, a.size() - 1) : a);
    if (!optional) out.required = out.names.size();
  }
  return out;
}

expanded expand(std::string_view shape, const bindings& bind) {
  expanded out;
  auto put = [&](const std::string& name) {
    auto it = bind.find(name);
    if (it == bind.end()) {
      out.error = "no value for placeholder '" + name + "' in '" + std::string(shape) + "'";
      return;
    }
    out.key += it->second;
  };
  if (shape.starts_with("P ")) {
    put("P");
    shape.remove_prefix(2);
  }
  for (std::size_t i = 0; i < shape.size() && out.error.empty(); ++i) {
    const char c = shape[i];
    const bool alone =
        (i == 0 || !std::isalnum(static_cast<unsigned char>(shape[i - 1]))) &&
        (i + 1 == shape.size() || !std::isalnum(static_cast<unsigned char>(shape[i + 1])));
    if (c == '<') {
      const auto close = shape.find('>', i);
      if (close == std::string_view::npos) {
        out.error = "unterminated placeholder in '" + std::string(shape) + "'";
        break;
      }
      put(std::string(shape.substr(i + 1, close - i - 1)));
      i = close;
    } else if (std::isupper(static_cast<unsigned char>(c)) && alone) {
      put(std::string(1, c));
    } else {
      out.key += c;
    }
  }
  return out;
}

}  // namespace seatgate::test
