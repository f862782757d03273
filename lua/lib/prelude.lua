-- seatgate prelude: prepended to every script in lua/ (cmake/embed_lua.cmake).
-- Contract: docs/redis-schema.md. Everything here is local to the script.
-- Each script's header states its call: `-- KEYS = {...}` in key shapes (P =
-- the event's prefix below, U = user id, R = reservation id, <name> = a
-- value, <len(U)> = U's length in bytes) and `-- ARGV = {...}` by name (`x?`
-- may be left out at the end, `...` = more of the same). The server's call
-- builders (server/src/store/calls.h) are tested against these lines.

-- KEYS[1] is always "sg:{e:<event>}:ev"; every other key shares its prefix.
local P = string.sub(KEYS[1], 1, -3)
local EVENT_ID = string.sub(P, 7, -3)

-- Time from the Redis server, so all server instances agree (ms since epoch).
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Integers stored as hash fields, formatted without exponent or decimals.
local function int_str(n)
  return string.format('%d', n)
end

local function err(code, retry_after_s)
  return {'ERR', code, retry_after_s or 0}
end

-- {"OK", replayed, f1, v1, ...} from a flat HGETALL-style array.
local function ok_pairs(replayed, pairs)
  local out = {'OK', replayed}
  for i = 1, #pairs do out[i + 2] = pairs[i] end
  return out
end

local function ok_reservation(replayed, rid)
  return ok_pairs(replayed, redis.call('HGETALL', P .. 'r:' .. rid))
end

-- A positive integer from an optional argument, or the default.
local function arg_count(v, default)
  local n = tonumber(v)
  if n == nil or n < 0 then return default end
  return math.floor(n)
end

-- Drops a reservation from the three expiry indexes of held reservations:
-- the event's `holds`, the zone's `zh:<zone>` and the user's `uh:<user>`.
local function unindex_hold(rid, zone_id, user)
  redis.call('ZREM', P .. 'holds', rid)
  if zone_id then redis.call('ZREM', P .. 'zh:' .. zone_id, rid) end
  if user then redis.call('ZREM', P .. 'uh:' .. user, rid) end
end

-- Moves a held reservation to `expired`: seats back to the zone, allowance
-- back to the user, counters. Always removes it from the hold indexes;
-- returns true only if it was still held, so a hold leaves `held` exactly once.
local function expire_hold(rid)
  local rk = P .. 'r:' .. rid
  local f = redis.call('HMGET', rk, 'status', 'zone_id', 'user_id', 'quantity')
  unindex_hold(rid, f[2], f[3])
  if f[1] ~= 'held' then return false end
  local q = tonumber(f[4])
  local zk = P .. 'z:' .. f[2]
  redis.call('HINCRBY', zk, 'available', q)
  redis.call('HINCRBY', zk, 'held', -q)
  redis.call('HINCRBY', P .. 'u:' .. f[3], 'used', -q)
  redis.call('HSET', rk, 'status', 'expired')
  redis.call('HINCRBY', P .. 'cnt', 'held', -1)
  redis.call('HINCRBY', P .. 'cnt', 'expired', 1)
  return true
end

-- Expires up to `batch` holds whose expires_at <= now, oldest first, from
-- an index of held reservations: the event's `holds` (default), a zone's
-- `zh:<zone>` or a user's `uh:<user>`. Returns how many were still held,
-- and how many members were taken from the index.
local function expire_due(now, batch, index)
  if batch <= 0 then return 0, 0 end
  local due = redis.call('ZRANGEBYSCORE', index or (P .. 'holds'), '-inf', int_str(now),
                         'LIMIT', 0, batch)
  local n = 0
  for i = 1, #due do
    if expire_hold(due[i]) then n = n + 1 end
  end
  return n, #due
end

-- Reads the reservation's owner, status and expiry; expires it if it is a
-- held reservation that is due. Returns nil when absent or not U's.
local function load_own_reservation(rid, user, now)
  local f = redis.call('HMGET', P .. 'r:' .. rid, 'user_id', 'status', 'expires_at')
  if not f[1] or f[1] ~= user then return nil end
  local status = f[2]
  if status == 'held' and tonumber(f[3]) <= now then
    expire_hold(rid)
    return 'expired', true
  end
  return status, false
end

-- JSON pieces for the admin/read scripts. Built by hand so that lists are
-- always arrays (cjson would encode an empty table as {}).
local function json_str(s)
  return cjson.encode(s or '')
end

local function json_int(v)
  return int_str(tonumber(v) or 0)
end

local function json_object(pairs)
  local parts = {}
  for i = 1, #pairs, 2 do
    parts[#parts + 1] = json_str(pairs[i]) .. ':' .. pairs[i + 1]
  end
  return '{' .. table.concat(parts, ',') .. '}'
end

local function json_array(items)
  return '[' .. table.concat(items, ',') .. ']'
end

local function zone_ids(csv)
  local ids = {}
  for id in string.gmatch(csv or '', '[^,]+') do ids[#ids + 1] = id end
  return ids
end

-- The event's waiting room: on?, its config table ({} when not decoded).
-- `wr_enabled` is the ev field ("1"/"0"; absent on events written before it
-- existed), `wr` the stored JSON.
local function room(wr_enabled, wr)
  if wr_enabled ~= '0' and wr then
    local cfg = cjson.decode(wr)
    return cfg.enabled == true, cfg
  end
  return wr_enabled == '1', {}
end

-- The user's live, unused pass for this event: token and expiry (ms), or nil.
local function live_pass(user)
  local token = redis.call('GET', P .. 'qp:' .. user)
  if not token then return nil end
  local pass = redis.call('HMGET', P .. 'pass:' .. token, 'user', 'used')
  if pass[1] ~= user or pass[2] ~= '0' then return nil end
  return token, tonumber(redis.call('ZSCORE', P .. 'passes', token) or '0')
end
