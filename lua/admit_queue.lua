#!lua
-- admit_queue: one step of the admission loop (every server instance runs
-- it, several times a second). Prunes the expired passes it is given, then
-- admits the users it is given, in join order, while live passes < capacity,
-- at most admit_per_s per second of Redis time across all instances (paced
-- through the second), each with a pass token supplied by the server.
-- peek_queue says whom to pass; every key is declared.
-- KEYS = {P ev, P q, P passes, P admits, ...}: then P pass:<due> for each due
--   token, then P qp:<user>, P pass:<token> for each user, in ARGV's order
-- ARGV = {n_due, ...}: the n_due due tokens, then user_1, token_1, user_2,
--   token_2, ... (tokens: 128-bit random)
-- -> {"OK", admitted, still_admissible, user1, user2, ...}
--    A due token whose score is not (or no longer) due is left alone. Users
--    are admitted while they are the head of the line in the order given
--    (another instance may have admitted some meanwhile); `still_admissible`:
--    how many more could be admitted right now (the server peeks again).
--    An unknown event, a room that is off or a closed event answers {"OK", 0, 0}.
local k_ev, k_q, k_passes, k_admits = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local n_due = arg_count(ARGV[1], 0)

local found, on, wr, status = room_state(k_ev)
if not on or status == 'closed' then return {'OK', 0, 0} end
local ttl_ms = (tonumber(wr.pass_ttl_s) or 300) * 1000

local now = now_ms()

-- An expired pass frees its slot. Its key has the same expiry, but is
-- deleted too so that a score moved by hand cannot leave a usable pass
-- outside the count.
for i = 1, n_due do
  local token = ARGV[1 + i]
  local score = redis.call('ZSCORE', k_passes, token)
  if score and tonumber(score) <= now then
    redis.call('ZREM', k_passes, token)
    redis.call('DEL', KEYS[4 + i])
  end
end

local budget, sec = room_budget(wr, k_q, k_passes, k_admits, now, 0)
local n = math.min(budget, math.floor((#ARGV - 1 - n_due) / 2))
local out = {'OK', 0, budget}
if n <= 0 then return out end

local head = redis.call('ZRANGE', k_q, 0, n - 1)
local expires_at = now + ttl_ms
local admitted = 0
for i = 1, n do
  local a, k = 1 + n_due + 2 * i - 1, 4 + n_due + 2 * i - 1
  local user, token, k_qp, k_pass = ARGV[a], ARGV[a + 1], KEYS[k], KEYS[k + 1]
  if head[i] ~= user then break end
  redis.call('ZREM', k_q, user)
  redis.call('HSET', k_pass, 'user', user, 'used', '0')
  redis.call('PEXPIRE', k_pass, ttl_ms)
  redis.call('ZADD', k_passes, expires_at, token)
  redis.call('SET', k_qp, token, 'PX', ttl_ms)
  out[#out + 1] = user
  admitted = admitted + 1
end
out[2], out[3] = admitted, budget - admitted
if admitted > 0 then
  redis.call('SET', k_admits, int_str(sec) .. ':' .. int_str(admitted_in(k_admits, sec) + admitted),
             'PX', 2000)
end
return out
