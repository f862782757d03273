// The waiting room (docs/waiting-room.md): join, position, leave, one
// admission round, and pass deletion, as script calls on the calling
// thread's Redis connection. No HTTP here: http/ renders the states.
//
// A user's rooms live in the user's own Cluster slot (`sg:{u:<user>}:queues`),
// an event's room in the event's slot; no script spans both. Joining is
// therefore: read the position (nothing to do if already waiting, admitted,
// or the room is off) -> claim a place in the user's set (atomic, enforces
// max_queues_per_user) -> join on the event's slot with that claim's
// generation -> on failure, give the claim back. The invariant: a user
// waiting in a room always has a claim on it; a claim without a waiting user
// (after admission, or a crash between the steps) is only stale: it is
// released when the user is told they are admitted, or when a later join
// finds the set full.
#pragma once

#include "domain/queue_state.h"
#include "domain/result.h"
#include "redis/connection.h"

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace seatgate::queue {

namespace net = boost::asio;

// Claims younger than this are never checked for release by another join of
// the same user: they most likely belong to a join still in flight.
inline constexpr int k_claim_grace_ms = 2000;
// Pass tokens sent with the first admit call of a round, and the most per call.
inline constexpr std::size_t k_admit_first_batch = 16;
inline constexpr std::size_t k_admit_max_batch = 256;
// Admit calls per event per round at most (bounds one round's work).
inline constexpr int k_admit_max_calls = 32;
// Expired passes one admit call prunes at most (each is a declared key).
inline constexpr std::size_t k_prune_max_batch = 256;
// Calls of one script at most when it keeps naming a key the caller did not
// declare ({"PASS", token} / {"OWNER", user}, see store/room_calls.h): a
// value changes only on admission, leave or deletion, so two suffice unless
// those race.
inline constexpr int k_declare_rounds = 4;

// One admission round's outcome. `live` false: the event is unknown, its
// room off or the event closed (the admission loop drops it from sg:rooms).
struct admission {
  long long admitted = 0;
  bool live = true;
};

// When a waiting client should ask again: about half its expected wait
// (position / admit_per_s seconds), within [500, 5000] ms.
std::int64_t poll_after_ms(std::int64_t position, std::int64_t admit_per_s);

class service {
 public:
  explicit service(redis::connection& conn) : conn_(conn) {}

  // POST /v1/events/{id}/queue: waiting, admitted or not_required; errors
  // event_not_found, queue_limit_exceeded, unavailable.
  net::awaitable<result<queue_state>> join(const std::string& user, const std::string& event_id);
  // GET /v1/events/{id}/queue/me: as join, or not_joined.
  net::awaitable<result<queue_state>> position(const std::string& user,
                                               const std::string& event_id);
  // DELETE /v1/events/{id}/queue/me: left (also when the user was not
  // waiting); an unused pass of the user is given back.
  net::awaitable<result<queue_state>> leave(const std::string& user, const std::string& event_id);

  // One admission round for one event (the admission loop): peek_queue,
  // then admit_queue with what it named, while more may be admitted.
  // nullopt on a Redis failure before anything was admitted.
  net::awaitable<std::optional<admission>> admit_round(const std::string& event_id);
  // Is the event's room live (known, on, not closed)? nullopt on a failure.
  net::awaitable<std::optional<bool>> live(const std::string& event_id);

  // Deletes a used pass and frees its slot (delete_pass.lua). False on a
  // Redis failure (the caller retries).
  net::awaitable<bool> delete_pass(const std::string& event_id, const std::string& token);

 private:
  // Drops the user's claim `gen` on `event_id` if the user is not waiting
  // there. True when the claim was released.
  net::awaitable<bool> release_if_idle(const std::string& user, const std::string& event_id,
                                       const std::string& gen);
  // After an "admitted" answer: the user no longer waits in this room, so
  // its claim stops counting against max_queues_per_user at once.
  net::awaitable<void> release_claim(const std::string& user, const std::string& event_id);
  // Runs `build(pass)` until the script no longer answers {"PASS", token}
  // (then called again with that token declared), at most k_declare_rounds.
  template <typename Build>
  net::awaitable<redis::result> eval_with_pass(Build build, bool read_only = false);
  redis::connection& conn_;
};

}  // namespace seatgate::queue
