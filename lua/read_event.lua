-- read_event: the public event with each zone's live `available`; a seated
-- zone also has its `seat_version`, which moves with every change of its
-- seats (docs/seating.md).
-- KEYS = {P ev} · ARGV = {} → {"OK", json}
local ev = redis.call('HMGET', KEYS[1], 'name', 'currency', 'status', 'hold_ttl_s',
                      'max_per_order', 'max_per_user', 'wr', 'zones')
if not ev[3] then return err('event_not_found') end

local ids = zone_ids(ev[8])
local names = {}
for i, id in ipairs(ids) do
  local zf = 'z:' .. id .. ':'
  names[#names + 1] = zf .. 'name'
  names[#names + 1] = zf .. 'capacity'
  names[#names + 1] = zf .. 'price'
  names[#names + 1] = zf .. 'available'
  names[#names + 1] = zf .. 'seated'
  names[#names + 1] = zf .. 'seat_v'
end
local f = #names > 0 and redis.call('HMGET', KEYS[1], unpack(names)) or {}
local zones = {}
for i, id in ipairs(ids) do
  local j = (i - 1) * 6
  local zone = {
    'id', json_str(id), 'name', json_str(f[j + 1]), 'capacity', json_int(f[j + 2]),
    'price', json_int(f[j + 3]), 'available', json_int(f[j + 4]),
  }
  if f[j + 5] == '1' then
    for _, v in ipairs({'kind', '"seated"', 'seat_version', json_int(f[j + 6])}) do
      zone[#zone + 1] = v
    end
  end
  zones[i] = json_object(zone)
end
return {'OK', json_object({
  'id', json_str(EVENT_ID), 'name', json_str(ev[1]), 'currency', json_str(ev[2]),
  'status', json_str(ev[3]), 'hold_ttl_s', json_int(ev[4]),
  'max_per_order', json_int(ev[5]), 'max_per_user', json_int(ev[6]),
  'waiting_room', ev[7] or '{"enabled":false}', 'zones', json_array(zones),
})}
