#!lua flags=no-writes
-- queue_position: where user U stands in the event's waiting room. Read-only.
-- KEYS = {P ev, P q, P qp:U, P passes, P pass:<pass>?} · ARGV = {U, pass?}
-- `pass`: the token the caller believes P qp:U names (none at first).
-- -> {"OK", "waiting", position, admit_per_s}
--  | {"OK", "admitted", token, pass_expires_at_ms}   a live unused pass
--  | {"OK", "not_joined", max_queues_per_user}       neither (join first)
--  | {"OK", "not_required"}                          the room is off
--  | {"PASS", token}   P qp:U names another token: call again with it
--  | {"ERR", "event_not_found", 0}
local user, named = ARGV[1], ARGV[2]
local k_ev, k_q, k_qp, k_passes, k_pass = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]

local found, on, wr = room_state(k_ev)
if not found then return err('event_not_found') end
if not on then return {'OK', 'not_required'} end

local token, other = room_pass(user, k_qp, k_passes, k_pass, named)
if token then return {'OK', 'admitted', token, other} end
if other then return {'PASS', other} end

local rank = redis.call('ZRANK', k_q, user)
if rank then return {'OK', 'waiting', rank + 1, tonumber(wr.admit_per_s) or 50} end
return {'OK', 'not_joined', tonumber(wr.max_queues_per_user) or 2}
