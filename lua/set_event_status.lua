-- set_event_status: on_sale / paused / closed.
-- KEYS = {P ev} · ARGV = {status} → {"OK", status}
local status = ARGV[1]
if status ~= 'on_sale' and status ~= 'paused' and status ~= 'closed' then
  return err('invalid_request')
end
if redis.call('EXISTS', KEYS[1]) == 0 then return err('event_not_found') end
redis.call('HSET', KEYS[1], 'status', status, 'updated_at', int_str(now_ms()))
return {'OK', status}
