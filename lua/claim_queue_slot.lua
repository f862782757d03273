#!lua
-- claim_queue_slot: on the USER's Cluster slot, claim one of the user's
-- max_queues_per_user waiting-room places for an event, atomically, before
-- join_queue runs on the event's slot (docs/waiting-room.md). KEYS[1] is not
-- an event key: the prelude's P and EVENT_ID mean nothing here.
-- KEYS = {sg:{u:U}:queues, sg:{u:U}:qgen} · ARGV = {event, limit, grace_ms}
-- `queues` is a zset: member event id, score the claim's generation, a
-- per-user strictly increasing number (Redis time in microseconds, bumped
-- past the last one), so the claim time is in it too.
-- -> {"OK", "claimed", gen}   a new claim, or a renewed one for this event
--  | {"FULL", n, event1, gen1, ..., eventn, genn}   no place left; the claims
--    older than grace_ms, which the server may check and release if idle
local k_set, k_gen = KEYS[1], KEYS[2]
local event, limit, grace_ms = ARGV[1], tonumber(ARGV[2]) or 2, tonumber(ARGV[3]) or 2000
local k_keep_s = 30 * 86400

local t = redis.call('TIME')
local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
local gen = math.max(now_us, tonumber(redis.call('GET', k_gen) or '0') + 1)
redis.call('SET', k_gen, int_str(gen), 'EX', k_keep_s)

if redis.call('ZSCORE', k_set, event) or redis.call('ZCARD', k_set) < limit then
  redis.call('ZADD', k_set, int_str(gen), event)
  redis.call('EXPIRE', k_set, k_keep_s)
  return {'OK', 'claimed', gen}
end

local old = redis.call('ZRANGEBYSCORE', k_set, '-inf', int_str(now_us - grace_ms * 1000), 'WITHSCORES')
local out = {'FULL', #old / 2}
for i = 1, #old, 2 do
  out[#out + 1] = old[i]
  out[#out + 1] = tonumber(old[i + 1])
end
return out
