// A value or the error that stopped it: what every service returns.
// Services never answer with a status or a body; http/ decides both from
// the value (and flags such as `created`) or maps the error through its one
// table (http/problem.h).
#pragma once

#include "domain/errc.h"

#include <string>
#include <utility>
#include <variant>

namespace seatgate {

// An error with a detail (empty detail = the code's title).
inline error fail(errc code, std::string detail = {}) { return error{code, std::move(detail)}; }

template <class T>
class result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  result(error e) : v_(std::in_place_index<1>, std::move(e)) {}      // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Meaningful when !ok().
  const seatgate::error& failure() const& { return std::get<1>(v_); }
  seatgate::error&& failure() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, seatgate::error> v_;
};

}  // namespace seatgate
