-- read_seat_map: a seated zone's layout and seat letters, in one read.
-- KEYS = {P ev, P seats, P sl} · ARGV = {zone} → {"OK", layout_json, seats, seat_version}
-- Refusals: event_not_found, zone_not_found (not a zone of the event now),
-- zone_not_seated (a general-admission zone has no seat map).
K_EV = KEYS[1]
local S = seats(KEYS[2], nil, KEYS[3])
local zone = ARGV[1]
local ev = redis.call('HMGET', K_EV, 'zones', 'z:' .. zone .. ':seat_v')
if not ev[1] then return err('event_not_found') end
local listed = false
for id in string.gmatch(ev[1], '[^,]+') do
  if id == zone then listed = true end
end
if not listed then return err('zone_not_found') end
local layout = redis.call('HMGET', S.k_sl, zone, zone .. ':base')
if not layout[1] then return err('zone_not_seated') end
local z = S.zone(zone)
return {'OK', layout[1], redis.call('GETRANGE', S.k_seats, z.base, z.base + z.total - 1),
        ev[2] or '0'}
