-- set_event_status: on_sale / paused / closed.
-- KEYS = {P ev, P q} · ARGV = {status} → {"OK", status}
-- Closing an event ends its waiting room's line (as upsert_event does).
local status = ARGV[1]
if status ~= 'on_sale' and status ~= 'paused' and status ~= 'closed' then
  return err('invalid_request')
end
if redis.call('EXISTS', KEYS[1]) == 0 then return err('event_not_found') end
redis.call('HSET', KEYS[1], 'status', status, 'updated_at', int_str(now_ms()))
if status == 'closed' then redis.call('UNLINK', KEYS[2]) end
return {'OK', status}
