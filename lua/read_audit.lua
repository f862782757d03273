-- read_audit: every counter of the event, cross-checked, in one atomic read.
-- KEYS = {P ev, P cnt} · ARGV = {scan_limit} → {"OK", json}
local ev = redis.call('HMGET', KEYS[1], 'status', 'zones', 'wr_enabled', 'wr')
if not ev[1] then return err('event_not_found') end
local now = now_ms()
local scan_limit = arg_count(ARGV[1], 10000)

-- The held quantity per zone, summed from the reservations in `holds` when
-- there are at most `scan_limit` of them; with more, only the counters are
-- cross-checked (`scan.complete` false), so one audit's cost stays bounded.
local n_holds = redis.call('ZCARD', P .. 'holds')
local complete = n_holds <= scan_limit
local held_sum, all_held = {}, true
local scanned = complete and redis.call('ZRANGE', P .. 'holds', 0, -1) or {}
for _, rid in ipairs(scanned) do
  local r = redis.call('HMGET', P .. 'r:' .. rid, 'zone_id', 'quantity', 'status')
  if r[3] == 'held' then
    held_sum[r[1]] = (held_sum[r[1]] or 0) + tonumber(r[2])
  else
    all_held = false
  end
end

local cnt = redis.call('HMGET', KEYS[2], 'held', 'confirmed', 'released', 'expired')
local consistent = all_held and (tonumber(cnt[1]) or 0) == n_holds
local zones, seen = {}, {}
for _, id in ipairs(zone_ids(ev[2])) do
  seen[id] = true
  local z = redis.call('HMGET', P .. 'z:' .. id, 'capacity', 'available', 'held', 'sold')
  local cap, avail, held, sold =
    tonumber(z[1]) or 0, tonumber(z[2]) or 0, tonumber(z[3]) or 0, tonumber(z[4]) or 0
  local ok = avail >= 0 and held >= 0 and sold >= 0 and cap >= 0
    and avail + held + sold == cap and (not complete or held == (held_sum[id] or 0))
  consistent = consistent and ok
  zones[#zones + 1] = json_object({
    'id', json_str(id), 'capacity', int_str(cap), 'available', int_str(avail),
    'held', int_str(held), 'sold', int_str(sold), 'consistent', tostring(ok),
  })
end
for id in pairs(held_sum) do
  if not seen[id] then consistent = false end
end

local out = {
  'event_id', json_str(EVENT_ID), 'consistent', tostring(consistent),
  'zones', json_array(zones),
  'reservations', json_object({
    'held', json_int(cnt[1]), 'confirmed', json_int(cnt[2]),
    'released', json_int(cnt[3]), 'expired', json_int(cnt[4]),
  }),
  'scan', json_object({'holds', int_str(n_holds), 'complete', tostring(complete)}),
}
local wr_on, wr = room(ev[3], ev[4])
if wr_on then
  out[#out + 1] = 'waiting_room'
  out[#out + 1] = json_object({
    'waiting', int_str(redis.call('ZCARD', P .. 'q')),
    'live_passes', int_str(redis.call('ZCOUNT', P .. 'passes', '(' .. int_str(now), '+inf')),
    'capacity', json_int(wr.capacity),
  })
end
return {'OK', json_object(out)}
