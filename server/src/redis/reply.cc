#include "redis/reply.h"

#include <hiredis/hiredis.h>

namespace seatgate::redis {

reply from_hiredis(const redisReply* r) {
  reply out;
  if (r == nullptr) return out;
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      out.type = reply::kind::integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
      out.type = reply::kind::string;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = reply::kind::status;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = reply::kind::error;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      out.type = reply::kind::array;
      out.elements.reserve(r->elements);
      for (std::size_t i = 0; i < r->elements; ++i)
        out.elements.push_back(from_hiredis(r->element[i]));
      break;
    case REDIS_REPLY_NIL:
    default:
      break;
  }
  return out;
}

}  // namespace seatgate::redis
