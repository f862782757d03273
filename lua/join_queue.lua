-- join_queue: put user U in the event's waiting room (docs/waiting-room.md), keeping a
-- first place. The server calls it only after claiming the room in the
-- user's own set (claim_queue_slot, another Cluster slot) and passes that
-- claim's generation; see docs/waiting-room.md.
-- KEYS = {P ev, P q} · ARGV = {U, claim_gen}
-- -> {"OK", "waiting", position, admit_per_s, new (1 = joined now, 0 = already in)}
--  | {"OK", "admitted", token, pass_expires_at_ms}   a live unused pass already
--  | {"OK", "not_required"}                            the room is off
--  | {"ERR", "event_not_found", 0} | {"ERR", "claim_revoked", 0}
local user, gen = ARGV[1], tonumber(ARGV[2]) or 0
local k_ev, k_q = KEYS[1], KEYS[2]

local ev = redis.call('HMGET', k_ev, 'status', 'wr_enabled', 'wr')
if not ev[1] then return err('event_not_found') end
local wr_on, wr = room(ev[2], ev[3])
if not wr_on then return {'OK', 'not_required'} end
local rate = tonumber(wr.admit_per_s) or 50

-- Already admitted: the live, unused pass is the answer.
local token, pass_expires = live_pass(user)
if token then return {'OK', 'admitted', token, pass_expires} end

-- Already waiting: the first place is kept.
local rank = redis.call('ZRANK', k_q, user)
if rank then return {'OK', 'waiting', rank + 1, rate, 0} end

-- A claim that a concurrent clean-up found idle and revoked must not be used.
local revoked = tonumber(redis.call('GET', P .. 'qrv:' .. user) or '0')
if gen <= revoked then return err('claim_revoked') end

-- FIFO by a per-event sequence, not wall time: no two joins tie.
local seq = redis.call('INCR', P .. 'qseq')
redis.call('ZADD', k_q, seq, user)
return {'OK', 'waiting', redis.call('ZRANK', k_q, user) + 1, rate, 1}
