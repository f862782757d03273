-- read_seat_map: a seated zone's layout and seat string, in one read.
-- KEYS = {P ev, P layout:<zone>, P seats:<zone>} · ARGV = {zone} → {"OK", layout_json, seats}
-- Refusals: event_not_found, zone_not_found (not a zone of the event now),
-- zone_not_seated (a general-admission zone has no seat map).
local zones = redis.call('HGET', KEYS[1], 'zones')
if not zones then return err('event_not_found') end
local listed = false
for id in string.gmatch(zones, '[^,]+') do
  if id == ARGV[1] then listed = true end
end
if not listed then return err('zone_not_found') end
local layout = redis.call('GET', KEYS[2])
if not layout then return err('zone_not_seated') end
return {'OK', layout, redis.call('GET', KEYS[3]) or ''}
