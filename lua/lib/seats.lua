-- seatgate seats library: pure helpers over a seated zone's layout and its
-- seat string (docs/seating.md). The prelude includes it (its `--! use
-- lib/seats.lua` line, cmake/embed_lua.cmake), so every script has it. No
-- Redis calls here.
--
-- The seat string holds one letter per seat, row-major in the layout's row
-- order (front row first), seat 1 first: 'a' available, 'h' held, 's' sold,
-- 'u' unavailable. Offsets are 1-based positions in that string.

-- The layout (decoded JSON: rows [{id, seats, aisles_after}], ...) as an
-- index: rows[i] = {id, n, first = offset of its seat 1, aisle = {[k] = true
-- for an aisle after seat k}}, row_of[row id] = i, total = number of seats.
local function seats_index(layout)
  local rows, row_of, off = {}, {}, 0
  for i, r in ipairs(layout.rows or {}) do
    local aisle = {}
    for _, a in ipairs(r.aisles_after or {}) do aisle[tonumber(a)] = true end
    rows[i] = {id = r.id, n = tonumber(r.seats), first = off + 1, aisle = aisle}
    row_of[r.id] = i
    off = off + rows[i].n
  end
  return {rows = rows, row_of = row_of, total = off}
end

-- "A-12" -> its offset, or nil when it names no seat of the layout.
local function seat_offset(ix, id)
  if type(id) ~= 'string' then return nil end
  local row, num = string.match(id, '^([A-Za-z0-9]+)%-([1-9]%d*)$')
  if not row or #num > 4 then return nil end
  local i = ix.row_of[row]
  if not i then return nil end
  local n = tonumber(num)
  if n > ix.rows[i].n then return nil end
  return ix.rows[i].first + n - 1
end

-- The row index holding an offset (binary search over the rows).
local function seat_row(ix, off)
  local lo, hi = 1, #ix.rows
  while lo < hi do
    local mid = math.floor((lo + hi + 1) / 2)
    if ix.rows[mid].first <= off then lo = mid else hi = mid - 1 end
  end
  return lo
end

-- An offset -> "A-12".
local function seat_id(ix, off)
  local r = ix.rows[seat_row(ix, off)]
  return r.id .. '-' .. (off - r.first + 1)
end

-- Picked seats, all or nothing: their offsets; or nil, 'invalid_seats' and
-- the unknown or repeated ids; or nil, 'seats_taken', the ids not available
-- (held, sold or unavailable) and whether one of them is held (a retry can
-- then succeed, once that hold ends).
local function seats_pick(ix, state, ids)
  local offs, seen, bad = {}, {}, {}
  for _, id in ipairs(ids) do
    local o = seat_offset(ix, id)
    if not o or seen[o] then
      bad[#bad + 1] = id
    else
      seen[o] = true
      offs[#offs + 1] = o
    end
  end
  if #bad > 0 then return nil, 'invalid_seats', bad end
  local taken, held = {}, false
  for i, o in ipairs(offs) do
    local c = string.sub(state, o, o)
    if c ~= 'a' then
      taken[#taken + 1] = ids[i]
      if c == 'h' then held = true end
    end
  end
  if #taken > 0 then return nil, 'seats_taken', taken, held end
  return offs
end

-- Runs of available seats of row i, never across an aisle: {start, len}
-- pairs in seat numbers, left to right. Each run is bounded by a seat not
-- available, an aisle or the row's end.
local function free_runs(ix, state, i)
  local r, runs, start = ix.rows[i], {}, nil
  for k = 1, r.n do
    local free = string.sub(state, r.first + k - 1, r.first + k - 1) == 'a'
    if free and not start then start = k end
    if start and (not free or r.aisle[k] or k == r.n) then
      local last = free and k or k - 1
      if last >= start then runs[#runs + 1] = {start, last - start + 1} end
      start = nil
    end
  end
  return runs
end

-- The best block of n adjacent seats in row i: its first seat number, or
-- nil. A block that leaves exactly one seat between itself and its run's
-- end strands that seat; blocks that strand none come first, then the one
-- whose middle is nearest the row's middle, then the leftmost.
local function best_in_row(ix, state, i, n)
  local width = ix.rows[i].n
  local best, best_strands, best_dist
  for _, run in ipairs(free_runs(ix, state, i)) do
    local s, len = run[1], run[2]
    for x = s, s + len - n do
      local left, right = x - s, s + len - (x + n)
      local strands = (left == 1 or right == 1) and 1 or 0
      local dist = math.abs(2 * x + n - 1 - (width + 1))
      if not best or strands < best_strands or
          (strands == best_strands and dist < best_dist) then
        best, best_strands, best_dist = x, strands, dist
      end
    end
  end
  return best
end

-- Best available (docs/seating.md): the offsets of n adjacent seats in the
-- frontmost row that has such a block, chosen in that row by best_in_row.
-- With no such block: nil, unless allow_split, then the largest free runs
-- first (front rows first among equals), each from its start, until n seats;
-- nil when fewer than n seats are available. Work: one pass over the rows
-- read (a sort of the runs when splitting), so bounded by the zone's size.
local function seats_best(ix, state, n, allow_split)
  -- Rows without an available seat are skipped by one string.find each (a
  -- sale fills the front rows first: they are not read seat by seat again).
  local from = 1
  while from <= ix.total do
    local p = string.find(state, 'a', from, true)
    if not p or p > ix.total then break end
    local i = seat_row(ix, p)
    local x = best_in_row(ix, state, i, n)
    if x then
      local offs = {}
      for k = 0, n - 1 do offs[#offs + 1] = ix.rows[i].first + x - 1 + k end
      return offs
    end
    from = ix.rows[i].first + ix.rows[i].n
  end
  if not allow_split then return nil end
  local all, free = {}, 0
  for i = 1, #ix.rows do
    for _, run in ipairs(free_runs(ix, state, i)) do
      all[#all + 1] = {i, run[1], run[2]}
      free = free + run[2]
    end
  end
  if free < n then return nil end
  table.sort(all, function(a, b)
    if a[3] ~= b[3] then return a[3] > b[3] end
    if a[1] ~= b[1] then return a[1] < b[1] end
    return a[2] < b[2]
  end)
  local offs = {}
  for _, run in ipairs(all) do
    local first = ix.rows[run[1]].first + run[2] - 1
    for k = 0, math.min(run[3], n - #offs) - 1 do offs[#offs + 1] = first + k end
    if #offs == n then break end
  end
  return offs
end

-- What the seats' categories change in the price of the seats `ids` at the
-- zone's price: for each seat in a category with its own price, that price
-- less the zone's. Work: the priced categories' seats, once.
local function seats_price_delta(layout, ids, zone_price)
  local prices, cats = layout.category_prices, layout.categories
  if type(prices) ~= 'table' or next(prices) == nil or type(cats) ~= 'table' then return 0 end
  local chosen = {}
  for _, id in ipairs(ids) do chosen[id] = true end
  local d = 0
  for name, price in pairs(prices) do
    for _, id in ipairs(cats[name] or {}) do
      if chosen[id] then d = d + tonumber(price) - zone_price end
    end
  end
  return d
end
