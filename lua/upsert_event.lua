-- upsert_event: create or change an event and its zones in one step.
-- KEYS = {P ev, P q, P seats, P sh, P sl} · ARGV = {config_json, layout_json?, ...} → {"OK", "created"|"updated"}
-- The server validates and normalises the config; capacity rules are here,
-- because only here are they atomic with the live counters. ARGV[1 + i] is
-- zone i's seat layout (docs/seating.md) when it is seated, else "". A
-- seated zone's seats keep their state by id; a change that would remove or
-- make unavailable a held or sold seat is refused: {"ERR",
-- "capacity_below_committed", 0, "A-4,B-1", "<zone>"}.
local ok, cfg = pcall(cjson.decode, ARGV[1])
if not ok or type(cfg) ~= 'table' or type(cfg.zones) ~= 'table' or #cfg.zones > 100 then
  return err('invalid_request')
end
local k_ev = KEYS[1]  -- the event, its zones (fields z:<zone>:*) and counters
K_EV = KEYS[1]
local now = now_ms()

local old_ids = redis.call('HGET', k_ev, 'zones')
local created = old_ids == false

-- The held and sold seats of every seated zone now: zone -> {seat id -> letter}.
local S = seats(KEYS[3], KEYS[4], KEYS[5])
local committed = {}
if old_ids then
  local old_state = redis.call('GET', S.k_seats) or ''
  for id in string.gmatch(old_ids, '[^,]+') do
    local z = S.zone(id)
    if z then
      local c = {}
      local region = string.sub(old_state, z.base + 1, z.base + z.total)
      for o, letter in string.gmatch(region, '()([hs])') do c[S.id(z, o)] = letter end
      committed[id] = c
    end
  end
end
local function seats_refused(zone, ids)
  table.sort(ids)
  return {'ERR', 'capacity_below_committed', 0, table.concat(ids, ','), zone}
end

