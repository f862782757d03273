#!lua
-- join_queue: put user U in the event's waiting room (docs/waiting-room.md), keeping a
-- first place. The server calls it only after claiming the room in the
-- user's own set (claim_queue_slot, another Cluster slot) and passes that
-- claim's generation; see docs/waiting-room.md.
-- KEYS = {P ev, P q, P qseq, P qrv:U, P qp:U, P passes, P pass:<pass>?}
-- ARGV = {U, claim_gen, pass?}
-- `pass`: the token the caller believes P qp:U names (none at first).
-- -> {"OK", "waiting", position, admit_per_s, new (1 = joined now, 0 = already in)}
--  | {"OK", "admitted", token, pass_expires_at_ms}   a live unused pass already
--  | {"OK", "not_required"}                            the room is off
--  | {"PASS", token}   P qp:U names another token: nothing written, call again with it
--  | {"ERR", "event_not_found", 0} | {"ERR", "claim_revoked", 0}
--  | {"ERR", "event_not_on_sale", 0}   the event is closed: its line never admits
local user, gen, named = ARGV[1], tonumber(ARGV[2]) or 0, ARGV[3]
local k_ev, k_q, k_seq, k_revoked, k_qp, k_passes, k_pass =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]

local found, on, wr, status = room_state(k_ev)
if not found then return err('event_not_found') end
if not on then return {'OK', 'not_required'} end
local rate = tonumber(wr.admit_per_s) or 50

-- Already admitted: the live, unused pass is the answer.
local token, other = room_pass(user, k_qp, k_passes, k_pass, named)
if token then return {'OK', 'admitted', token, other} end
if other then return {'PASS', other} end

-- Already waiting: the first place is kept.
local rank = redis.call('ZRANK', k_q, user)
if rank then return {'OK', 'waiting', rank + 1, rate, 0} end

-- A closed event's line was ended and is never admitted from (nor listed in
-- sg:rooms): nobody may start waiting in it.
if status == 'closed' then return err('event_not_on_sale') end

-- A claim that a concurrent clean-up found idle and revoked must not be used.
local revoked = tonumber(redis.call('GET', k_revoked) or '0')
if gen <= revoked then return err('claim_revoked') end

-- FIFO by a per-event sequence, not wall time: no two joins tie.
local seq = redis.call('INCR', k_seq)
redis.call('ZADD', k_q, seq, user)
return {'OK', 'waiting', redis.call('ZRANK', k_q, user) + 1, rate, 1}
