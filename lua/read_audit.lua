-- read_audit: every counter of the event, cross-checked, in one atomic read.
-- KEYS = {P ev, P r, P ix, P q, P passes} · ARGV = {scan_limit} → {"OK", json}
local k_ev, k_r, k_ix, k_q, k_passes = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local ev = redis.call('HMGET', k_ev, 'status', 'zones', 'wr_enabled', 'wr', 'n:held',
                      'n:confirmed', 'n:released', 'n:expired')
if not ev[1] then return err('event_not_found') end
local now = now_ms()
local scan_limit = arg_count(ARGV[1], 10000)

-- The held quantity per zone, summed from the reservations in the event's
-- expiry order when there are at most `scan_limit` of them; with more, only
-- the counters are cross-checked (`scan.complete` false), so one audit's
-- cost stays bounded.
local n_holds = redis.call('ZLEXCOUNT', k_ix, '[e:', '(e;')
local complete = n_holds <= scan_limit
local held_sum, all_held = {}, true
local scanned = complete and redis.call('ZRANGEBYLEX', k_ix, '[e:', '(e;') or {}
for _, m in ipairs(scanned) do
  local s = redis.call('HGET', k_r, string.sub(m, 19))
  local r = s and rec_parse(s)
  if r and r.status == 'held' then
    held_sum[r.zone_id] = (held_sum[r.zone_id] or 0) + r.quantity
  else
    all_held = false
  end
end

local consistent = all_held and (tonumber(ev[5]) or 0) == n_holds
local ids = zone_ids(ev[2])
local names = {}
for _, id in ipairs(ids) do
  local zf = 'z:' .. id .. ':'
  for _, c in ipairs({'capacity', 'available', 'held', 'sold'}) do names[#names + 1] = zf .. c end
end
local f = #names > 0 and redis.call('HMGET', k_ev, unpack(names)) or {}
local zones, seen = {}, {}
for i, id in ipairs(ids) do
  seen[id] = true
  local j = (i - 1) * 4
  local cap, avail, held, sold = tonumber(f[j + 1]) or 0, tonumber(f[j + 2]) or 0,
    tonumber(f[j + 3]) or 0, tonumber(f[j + 4]) or 0
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
    'held', json_int(ev[5]), 'confirmed', json_int(ev[6]),
    'released', json_int(ev[7]), 'expired', json_int(ev[8]),
  }),
  'scan', json_object({'holds', int_str(n_holds), 'complete', tostring(complete)}),
}
local wr_on, wr = room(ev[3], ev[4])
if wr_on then
  out[#out + 1] = 'waiting_room'
  out[#out + 1] = json_object({
    'waiting', int_str(redis.call('ZCARD', k_q)),
    'live_passes', int_str(redis.call('ZCOUNT', k_passes, '(' .. int_str(now), '+inf')),
    'capacity', json_int(wr.capacity),
  })
end
return {'OK', json_object(out)}
