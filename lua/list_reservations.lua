-- list_reservations: every reservation of the user for this event, oldest
-- first, after returning due holds.
-- KEYS = {P ev, P ur:U, P holds, P cnt} · ARGV = {U, expire_batch}
-- Reply: {"OK", n, r1, ..., rn}, each r a flat array of field/value pairs.
local user = ARGV[1]
if redis.call('EXISTS', KEYS[1]) == 0 then return err('event_not_found') end

local now = now_ms()
expire_due(now, arg_count(ARGV[2], 64))
local rids = redis.call('ZRANGE', KEYS[2], 0, -1)
local out = {'OK', #rids}
for i = 1, #rids do
  load_own_reservation(rids[i], user, now)
  out[i + 2] = redis.call('HGETALL', P .. 'r:' .. rids[i])
end
return out
