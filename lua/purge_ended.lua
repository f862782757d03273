-- purge_ended: the retention step of one event (docs/operations.md "Data
-- lifecycle"). Removes ended reservations whose last outbox entry every
-- consumer group has consumed and is older than the retention: released and
-- expired ones (`t:` members) after `ended_ms`, confirmed ones (`c:`) after
-- `confirmed_ms` (empty = confirmed reservations are kept). Each goes from
-- `P r` and its `h:` and `t:`/`c:` members from `P ix`; the event's counters
-- (the per-user allowance `u:U`, zone counters, `n:<status>`) are kept.
-- KEYS = {P ev, P r, P ix, P out, P seats, P sh, P sl} · ARGV = {ended_ms, confirmed_ms, batch}
-- → {"OK", removed, more, idle}: `more` = 1 when the batch was full; `idle`
-- = 1 when the event is closed, holds nothing and its outbox is drained (it
-- leaves the sweeper's list, sg:events).
use_inventory_keys()  -- the seat keys are declared, never touched: sold seats stay
local now = now_ms()
local budget = arg_count(ARGV[3], 100)

-- Consumers trim the outbox once every group has acknowledged an entry, so
-- every entry below the stream's first one was consumed by all groups.
local first = redis.call('XRANGE', K_OUT, '-', '+', 'COUNT', 1)
local consumed = nil  -- members below this text were consumed (nil: all were)
if #first > 0 then consumed = entry_text(first[1][1]) end

local removed, more = 0, 0
local function purge(kind, age_arg, statuses)
  local age = tonumber(age_arg or '')
  if age == nil or age < 0 or budget <= 0 then return end
  local bound = pad(math.max(0, now - math.floor(age) + 1))  -- ended at or before now - age
  if consumed and consumed < bound then bound = consumed end
  local due = redis.call('ZRANGEBYLEX', K_IX, '[' .. kind, '(' .. kind .. bound, 'LIMIT', 0, budget)
  local cut = #kind + 28  -- "<15 digits>-<10 digits>:" then R
  for i = 1, #due do
    local rid = string.sub(due[i], cut)
    local r = rec_get(rid)
    if r and statuses[r.status] then
      redis.call('HDEL', K_R, rid)
      redis.call('ZREM', K_IX, due[i],
                 'h:' .. user_tag(r.user_id) .. pad(tonumber(r.created_at)) .. ':' .. rid)
      removed = removed + 1
    else
      redis.call('ZREM', K_IX, due[i])  -- a member whose record is gone
    end
  end
  budget = budget - #due
  if budget <= 0 then more = 1 end
end
purge('t:', ARGV[1], {released = true, expired = true})
purge('c:', ARGV[2], {confirmed = true})

local ev = redis.call('HMGET', K_EV, 'status', 'n:held')
local idle = 0
if ev[1] == 'closed' and tonumber(ev[2] or '0') == 0 and
   (redis.call('EXISTS', K_OUT) == 0 or redis.call('XLEN', K_OUT) == 0) then
  idle = 1
end
return {'OK', removed, more, idle}
