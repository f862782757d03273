-- queue_position: where user U stands in the event's waiting room. Read-only.
-- KEYS = {P ev, P q} · ARGV = {U}
-- -> {"OK", "waiting", position, admit_per_s}
--  | {"OK", "admitted", token, pass_expires_at_ms}   a live unused pass
--  | {"OK", "not_joined", max_queues_per_user}       neither (join first)
--  | {"OK", "not_required"}                          the room is off
--  | {"ERR", "event_not_found", 0}
local user = ARGV[1]
local k_ev, k_q = KEYS[1], KEYS[2]

local ev = redis.call('HMGET', k_ev, 'status', 'wr_enabled', 'wr')
if not ev[1] then return err('event_not_found') end
local wr_on, wr = room(ev[2], ev[3])
if not wr_on then return {'OK', 'not_required'} end

local token, pass_expires = live_pass(user)
if token then return {'OK', 'admitted', token, pass_expires} end

local rank = redis.call('ZRANK', k_q, user)
if rank then return {'OK', 'waiting', rank + 1, tonumber(wr.admit_per_s) or 50} end
return {'OK', 'not_joined', tonumber(wr.max_queues_per_user) or 2}
