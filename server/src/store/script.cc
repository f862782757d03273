#include "store/script.h"

#include "store/decode.h"

namespace seatgate::store {

boost::asio::awaitable<result<redis::reply>> run(redis::connection& conn, lua::script s,
                                                 std::vector<std::string> keys,
                                                 std::vector<std::string> args,
                                                 bool read_only) {
  auto [ec, reply] =
      co_await conn.eval(s, std::move(keys), std::move(args), read_only, is_durable(s));
  if (ec) co_return storage_error(ec);
  if (auto e = error_of(reply)) co_return std::move(*e);
  co_return std::move(reply);
}

}  // namespace seatgate::store
