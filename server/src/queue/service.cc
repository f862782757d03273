#include "queue/service.h"

#include "store/decode.h"
#include "store/keys.h"
#include "store/room_calls.h"
#include "store/room_keys.h"
#include "util/log.h"
#include "util/random.h"
#include "util/time.h"

#include <algorithm>
#include <charconv>

namespace seatgate::queue {

namespace {

using redis::reply;
using store::field;
using store::number;

error limit_exceeded() {
  return fail(errc::queue_limit_exceeded,
              "already waiting in as many waiting rooms as allowed (max_queues_per_user); "
              "leave one first");
}

error unexpected_reply() { return error{errc::unavailable, "unexpected storage reply", true, 1}; }

bool is_ok(const reply& r) { return field(r, 0) == "OK"; }

// A position answer of join_queue / queue_position -> the state.
result<queue_state> state_of(const reply& r) {
  if (auto s = store::decode_queue_state(r, poll_after_ms)) return *s;
  return unexpected_reply();
}

// Either the error (including a Redis error) or nothing.
std::optional<error> error_of(const boost::system::error_code& ec, const reply& r) {
  if (ec) return store::storage_error(ec);
  return store::error_of(r);
}

// peek_queue's answer: {"OFF"} | {"LIVE", budget, n_due, due..., users...}.
struct peek {
  bool live = false;
  std::int64_t budget = 0;
  std::vector<std::string> due, users;
};

std::optional<peek> decode_peek(const reply& r) {
  peek p;
  if (field(r, 0) == "OFF") return p;
  if (field(r, 0) != "LIVE" || r.elements.size() < 3) return std::nullopt;
  p.live = true;
  p.budget = store::integer_of(r.elements[1]);
  const auto n_due =
      static_cast<std::size_t>(std::max<std::int64_t>(0, store::integer_of(r.elements[2])));
  for (std::size_t i = 3; i < r.elements.size(); ++i)
    (i < 3 + n_due ? p.due : p.users).push_back(r.elements[i].str);
  return p;
}

}  // namespace

template <typename Build>
net::awaitable<redis::result> service::eval_with_pass(Build build, bool read_only) {
  std::string pass;
  redis::result out;
  for (int round = 0; round < k_declare_rounds; ++round) {
    auto [script, keys, args] = build(pass);
    out = co_await conn_.eval(script, std::move(keys), std::move(args), read_only);
    if (out.first || field(out.second, 0) != "PASS") break;
    pass = field(out.second, 1);
  }
  co_return out;
}

std::int64_t poll_after_ms(std::int64_t position, std::int64_t admit_per_s) {
  if (admit_per_s <= 0) return 5000;
  return std::clamp<std::int64_t>(position * 500 / admit_per_s, 500, 5000);
}

net::awaitable<result<queue_state>> service::position(const std::string& user,
                                                      const std::string& event_id) {
  auto [ec, r] = co_await eval_with_pass(
      [&](const std::string& pass) { return store::queue_position(event_id, user, pass); }, true);
  if (auto e = error_of(ec, r)) co_return std::move(*e);
  if (field(r, 1) == "admitted") co_await release_claim(user, event_id);
  co_return state_of(r);
}

net::awaitable<void> service::release_claim(const std::string& user, const std::string& event_id) {
  redis::command zscore{"ZSCORE", store::user_queues_key(user), event_id};
  auto [ec, score] = co_await conn_.command(std::move(zscore));
  if (ec || score.type != reply::kind::string)
    co_return;  // none (the usual case), or retried later
  co_await release_if_idle(user, event_id, score.str);
}

net::awaitable<result<queue_state>> service::join(const std::string& user,
                                                  const std::string& event_id) {
  // Another round only when a concurrent clean-up revoked this claim; a user
  // whose claims keep being revoked is told to retry, never that they are
  // over the limit (they are not).
  constexpr int k_join_rounds = 4;
  for (int round = 0; round < k_join_rounds; ++round) {
    auto [ec, pos] = co_await eval_with_pass(
        [&](const std::string& pass) { return store::queue_position(event_id, user, pass); }, true);
    if (auto e = error_of(ec, pos)) co_return std::move(*e);
    if (field(pos, 1) == "admitted") co_await release_claim(user, event_id);
    if (field(pos, 1) != "not_joined") co_return state_of(pos);  // waiting, admitted, room off
    const std::string limit = field(pos, 2);

    // Claim a place in the user's set; when full, release idle claims once.
    std::string gen;
    for (int attempt = 0; attempt < 2 && gen.empty(); ++attempt) {
      auto [cs, ckeys, cargs] =
          store::claim_queue_slot(user, event_id, store::number::verbatim(limit), k_claim_grace_ms);
      auto [ec2, claim] = co_await conn_.eval(cs, std::move(ckeys), std::move(cargs));
      if (ec2) co_return store::storage_error(ec2);
      if (is_ok(claim)) {
        gen = field(claim, 2);
        break;
      }
      if (field(claim, 0) != "FULL") co_return unexpected_reply();
      bool freed = false;
      for (std::size_t i = 2; attempt == 0 && i + 1 < claim.elements.size(); i += 2)
        freed = (co_await release_if_idle(user, field(claim, i), field(claim, i + 1))) || freed;
      if (!freed) co_return limit_exceeded();
    }
    if (gen.empty()) co_return limit_exceeded();

    auto [ec3, joined] = co_await eval_with_pass(
        [&](const std::string& pass) { return store::join_queue(event_id, user, gen, pass); });
    auto e = error_of(ec3, joined);
    if (!e && field(joined, 1) == "waiting") {
      if (field(joined, 4) == "1") {
        // The admission loop's list; also written on upsert, so a failure
        // here is only logged.
        redis::command sadd{"SADD", store::k_rooms_key, event_id};
        auto [ec4, r4] = co_await conn_.command(std::move(sadd));
        if (ec4 || r4.is_error()) {
          nlohmann::json fields{{"event_id", event_id}};
          log::warn("could not register the waiting room", fields);
        }
      }
      co_return state_of(joined);
    }
    // Not waiting (room off, event gone, admitted meanwhile, or an error that
    // may or may not have joined): give the claim back unless U is waiting.
    co_await release_if_idle(user, event_id, gen);
    if (store::refusal_code(joined) == "claim_revoked") continue;
    if (e) co_return std::move(*e);
    co_return state_of(joined);
  }
  co_return error{errc::unavailable, "the waiting room is busy; retry the join", true, 1};
}

net::awaitable<bool> service::release_if_idle(const std::string& user, const std::string& event_id,
                                              const std::string& gen) {
  auto [script, keys, args] = store::leave_queue(event_id, user, gen, store::leave_mode::if_idle);
  auto [ec, r] = co_await conn_.eval(script, std::move(keys), std::move(args));
  if (ec || !is_ok(r) || field(r, 1) != "idle") co_return false;
  auto [us, ukeys, uargs] = store::release_queue_slot(user, event_id, gen);
  auto [ec2, r2] = co_await conn_.eval(us, std::move(ukeys), std::move(uargs));
  co_return !ec2 && is_ok(r2) && field(r2, 1) == "1";
}

net::awaitable<result<queue_state>> service::leave(const std::string& user,
                                                   const std::string& event_id) {
  redis::command zscore{"ZSCORE", store::user_queues_key(user), event_id};
  auto [ec, score] = co_await conn_.command(std::move(zscore));
  if (ec) co_return store::storage_error(ec);
  if (score.is_error()) co_return error{errc::unavailable, "storage error", true, 1};
  const std::string gen = score.type == reply::kind::string ? score.str : std::string();

  auto [ec2, r] = co_await eval_with_pass([&](const std::string& pass) {
    return store::leave_queue(event_id, user, gen, store::leave_mode::leave, pass);
  });
  if (auto e = error_of(ec2, r)) co_return std::move(*e);
  if (!gen.empty()) {
    // A failure leaves a stale claim: it only counts against the user until
    // a later join finds the set full and releases it.
    auto [us, ukeys, uargs] = store::release_queue_slot(user, event_id, gen);
    co_await conn_.eval(us, std::move(ukeys), std::move(uargs));
  }
  co_return queue_state{queue_state::kind::left};
}

net::awaitable<std::optional<bool>> service::live(const std::string& event_id) {
  auto [script, keys, args] = store::peek_queue(event_id, 0, 0);
  auto [ec, r] = co_await conn_.eval(script, std::move(keys), std::move(args), true);
  auto p = ec ? std::nullopt : decode_peek(r);
  if (!p) co_return std::nullopt;
  co_return p->live;
}

net::awaitable<std::optional<admission>> service::admit_round(const std::string& event_id) {
  admission out;
  bool failed = false;
  std::size_t want = k_admit_first_batch;
  for (int call = 0; call < k_admit_max_calls && want > 0; ++call) {
    auto [ps, pkeys, pargs] = store::peek_queue(event_id, want, k_prune_max_batch);
    auto [ec, pr] = co_await conn_.eval(ps, std::move(pkeys), std::move(pargs), true);
    auto p = ec ? std::nullopt : decode_peek(pr);
    if ((failed = !p)) break;
    out.live = p->live;
    if (!p->live || (p->users.empty() && p->due.empty())) co_return out;

    std::vector<std::string> tokens;
    tokens.reserve(p->users.size());
    for (std::size_t i = 0; i < p->users.size(); ++i) tokens.push_back(util::random_token(16));
    auto [script, keys, args] = store::admit_queue(event_id, p->due, p->users, tokens);
    auto [ec2, r] = co_await conn_.eval(script, std::move(keys), std::move(args));
    if ((failed = ec2 || !is_ok(r) || r.elements.size() < 3)) break;
    out.admitted += store::integer_of(r.elements[1]);
    want = static_cast<std::size_t>(std::clamp<std::int64_t>(
        store::integer_of(r.elements[2]), 0, static_cast<std::int64_t>(k_admit_max_batch)));
  }
  if (failed && out.admitted == 0) co_return std::nullopt;
  co_return out;
}

net::awaitable<bool> service::delete_pass(const std::string& event_id, const std::string& token) {
  // The pass's user (for P qp:U) is known only to Redis: the script names it
  // when the first call did not (store/room_calls.h).
  std::string user;
  for (int round = 0; round < k_declare_rounds; ++round) {
    auto [script, keys, args] = store::delete_pass(event_id, token, user);
    auto [ec, r] = co_await conn_.eval(script, std::move(keys), std::move(args));
    if (ec || field(r, 0) != "OWNER") co_return !ec && is_ok(r);
    user = field(r, 1);
  }
  co_return false;
}

}  // namespace seatgate::queue