-- A seated zone's new seat letters (the committed seats kept by id), its
-- index and its capacity (seats less unavailable); or nil and the refusal.
local function new_seats(zone, layout_json)
  local ok_l, layout = pcall(cjson.decode, layout_json)
  if not ok_l or type(layout) ~= 'table' or type(layout.rows) ~= 'table' then
    return nil, err('invalid_request')
  end
  local ix = S.index(layout)
  local letters = {}
  for o = 1, ix.total do letters[o] = 'a' end
  local unavailable = 0
  for _, id in ipairs(layout.unavailable or {}) do
    local o = S.offset(ix, id)
    if not o then return nil, err('invalid_request') end
    if letters[o] ~= 'u' then unavailable = unavailable + 1 end
    letters[o] = 'u'
  end
  local conflicts = {}
  for id, letter in pairs(committed[zone] or {}) do
    local o = S.offset(ix, id)
    if not o or letters[o] == 'u' then
      conflicts[#conflicts + 1] = id
    else
      letters[o] = letter
    end
  end
  if #conflicts > 0 then return nil, seats_refused(zone, conflicts) end
  return {letters = table.concat(letters), total = ix.total, capacity = ix.total - unavailable}
end

-- Check every zone before writing anything.
local new_ids, seen, current, seated = {}, {}, {}, {}
for i, z in ipairs(cfg.zones) do
  local id = z.id
  local cap = tonumber(z.capacity)
  local layout_json = ARGV[1 + i] or ''
  if layout_json ~= '' and type(id) == 'string' then
    local s, refusal = new_seats(id, layout_json)
    if not s then return refusal end
    s.layout = layout_json
    seated[id] = s
    cap = s.capacity
    z.capacity = cap
  elseif type(id) == 'string' and committed[id] and next(committed[id]) then
    -- A seated zone turned general keeps no seats: allowed only without held or sold ones.
    local ids = {}
    for sid in pairs(committed[id]) do ids[#ids + 1] = sid end
    return seats_refused(id, ids)
  end
  if type(id) ~= 'string' or not string.find(id, '^[a-z0-9][a-z0-9-]*$') or seen[id]
      or not cap or cap < 0 or cap ~= math.floor(cap) then
    return err('invalid_request')
  end
  seen[id] = true
  new_ids[i] = id
  local zf = 'z:' .. id .. ':'
  local f = redis.call('HMGET', k_ev, zf .. 'capacity', zf .. 'held', zf .. 'sold')
  if f[1] then
    local n_committed = tonumber(f[2]) + tonumber(f[3])
    if cap < n_committed then return err('capacity_below_committed') end
    -- A general zone's held or sold places have no seats to keep.
    if seated[id] and not committed[id] and n_committed > 0 then
      return err('capacity_below_committed')
    end
    current[id] = tonumber(f[1])
  end
end
local removed = {}
if old_ids then
  for id in string.gmatch(old_ids, '[^,]+') do
    if not seen[id] then
      local f = redis.call('HMGET', k_ev, 'z:' .. id .. ':held', 'z:' .. id .. ':sold')
      if (tonumber(f[1]) or 0) + (tonumber(f[2]) or 0) > 0 then
        return err('capacity_below_committed')
      end
      removed[#removed + 1] = id
    end
  end
end

-- Write.
for _, z in ipairs(cfg.zones) do
  local zf = 'z:' .. z.id .. ':'
  local cap = tonumber(z.capacity)
  -- `seated` with the first fields of a new zone: the hot path reads it in
  -- every reserve, and a field early in a small hash is found sooner.
  redis.call('HSET', k_ev, zf .. 'name', z.name or '', zf .. 'seated', seated[z.id] and '1' or '0',
             zf .. 'price', int_str(tonumber(z.price) or 0), zf .. 'capacity', int_str(cap))
  if current[z.id] then
    redis.call('HINCRBY', k_ev, zf .. 'available', cap - current[z.id])
  else
    redis.call('HSET', k_ev, zf .. 'available', int_str(cap), zf .. 'held', '0', zf .. 'sold', '0')
  end
end
for _, id in ipairs(removed) do
  local zf = 'z:' .. id .. ':'
  redis.call('HDEL', k_ev, zf .. 'name', zf .. 'price', zf .. 'capacity', zf .. 'available',
             zf .. 'held', zf .. 'sold', zf .. 'seated', zf .. 'seat_v')
end

-- Seats: every seated zone a region of one string, in the config's order;
-- holders (by seat id) stay as they are.
redis.call('DEL', S.k_sl)
local regions, layouts, base = {}, {}, 0
for _, id in ipairs(new_ids) do
  local zf = 'z:' .. id .. ':'
  local s = seated[id]
  if s then
    regions[#regions + 1] = s.letters
    for _, v in ipairs({id, s.layout, id .. ':base', int_str(base)}) do layouts[#layouts + 1] = v end
    base = base + s.total
    redis.call('HINCRBY', k_ev, zf .. 'seat_v', 1)
  else
    redis.call('HDEL', k_ev, zf .. 'seat_v')
  end
end
if #regions > 0 then
  redis.call('SET', S.k_seats, table.concat(regions))
  redis.call('HSET', S.k_sl, unpack(layouts))
else
  redis.call('DEL', S.k_seats, S.k_sh)
end

local wr = cfg.waiting_room
if type(wr) ~= 'table' then wr = {enabled = false} end
redis.call('HSET', k_ev,
  'name', cfg.name or '', 'currency', cfg.currency or '', 'status', cfg.status or 'on_sale',
  'hold_ttl_s', int_str(tonumber(cfg.hold_ttl_s) or 600),
  'max_per_order', int_str(tonumber(cfg.max_per_order) or 10),
  'max_per_user', int_str(tonumber(cfg.max_per_user) or 10),
  'zones', table.concat(new_ids, ','),
  'wr', cjson.encode(wr), 'wr_enabled', wr.enabled == true and '1' or '0',
  'updated_at', int_str(now))
-- A room turned off, or an event closed, ends its line in the same step:
-- nobody waits for a room that will never admit them, and their claims (on
-- their own Cluster slots) are idle, so their next join gives them back
-- (docs/waiting-room.md).
if wr.enabled ~= true or cfg.status == 'closed' then redis.call('UNLINK', KEYS[2]) end
if created then
  redis.call('HSET', k_ev, 'created_at', int_str(now))
  return {'OK', 'created'}
end
return {'OK', 'updated'}
