#!lua
-- leave_queue: user U leaves the event's waiting room, or (mode "if_idle")
-- the server checks that U is not waiting before it drops U's claim on this
-- room from the user's own set (release_queue_slot). Either way, claim
-- generations up to `claim_gen` are revoked for this event, so a join still
-- in flight with such a claim fails (join_queue: claim_revoked) instead of
-- putting U in a room with no claim behind it.
-- KEYS = {P ev, P q, P qrv:U, P qp:U, P passes, P pass:<pass>?}
-- ARGV = {U, claim_gen ("" = none), mode ("leave" | "if_idle"), pass?}
-- `pass`: the token the caller believes P qp:U names (none at first).
-- -> leave:   {"OK", "left", was_waiting (0/1), pass_dropped (0/1)}
--             | {"PASS", token}: P qp:U names another token; nothing
--               written, call again with it
--             | {"ERR", "event_not_found", 0}
-- -> if_idle: {"OK", "waiting"} (nothing changed) | {"OK", "idle"} (also for
--             an unknown event)
local user, gen, mode, named = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local k_ev, k_q, k_revoked, k_qp, k_passes, k_pass =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]

local function revoke()
  if not gen then return end
  -- Kept an hour: far longer than any request can sit between its claim and its join.
  if gen > tonumber(redis.call('GET', k_revoked) or '0') then
    redis.call('SET', k_revoked, int_str(gen), 'PX', 3600000)
  end
end

if mode == 'if_idle' then
  if redis.call('ZSCORE', k_q, user) then return {'OK', 'waiting'} end
  revoke()
  return {'OK', 'idle'}
end

if redis.call('EXISTS', k_ev) == 0 then return err('event_not_found') end
local token = redis.call('GET', k_qp)
if token and (not k_pass or token ~= named) then return {'PASS', token} end
local was_waiting = redis.call('ZREM', k_q, user)
-- A pass not used yet is given back: its admission slot goes to the next user.
local dropped = 0
if token then
  if redis.call('HGET', k_pass, 'user') == user then
    dropped = redis.call('DEL', k_pass)
    redis.call('ZREM', k_passes, token)
  end
  redis.call('DEL', k_qp)
end
revoke()
return {'OK', 'left', was_waiting, dropped}
