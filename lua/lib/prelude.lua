-- seatgate prelude: prepended to every script in lua/ (cmake/embed_lua.cmake).
-- Contract: docs/redis-schema.md. Everything here is local to the script.
-- Each script's header states its call: `-- KEYS = {...}` in key shapes (P =
-- the event's prefix below, U = user id, R = reservation id, <name> = a
-- value, <len(U)> = U's length in bytes) and `-- ARGV = {...}` by name (`x?`
-- may be left out at the end, `...` = more of the same). The server's call
-- builders (server/src/store/calls.h) are tested against these lines.

-- KEYS[1] is always "sg:{e:<event>}:ev" (the waiting-room scripts derive
-- their own keys from its prefix; the inventory scripts receive every key).
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

-- The same for small integers (quantities, versions, lengths), each
-- formatted once per call: a batch formats the same few many times.
local SMALL_STR = {}
local function small_str(n)
  local s = SMALL_STR[n]
  if not s then
    s = string.format('%d', n)
    SMALL_STR[n] = s
  end
  return s
end

local function err(code, retry_after_s)
  return {'ERR', code, retry_after_s or 0}
end

-- A positive integer from an optional argument, or the default.
local function arg_count(v, default)
  local n = tonumber(v)
  if n == nil or n < 0 then return default end
  return math.floor(n)
end

-- A call of n requests (group commit; docs/redis-schema.md, "A batch"):
-- request(i) answers request i. A request that fails with an error fails
-- alone, as its own call would (with what it wrote before the error), and
-- the others go on. Returns one reply per request.
local function each_request(n, request)
  local out = {}
  for i = 1, n do
    local ok, reply = pcall(request, i)
    out[i] = (ok or type(reply) == 'table') and reply or {err = tostring(reply)}
  end
  return out
end

-- ---------------------------------------------------------------------------
-- Inventory (docs/redis-schema.md, Keys). An inventory script sets these to
-- its KEYS first (use_inventory_keys): the event hash (config, zone and user
-- counters), the reservations hash, the index zset and the outbox stream.
-- KEYS[5..7] are the event's three seat keys, read by seats() (below) only
-- when a seated zone is touched.
local K_EV, K_R, K_IX, K_OUT

-- KEYS[1..7] = {P ev, P r, P ix, P out, P seats, P sh, P sl}.
local function use_inventory_keys()
  K_EV, K_R, K_IX, K_OUT = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
end

-- Index members sort by their text (all scores 0); times are 15 digits.
local function pad(ms)
  return string.format('%015d', ms)
end

