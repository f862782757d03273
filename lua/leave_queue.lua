-- leave_queue: user U leaves the event's waiting room, or (mode "if_idle")
-- the server checks that U is not waiting before it drops U's claim on this
-- room from the user's own set (release_queue_slot). Either way, claim
-- generations up to `claim_gen` are revoked for this event, so a join still
-- in flight with such a claim fails (join_queue: claim_revoked) instead of
-- putting U in a room with no claim behind it.
-- KEYS = {P ev, P q} · ARGV = {U, claim_gen ("" = none), mode ("leave" | "if_idle")}
-- -> leave:   {"OK", "left", was_waiting (0/1), pass_dropped (0/1)}
--             | {"ERR", "event_not_found", 0}
-- -> if_idle: {"OK", "waiting"} (nothing changed) | {"OK", "idle"} (also for
--             an unknown event)
local user, gen, mode = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local k_q = KEYS[2]

local function revoke()
  if not gen then return end
  local k = P .. 'qrv:' .. user
  -- Kept an hour: far longer than any request can sit between its claim and its join.
  if gen > tonumber(redis.call('GET', k) or '0') then
    redis.call('SET', k, int_str(gen), 'PX', 3600000)
  end
end

if mode == 'if_idle' then
  if redis.call('ZSCORE', k_q, user) then return {'OK', 'waiting'} end
  revoke()
  return {'OK', 'idle'}
end

if redis.call('EXISTS', KEYS[1]) == 0 then return err('event_not_found') end
local was_waiting = redis.call('ZREM', k_q, user)
-- A pass not used yet is given back: its admission slot goes to the next user.
local dropped = 0
local k_qp = P .. 'qp:' .. user
local token = redis.call('GET', k_qp)
if token then
  local k_pass = P .. 'pass:' .. token
  if redis.call('HGET', k_pass, 'user') == user then
    dropped = redis.call('DEL', k_pass)
    redis.call('ZREM', P .. 'passes', token)
  end
  redis.call('DEL', k_qp)
end
revoke()
return {'OK', 'left', was_waiting, dropped}
