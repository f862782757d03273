-- seat_layout: writes one zone's seat layout and seat string, or removes them.
-- KEYS = {P ev, P layout:<zone>, P seats:<zone>, P seat_holders:<zone>} · ARGV = {layout_json ("" = the zone is not seated), mode (check|write)} → {"OK", seats, capacity}
-- The server validates and normalises the layout (docs/seating.md). Seats
-- keep their state by id across a change: rows and seats may be added, free
-- seats marked unavailable or freed again; a held or sold seat may be
-- neither removed nor marked unavailable (capacity_below_committed, with
-- those seat ids as the reply's 4th element). `check` only answers.

--! use lib/seats.lua

local k_layout, k_seats, k_holders = KEYS[2], KEYS[3], KEYS[4]
local mode = ARGV[2]
if mode ~= 'check' and mode ~= 'write' then return err('invalid_request') end
local layout
if ARGV[1] ~= '' then
  local ok, decoded = pcall(cjson.decode, ARGV[1])
  if not ok or type(decoded) ~= 'table' or type(decoded.rows) ~= 'table' then
    return err('invalid_request')
  end
  layout = decoded
end

-- The seats held or sold now: id -> letter.
local committed, any = {}, false
local old_json = redis.call('GET', k_layout)
if old_json then
  local old_ix = seats_index(cjson.decode(old_json))
  local old_state = redis.call('GET', k_seats) or ''
  for o, c in string.gmatch(old_state, '()([hs])') do
    committed[seat_id(old_ix, o)] = c
    any = true
  end
end

local function refuse(ids)
  table.sort(ids)
  return {'ERR', 'capacity_below_committed', 0, table.concat(ids, ',')}
end

if not layout then
  if any then
    local ids = {}
    for id in pairs(committed) do ids[#ids + 1] = id end
    return refuse(ids)
  end
  if mode == 'write' then redis.call('DEL', k_layout, k_seats, k_holders) end
  return {'OK', 0, 0}
end

local ix = seats_index(layout)
local letters = {}
for o = 1, ix.total do letters[o] = 'a' end
local unavailable = 0
for _, id in ipairs(layout.unavailable or {}) do
  local o = seat_offset(ix, id)
  if not o then return err('invalid_request') end
  if letters[o] ~= 'u' then unavailable = unavailable + 1 end
  letters[o] = 'u'
end
local conflicts = {}
for id, c in pairs(committed) do
  local o = seat_offset(ix, id)
  if not o or letters[o] == 'u' then
    conflicts[#conflicts + 1] = id
  else
    letters[o] = c
  end
end
if #conflicts > 0 then return refuse(conflicts) end
if mode == 'write' then
  redis.call('SET', k_layout, ARGV[1])
  redis.call('SET', k_seats, table.concat(letters))
end
return {'OK', ix.total, ix.total - unavailable}