-- "<len(U)>:U:", so one user's members never share a prefix with another's.
local function user_tag(user)
  return small_str(#user) .. ':' .. user .. ':'
end

-- A reservation record: one string in `P r`, field R.
-- status|version|quantity|amount|created_at|expires_at|confirmed_at|zone|
-- currency|seats|len(U)|U|payment_ref (U and payment_ref may hold any byte;
-- seats: the seat ids of a seated zone's hold joined by ',', else empty).
local function rec_parse(s)
  local st, v, q, amount, created, expires, confirmed, zone, currency, seats, ulen, at =
    string.match(s, '^(%a+)|(%d+)|(%d+)|(-?%d+)|(%d+)|(%d+)|(%d*)|([^|]*)|([^|]*)|([^|]*)|(%d+)|()')
  local stop = at + tonumber(ulen)
  return {status = st, version = tonumber(v), quantity = tonumber(q), amount = amount,
          created_at = created, expires_at = expires, confirmed_at = confirmed, zone_id = zone,
          currency = currency, seats = seats, user_id = string.sub(s, at, stop - 1),
          payment_ref = string.sub(s, stop + 1)}
end

local function rec_text(r)
  return table.concat({r.status, small_str(r.version), small_str(r.quantity), r.amount,
                       r.created_at, r.expires_at, r.confirmed_at, r.zone_id, r.currency, r.seats,
                       small_str(#r.user_id), r.user_id, r.payment_ref}, '|')
end

local function rec_get(rid)
  local s = redis.call('HGET', K_R, rid)
  if s then return rec_parse(s) end
  return nil
end

-- The reservation as the API names its fields, appended to `out` as pairs.
local function rec_pairs(out, rid, r)
  local f = {'id', rid, 'event_id', EVENT_ID, 'zone_id', r.zone_id, 'user_id', r.user_id,
             'quantity', int_str(r.quantity), 'amount', r.amount, 'currency', r.currency,
             'status', r.status, 'created_at', r.created_at, 'expires_at', r.expires_at,
             'confirmed_at', r.confirmed_at, 'payment_ref', r.payment_ref}
  for i = 1, #f do out[#out + 1] = f[i] end
  -- A seated zone's reservation also has its seats (docs/seating.md).
  if r.seats ~= '' then
    out[#out + 1] = 'seats'
    out[#out + 1] = r.seats
  end
  return out
end

-- {"OK", replayed, "id", R, "event_id", E, "record", <record text>}: the
-- record's fields are the reservation's (docs/redis-schema.md, Replies).
-- Seven elements instead of the two dozen of the named pairs, which Redis
-- converts to a reply one by one.
local function ok_record(replayed, rid, r)
  return {'OK', replayed, 'id', rid, 'event_id', EVENT_ID, 'record', rec_text(r)}
end

-- The three index members of a held reservation: the event's, the zone's and
-- the user's expiry order.
local function hold_members(rid, r)
  local at = pad(tonumber(r.expires_at)) .. ':' .. rid
  return 'e:' .. at, 'z:' .. r.zone_id .. ':' .. at, 'u:' .. user_tag(r.user_id) .. at
end

-- One outbox entry for a status change (docs/webhooks.md, The outbox): the
-- reservation's id, its event, the time of the change and its record as it
-- is after the change (rec_text; `rec` when the caller has it, `now_s` =
-- `now` as text). Returns the entry's stream id.
local function emit(rid, r, now, now_s, rec)
  return redis.call('XADD', K_OUT, '*', 'id', rid, 'event_id', EVENT_ID,
                    'occurred_at', now_s or int_str(now), 'record', rec or rec_text(r))
end

-- ---------------------------------------------------------------------------
-- Seats (docs/seating.md). Three fixed keys per event, in every inventory
-- script's KEYS whatever its zone: K_SEATS (P seats) holds one state letter
-- per seat of every seated zone of the event, each zone a region of the
-- string ('a' available, 'h' held, 's' sold, 'u' unavailable); K_SH (P sh)
-- maps "<zone>/<seat id>" to the reservation holding a held or sold seat;
-- K_SL (P sl) maps "<zone>" to the zone's layout JSON and "<zone>:base" to
-- the 0-based offset of its region. An event without seated zones has none
-- of the three, and a general zone's hold never reads them.
-- The seat helpers are built on a call's first use of seats(), so a call
-- that touches no seated zone never creates them nor reads the seat keys
-- (the prelude runs on every call): {index, offset, id, pick, best,
-- price_delta (lib/seats.lua), items, zone, set, finish (below), and the
-- keys k_seats, k_sh, k_sl}. The keys are the inventory scripts' KEYS[5..7]
-- (P seats, P sh, P sl) unless given.
local SEATS
local function seats(k_seats, k_sh, k_sl)
  if SEATS then return SEATS end
  local K_SEATS, K_SH, K_SL = k_seats or KEYS[5], k_sh or KEYS[6], k_sl or KEYS[7]
  --! use lib/seats.lua

  -- Items of a comma-separated list.
  local function csv_items(csv)
    local out = {}
    for item in string.gmatch(csv or '', '[^,]+') do out[#out + 1] = item end
    return out
  end

  -- A seated zone's index (lib/seats.lua's seats_index, plus .base and
  -- .layout), read once per call; nil for a zone that is not seated.
  local seat_zones = {}
  local function seat_zone(zone)
    local z = seat_zones[zone]
    if z == nil then
      local f = redis.call('HMGET', K_SL, zone, zone .. ':base')
      z = false
      if f[1] then
        local layout = cjson.decode(f[1])
        z = seats_index(layout)
        z.base, z.layout = tonumber(f[2]) or 0, layout
      end
      seat_zones[zone] = z
    end
    return z or nil
  end

  -- Writes `letter` at the zone's seat offsets `offs` (1-based in the
  -- zone), one SETRANGE per run of consecutive offsets.
  local function seats_set(z, offs, letter)
    local i = 1
    while i <= #offs do
      local j = i
      while j < #offs and offs[j + 1] == offs[j] + 1 do j = j + 1 end
      redis.call('SETRANGE', K_SEATS, z.base + offs[i] - 1, string.rep(letter, j - i + 1))
      i = j + 1
    end
  end

  -- The end of a seated hold: its seats become `letter` ('s' confirmed, 'a'
  -- released or expired), only those still held by this reservation; given
  -- back, they lose their holder. The zone's seat version moves (the
  -- availability stream tells map readers to refetch).
  local function seats_end(rid, r, letter)
    local z = seat_zone(r.zone_id)
    if not z then return end
    local ids, fields = csv_items(r.seats), {}
    for i, id in ipairs(ids) do fields[i] = r.zone_id .. '/' .. id end
    local holders = redis.call('HMGET', K_SH, unpack(fields))
    local offs, gone = {}, {}
    for i, id in ipairs(ids) do
      local o = seat_offset(z, id)
      if holders[i] == rid and o then
        offs[#offs + 1] = o
        gone[#gone + 1] = fields[i]
      end
    end
    seats_set(z, offs, letter)
    if letter == 'a' and #gone > 0 then redis.call('HDEL', K_SH, unpack(gone)) end
    redis.call('HINCRBY', K_EV, 'z:' .. r.zone_id .. ':seat_v', 1)
  end

  SEATS = {index = seats_index, offset = seat_offset, id = seat_id, pick = seats_pick,
           best = seats_best, price_delta = seats_price_delta, items = csv_items,
           zone = seat_zone, set = seats_set, finish = seats_end,
           k_seats = K_SEATS, k_sh = K_SH, k_sl = K_SL}
  return SEATS
end

-- ---------------------------------------------------------------------------
-- Retention (docs/operations.md "Data lifecycle"). An ended reservation has
-- one `P ix` member named by its last outbox entry: `t:<entry>:R` (released
-- or expired) or `c:<entry>:R` (confirmed), the entry id `<ms>-<seq>` as
-- `<15-digit ms>-<10-digit seq>`, so the members sort by entry id and the
-- retention step (purge_ended.lua) compares them with the outbox's first
-- unconsumed entry as text.
local function entry_text(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return string.rep('0', 15 - #ms) .. ms .. '-' .. string.rep('0', 10 - #seq) .. seq
end

local function note_ended(rid, r, entry_id)
  local kind = r.status == 'confirmed' and 'c:' or 't:'
  redis.call('ZADD', K_IX, 0, kind .. entry_text(entry_id) .. ':' .. rid)
end

-- ---------------------------------------------------------------------------
-- Ends a held reservation as `status` (confirmed, released or expired): out
-- of the hold indexes, the zone's and the event's counters, the user's
-- allowance back unless confirmed, the record, one outbox entry and its
-- retention member (note_ended).
local function end_hold(rid, r, status, now, payment_ref)
  local q = r.quantity
  redis.call('ZREM', K_IX, hold_members(rid, r))
  local zf, uf, nf = 'z:' .. r.zone_id .. ':', 'u:' .. r.user_id, 'n:' .. status
  local c = redis.call('HMGET', K_EV, zf .. 'available', zf .. 'held', zf .. 'sold', uf,
                       'n:held', nf)
  local n_held, n_status = tonumber(c[5] or '0') - 1, tonumber(c[6] or '0') + 1
  if status == 'confirmed' then
    redis.call('HSET', K_EV, zf .. 'held', int_str(tonumber(c[2] or '0') - q),
               zf .. 'sold', int_str(tonumber(c[3] or '0') + q), 'n:held', int_str(n_held),
               nf, int_str(n_status))
    r.confirmed_at, r.payment_ref = int_str(now), payment_ref or ''
  else
    redis.call('HSET', K_EV, zf .. 'available', int_str(tonumber(c[1] or '0') + q),
               zf .. 'held', int_str(tonumber(c[2] or '0') - q),
               uf, int_str(tonumber(c[4] or '0') - q),
               'n:held', int_str(n_held), nf, int_str(n_status))
  end
  if r.seats ~= '' then seats().finish(rid, r, status == 'confirmed' and 's' or 'a') end
  r.status, r.version = status, r.version + 1
  local rec = rec_text(r)
  redis.call('HSET', K_R, rid, rec)
  note_ended(rid, r, emit(rid, r, now, nil, rec))
end

-- Expires reservation R if it is still held: true when it was.
local function expire_hold(rid, now)
  local r = rec_get(rid)
  if not r or r.status ~= 'held' then return false end
  end_hold(rid, r, 'expired', now)
  return true
end

-- Expires up to `batch` holds whose expires_at <= now, oldest first, from
-- one expiry order of the index: the event's (`e:`, default), a zone's
-- (`z:<zone>:`) or a user's (`u:<len(U)>:U:`). Returns how many were still
-- held, and how many members were taken from the index.
local function expire_due(now, batch, order)
  if batch <= 0 then return 0, 0 end
  order = order or 'e:'
  local due = redis.call('ZRANGEBYLEX', K_IX, '[' .. order, '(' .. order .. pad(now + 1),
                         'LIMIT', 0, batch)
  local n, cut = 0, #order + 17
  for i = 1, #due do
    if expire_hold(string.sub(due[i], cut), now) then
      n = n + 1
    else
      redis.call('ZREM', K_IX, due[i])  -- a member without a held record
    end
  end
  return n, #due
end

-- The user's reservation R, expired first if it is a due hold; nil when
-- absent or not U's.
local function load_own(rid, user, now)
  local r = rec_get(rid)
  if not r or r.user_id ~= user then return nil end
  if r.status == 'held' and tonumber(r.expires_at) <= now then end_hold(rid, r, 'expired', now) end
  return r
end

-- ---------------------------------------------------------------------------
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
