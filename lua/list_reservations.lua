-- list_reservations: one page of the user's reservations for this event,
-- oldest first, after returning due holds.
-- KEYS = {P ev, P ur:U, P holds, P cnt}
-- ARGV = {U, expire_batch, limit, after_created_at, after_rid}
-- Reply: {"OK", n, more, r1, ..., rn}, each r a flat array of field/value
-- pairs; `more` = 1 when reservations follow the last one. A page starts
-- after the reservation `after_rid` (which must be one of U's, created at
-- `after_created_at`), or at the first when `after_rid` is empty.
local user = ARGV[1]
if redis.call('EXISTS', KEYS[1]) == 0 then return err('event_not_found') end
local limit = math.max(1, math.min(arg_count(ARGV[3], 50), 100))
local after = ARGV[5] or ''

local first = 0
if after ~= '' then
  local score = redis.call('ZSCORE', KEYS[2], after)
  if not score or tonumber(score) ~= tonumber(ARGV[4]) then return err('invalid_request') end
  first = redis.call('ZRANK', KEYS[2], after) + 1
end

local now = now_ms()
expire_due(now, arg_count(ARGV[2], 64))
-- One more than a page, to know whether another page follows.
local rids = redis.call('ZRANGE', KEYS[2], first, first + limit)
local n = math.min(#rids, limit)
local out = {'OK', n, #rids > limit and 1 or 0}
for i = 1, n do
  load_own_reservation(rids[i], user, now)
  out[i + 3] = redis.call('HGETALL', P .. 'r:' .. rids[i])
end
return out
