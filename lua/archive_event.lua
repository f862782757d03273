-- archive_event: the first step of archiving an event (docs/operations.md
-- "Archiving an event"). Refuses while the event may still change or owes
-- its consumers an entry; else deletes `P ev`, so from here on every script
-- answers event_not_found, and the server removes the event's other keys.
-- KEYS = {P ev, P out} · ARGV = {} → {"OK"} or {"ERR", code, retry_after_s}:
-- event_not_found; event_not_closed (status is not `closed`); holds_live
-- (`n:held` > 0: holds may still be confirmed, released or expire);
-- outbox_not_drained (`P out` still has entries some consumer group has not
-- acknowledged; retry after 1 s).
K_EV, K_OUT = KEYS[1], KEYS[2]
local ev = redis.call('HMGET', K_EV, 'status', 'n:held')
if not ev[1] then return err('event_not_found') end
if ev[1] ~= 'closed' then return err('event_not_closed') end
if tonumber(ev[2] or '0') > 0 then return err('holds_live', 1) end
if redis.call('EXISTS', K_OUT) == 1 and redis.call('XLEN', K_OUT) > 0 then
  return err('outbox_not_drained', 1)
end
redis.call('DEL', K_EV)
return {'OK'}
