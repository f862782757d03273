-- read_audit: every counter of the event, cross-checked, in one atomic read.
-- KEYS = {P ev, P r, P ix, P q, P passes, P seats, P sh, P sl} · ARGV = {scan_limit} → {"OK", json}
local k_ev, k_r, k_ix, k_q, k_passes = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
K_EV = KEYS[1]
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
-- Seats (docs/seating.md). Every live (held or confirmed) reservation's
-- seats, read from the records when there are at most 10 * scan_limit of
-- them (`scan.seats_complete`); a seat listed by two live reservations, or
-- by one that is not its holder, is double booked. Each seated zone's
-- letters must match its counters, and its held and sold seats exactly the
-- holders.
local S = seats(KEYS[6], KEYS[7], KEYS[8])
local seated, seats_complete, owners, double = {}, false, {}, {}
for _, id in ipairs(ids) do
  if S.zone(id) then seated[#seated + 1] = id end
end
local holders = {}
if #seated > 0 then
  seats_complete = redis.call('HLEN', k_r) <= scan_limit * 10
  if seats_complete then
    local all = redis.call('HGETALL', k_r)
    for i = 1, #all, 2 do
      local r = rec_parse(all[i + 1])
      if r.seats ~= '' and (r.status == 'held' or r.status == 'confirmed') then
        for _, sid in ipairs(S.items(r.seats)) do
          local key = r.zone_id .. '/' .. sid
          owners[key] = owners[key] or {}
          table.insert(owners[key], all[i])
        end
      end
    end
  end
  local h = redis.call('HGETALL', S.k_sh)
  for i = 1, #h, 2 do holders[h[i]] = h[i + 1] end
end
local keys_sorted = {}
for key in pairs(owners) do keys_sorted[#keys_sorted + 1] = key end
table.sort(keys_sorted)
for _, key in ipairs(keys_sorted) do
  local o = owners[key]
  if #o > 1 or holders[key] ~= o[1] then
    local rids = {}
    for _, rid in ipairs(o) do rids[#rids + 1] = json_str(rid) end
    if holders[key] and holders[key] ~= o[1] and #o == 1 then rids[#rids + 1] = json_str(holders[key]) end
    local cut = string.find(key, '/', 1, true)
    double[#double + 1] = json_object({'zone_id', json_str(string.sub(key, 1, cut - 1)),
                                       'seat', json_str(string.sub(key, cut + 1)),
                                       'reservations', json_array(rids)})
  end
end
-- Per seated zone: {a, h, s, ok}; ok when every held or sold seat has a
-- holder and every holder's seat is held or sold.
local seat_counts, holders_left = {}, {}
for key in pairs(holders) do holders_left[key] = true end
for _, id in ipairs(seated) do
  local z = S.zone(id)
  local region = redis.call('GETRANGE', S.k_seats, z.base, z.base + z.total - 1)
  local n, ok = {a = 0, h = 0, s = 0, u = 0}, #region == z.total
  for o, letter in string.gmatch(region, '()(.)') do
    n[letter] = (n[letter] or 0) + 1
    if letter == 'h' or letter == 's' then
      local key = id .. '/' .. S.id(z, o)
      if not holders[key] then ok = false end
      holders_left[key] = nil
    end
  end
  n.ok = ok
  seat_counts[id] = n
end
local stray_holders = next(holders_left) ~= nil

local zones, seen = {}, {}
for i, id in ipairs(ids) do
  seen[id] = true
  local j = (i - 1) * 4
  local cap, avail, held, sold = tonumber(f[j + 1]) or 0, tonumber(f[j + 2]) or 0,
    tonumber(f[j + 3]) or 0, tonumber(f[j + 4]) or 0
  local ok = avail >= 0 and held >= 0 and sold >= 0 and cap >= 0
    and avail + held + sold == cap and (not complete or held == (held_sum[id] or 0))
  local zone = {
    'id', json_str(id), 'capacity', int_str(cap), 'available', int_str(avail),
    'held', int_str(held), 'sold', int_str(sold),
  }
  local n = seat_counts[id]
  if n then
    -- A seated zone: its letters are its counters.
    ok = ok and n.ok and n.a == avail and n.h == held and n.s == sold
    for _, v in ipairs({'kind', '"seated"', 'seats', json_object({
      'available', int_str(n.a), 'held', int_str(n.h), 'sold', int_str(n.s),
      'unavailable', int_str(n.u)})}) do zone[#zone + 1] = v end
  end
  consistent = consistent and ok
  zone[#zone + 1] = 'consistent'
  zone[#zone + 1] = tostring(ok)
  zones[#zones + 1] = json_object(zone)
end
for id in pairs(held_sum) do
  if not seen[id] then consistent = false end
end

consistent = consistent and #double == 0 and not stray_holders
local out = {
  'event_id', json_str(EVENT_ID), 'consistent', tostring(consistent),
  'zones', json_array(zones), 'double_booked_seats', json_array(double),
  'reservations', json_object({
    'held', json_int(ev[5]), 'confirmed', json_int(ev[6]),
    'released', json_int(ev[7]), 'expired', json_int(ev[8]),
  }),
  'scan', json_object({'holds', int_str(n_holds), 'complete', tostring(complete),
                       'seats_complete', tostring(seats_complete or #seated == 0)}),
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
