-- list_reservations: one page of the user's reservations for this event,
-- oldest first, after returning due holds.
-- KEYS = {P ev, P r, P ix, P out, P seats, P sh, P sl}
-- ARGV = {U, expire_batch, limit, after_created_at, after_rid}
-- Reply: {"OK", n, more, r1, ..., rn}, each r a flat array of field/value
-- pairs; `more` = 1 when reservations follow the last one. A page starts
-- after the reservation `after_rid` (which must be one of U's, created at
-- `after_created_at`), or at the first when `after_rid` is empty.
local user = ARGV[1]
use_inventory_keys()
if redis.call('EXISTS', K_EV) == 0 then return err('event_not_found') end
local limit = math.max(1, math.min(arg_count(ARGV[3], 50), 100))
local after = ARGV[5] or ''

-- The user's history: members "h:<len(U)>:U:<created_at>:<R>", in order.
local history = 'h:' .. user_tag(user)
local from = '[' .. history
if after ~= '' then
  local at = tonumber(ARGV[4])
  if not at or at < 0 or at ~= math.floor(at) then return err('invalid_request') end
  local cursor = history .. pad(at) .. ':' .. after
  if not redis.call('ZSCORE', K_IX, cursor) then return err('invalid_request') end
  from = '(' .. cursor
end

local now = now_ms()
expire_due(now, arg_count(ARGV[2], 64))
-- One more than a page, to know whether another page follows.
local page = redis.call('ZRANGEBYLEX', K_IX, from, '(' .. string.sub(history, 1, -2) .. ';',
                        'LIMIT', 0, limit + 1)
local n = math.min(#page, limit)
local out = {'OK', n, #page > limit and 1 or 0}
local cut = #history + 17
for i = 1, n do
  local rid = string.sub(page[i], cut)
  local r = load_own(rid, user, now)
  out[i + 3] = r and rec_pairs({}, rid, r) or {'id', rid}
end
return out
