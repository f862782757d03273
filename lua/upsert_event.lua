-- upsert_event: create or change an event and its zones in one step.
-- KEYS = {P ev, P q} · ARGV = {config_json} → {"OK", "created"|"updated"}
-- The server validates and normalises the config; capacity rules are here,
-- because only here are they atomic with the live counters.
local ok, cfg = pcall(cjson.decode, ARGV[1])
if not ok or type(cfg) ~= 'table' or type(cfg.zones) ~= 'table' or #cfg.zones > 100 then
  return err('invalid_request')
end
local k_ev = KEYS[1]  -- the event, its zones (fields z:<zone>:*) and counters
local now = now_ms()

local old_ids = redis.call('HGET', k_ev, 'zones')
local created = old_ids == false

-- Check every zone before writing anything.
local new_ids, seen, current = {}, {}, {}
for i, z in ipairs(cfg.zones) do
  local id = z.id
  local cap = tonumber(z.capacity)
  if type(id) ~= 'string' or not string.find(id, '^[a-z0-9][a-z0-9-]*$') or seen[id]
      or not cap or cap < 0 or cap ~= math.floor(cap) then
    return err('invalid_request')
  end
  seen[id] = true
  new_ids[i] = id
  local zf = 'z:' .. id .. ':'
  local f = redis.call('HMGET', k_ev, zf .. 'capacity', zf .. 'held', zf .. 'sold')
  if f[1] then
    local committed = tonumber(f[2]) + tonumber(f[3])
    if cap < committed then return err('capacity_below_committed') end
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
  redis.call('HSET', k_ev, zf .. 'name', z.name or '',
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
             zf .. 'held', zf .. 'sold')
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
