-- admit_queue: one step of the admission loop (every server instance runs
-- it, several times a second). Prunes expired passes, then admits waiting
-- users in join order while live passes < capacity, at most admit_per_s per
-- second of Redis time across all instances (a counter per second, paced
-- through the second), each with a pass token supplied by the server.
-- KEYS = {P ev, P q, P passes} · ARGV = {token1, token2, ...} (128-bit random)
-- -> {"OK", admitted, still_admissible, user1, user2, ...}
--    `still_admissible`: how many more could be admitted right now had more
--    tokens been passed (the server calls again with that many).
--    An unknown event or a room that is off answers {"OK", 0, 0}.
local k_ev, k_q, k_passes = KEYS[1], KEYS[2], KEYS[3]

local ev = redis.call('HMGET', k_ev, 'status', 'wr_enabled', 'wr')
if not ev[1] then return {'OK', 0, 0} end
local wr_on, wr = room(ev[2], ev[3])
if not wr_on then return {'OK', 0, 0} end
local capacity = tonumber(wr.capacity) or 500
local rate = tonumber(wr.admit_per_s) or 50
local ttl_ms = (tonumber(wr.pass_ttl_s) or 300) * 1000

local now = now_ms()

-- An expired pass frees its slot. Its key has the same expiry, but is
-- deleted too so that a score moved by hand cannot leave a usable pass
-- outside the count.
local expired = redis.call('ZRANGEBYSCORE', k_passes, '-inf', int_str(now), 'LIMIT', 0, 1000)
for i = 1, #expired do
  redis.call('ZREM', k_passes, expired[i])
  redis.call('DEL', P .. 'pass:' .. expired[i])
end

local live = redis.call('ZCARD', k_passes)
local k_rate = P .. 'admits:' .. int_str(math.floor(now / 1000))
local this_second = tonumber(redis.call('GET', k_rate) or '0')
-- Paced: by millisecond m of the second, at most ceil(rate * (m + 1) / 1000).
local paced = math.min(rate, math.ceil(rate * (now % 1000 + 1) / 1000))
local budget = math.min(capacity - live, paced - this_second, redis.call('ZCARD', k_q))
if budget <= 0 then return {'OK', 0, 0} end
local n = math.min(budget, #ARGV)
local out = {'OK', n, budget - n}
if n == 0 then return out end

local popped = redis.call('ZPOPMIN', k_q, n)  -- user, score, user, score, ...
local expires_at = now + ttl_ms
for i = 1, #popped, 2 do
  local user, token = popped[i], ARGV[(i + 1) / 2]
  local k_pass = P .. 'pass:' .. token
  redis.call('HSET', k_pass, 'user', user, 'used', '0')
  redis.call('PEXPIRE', k_pass, ttl_ms)
  redis.call('ZADD', k_passes, expires_at, token)
  redis.call('SET', P .. 'qp:' .. user, token, 'PX', ttl_ms)
  out[#out + 1] = user
end
redis.call('INCRBY', k_rate, n)
redis.call('PEXPIRE', k_rate, 2000)
return out
