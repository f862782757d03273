#include "store/room_calls.h"

#include "store/room_keys.h"

namespace seatgate::store {

using lua::script;

namespace {

std::string str(std::string_view s) { return std::string(s); }

// KEYS {P ev, P q, <between>..., P qp:U, P passes[, P pass:<pass>]}: the
// pass key only when the caller names a token.
std::vector<std::string> user_keys(const room_keys& k, std::string_view user,
                                   std::vector<std::string> between, std::string_view pass) {
  std::vector<std::string> keys = {k.event(), k.queue()};
  for (auto& b : between) keys.push_back(std::move(b));
  keys.push_back(k.user_pass(user));
  keys.push_back(k.passes());
  if (!pass.empty()) keys.push_back(k.pass(pass));
  return keys;
}

}  // namespace

script_call join_queue(std::string_view event_id, std::string_view user, std::string_view claim_gen,
                       std::string_view pass) {
  const room_keys k(event_id);
  script_call c{script::join_queue,
                user_keys(k, user, {k.queue_seq(), k.user_revoked(user)}, pass),
                {str(user), str(claim_gen)}};
  if (!pass.empty()) c.args.push_back(str(pass));
  return c;
}

script_call queue_position(std::string_view event_id, std::string_view user,
                           std::string_view pass) {
  const room_keys k(event_id);
  script_call c{script::queue_position, user_keys(k, user, {}, pass), {str(user)}};
  if (!pass.empty()) c.args.push_back(str(pass));
  return c;
}

script_call leave_queue(std::string_view event_id, std::string_view user,
                        std::string_view claim_gen, leave_mode mode, std::string_view pass) {
  const room_keys k(event_id);
  script_call c{script::leave_queue,
                user_keys(k, user, {k.user_revoked(user)}, pass),
                {str(user), str(claim_gen), mode == leave_mode::if_idle ? "if_idle" : "leave"}};
  if (!pass.empty()) c.args.push_back(str(pass));
  return c;
}

script_call peek_queue(std::string_view event_id, number max_users, number max_due) {
  const room_keys k(event_id);
  return {script::peek_queue,
          {k.event(), k.queue(), k.passes(), k.admits()},
          {max_users.text(), max_due.text()}};
}

script_call admit_queue(std::string_view event_id, const std::vector<std::string>& due,
                        const std::vector<std::string>& users,
                        const std::vector<std::string>& tokens) {
  const room_keys k(event_id);
  script_call c{script::admit_queue,
                {k.event(), k.queue(), k.passes(), k.admits()},
                {std::to_string(due.size())}};
  for (const auto& t : due) {
    c.keys.push_back(k.pass(t));
    c.args.push_back(t);
  }
  for (std::size_t i = 0; i < users.size() && i < tokens.size(); ++i) {
    c.keys.push_back(k.user_pass(users[i]));
    c.keys.push_back(k.pass(tokens[i]));
    c.args.push_back(users[i]);
    c.args.push_back(tokens[i]);
  }
  return c;
}

script_call delete_pass(std::string_view event_id, std::string_view token, std::string_view user) {
  const room_keys k(event_id);
  script_call c{script::delete_pass, {k.event(), k.passes(), k.pass(token)}, {str(token)}};
  if (!user.empty()) {
    c.keys.push_back(k.user_pass(user));
    c.args.push_back(str(user));
  }
  return c;
}

script_call claim_queue_slot(std::string_view user, std::string_view event_id, number limit,
                             number grace_ms) {
  return {script::claim_queue_slot,
          {user_queues_key(user), user_gen_key(user)},
          {str(event_id), limit.text(), grace_ms.text()}};
}

script_call release_queue_slot(std::string_view user, std::string_view event_id,
                               std::string_view claim_gen) {
  return {script::release_queue_slot, {user_queues_key(user)}, {str(event_id), str(claim_gen)}};
}

}  // namespace seatgate::store
