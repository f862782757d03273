#!lua flags=no-writes
-- peek_queue: what the next admit_queue call must declare (docs/waiting-room.md).
-- Read-only; the admission loop calls it before each admit_queue.
-- KEYS = {P ev, P q, P passes, P admits} · ARGV = {max_users, max_due}
-- -> {"OFF"}   unknown event, room off or event closed: the room is not live
--  | {"LIVE", budget, n_due, due_1, ..., due_n, user_1, ...}
--    due_*: up to max_due passes whose score <= now (to prune); user_*: the
--    first min(budget, max_users) users in line; budget: how many could be
--    admitted now (the due passes not counted as live).
local k_ev, k_q, k_passes, k_admits = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local max_users, max_due = arg_count(ARGV[1], 0), arg_count(ARGV[2], 0)

local found, on, wr, status = room_state(k_ev)
if not on or status == 'closed' then return {'OFF'} end

local now = now_ms()
local due = {}
if max_due > 0 then
  due = redis.call('ZRANGEBYSCORE', k_passes, '-inf', int_str(now), 'LIMIT', 0, max_due)
end
local budget = room_budget(wr, k_q, k_passes, k_admits, now, #due)
local out = {'LIVE', budget, #due}
for i = 1, #due do out[#out + 1] = due[i] end
local n = math.min(budget, max_users)
if n > 0 then
  for _, user in ipairs(redis.call('ZRANGE', k_q, 0, n - 1)) do out[#out + 1] = user end
end
return out
