-- reserve_seats: hold `quantity` places of one zone for a user (the hot path),
-- or, in a seated zone, picked seats or the best available ones.
-- KEYS = {P ev, P r, P ix, P out, P seats, P sh, P sl, P idem:<len(U)>:U:<key>, P pass:<queue_pass>, P rl:U}
-- ARGV = {R, U, zone, quantity, fingerprint, queue_pass, idem_ttl_s, expire_batch,
--         per_minute, seats, best}
-- `seats`: picked seat ids joined by ',' ("" = none; quantity is then their
-- number); `best`: "" (a seated zone's quantity is best available too), "1"
-- (best available asked for), "split" (best available, split allowed).
-- A batch of N requests of one event: the last three keys and the eleven
-- arguments repeat per request, in order; each is processed as its own call
-- would be (at the same Redis time), and the reply is one reply per request
-- ({reply1, ..., replyN}; N = 1 replies the request's reply itself).
use_inventory_keys()
local now = now_ms()
local now_s = int_str(now)
local N_ARGS, N_FIXED_KEYS = 11, 7
local n = math.max(1, math.floor(#ARGV / N_ARGS))

-- Write-behind (docs/decisions.md#group-commit). The event hash's fields the
-- requests of this call need are read in one HMGET (EV: field -> value,
-- false when absent, a number once used as one); a new hold changes the
-- counters in EV and queues its record and index members; flush() writes
-- them (one HSET each of the event hash and the records, one ZADD) and
-- forgets EV. Anything that reads or writes those keys otherwise (a replay,
-- expiry of due holds, a seated zone) flushes first, and the call flushes at
-- its end, so every request sees what the ones before it wrote.
-- DIRTY: the fields of EV changed (field -> true).
local EV, DIRTY, new_recs, new_members = nil, nil, {}, {}

local function flush()
  if DIRTY then
    local w = {}
    for f in pairs(DIRTY) do
      w[#w + 1] = f
      w[#w + 1] = int_str(EV[f])
    end
    redis.call('HSET', K_EV, unpack(w))
    DIRTY = nil
  end
  if #new_recs > 0 then
    redis.call('HSET', K_R, unpack(new_recs))
    new_recs = {}
  end
  if #new_members > 0 then
    redis.call('ZADD', K_IX, unpack(new_members))
    new_members = {}
  end
  EV = nil
end

-- Reads the fields requests i..n need: the event's settings, each zone's
-- price, counters and kind, each user's allowance used.
local function load(i)
  local b = N_ARGS * (i - 1)
  local zf, uf = 'z:' .. (ARGV[b + 3] or '') .. ':', 'u:' .. (ARGV[b + 2] or '')
  local fields = {'status', 'max_per_order', 'max_per_user', 'hold_ttl_s', 'currency',
                  'wr_enabled', 'n:held', zf .. 'price', zf .. 'available', zf .. 'held',
                  zf .. 'seated', uf}
  local seen = i < n and {[zf] = true, [uf] = true}
  for j = i + 1, n do
    local b = N_ARGS * (j - 1)
    local zf, uf = 'z:' .. (ARGV[b + 3] or '') .. ':', 'u:' .. (ARGV[b + 2] or '')
    if not seen[zf] then
      seen[zf] = true
      fields[#fields + 1] = zf .. 'price'
      fields[#fields + 1] = zf .. 'available'
      fields[#fields + 1] = zf .. 'held'
      fields[#fields + 1] = zf .. 'seated'
    end
    if not seen[uf] then
      seen[uf] = true
      fields[#fields + 1] = uf
    end
  end
  local v = redis.call('HMGET', K_EV, unpack(fields))
  EV = {status = v[1], max_per_order = v[2], max_per_user = v[3], hold_ttl_s = v[4],
        currency = v[5], wr_enabled = v[6], ['n:held'] = v[7], [fields[8]] = v[8],
        [fields[9]] = v[9], [fields[10]] = v[10], [fields[11]] = v[11], [fields[12]] = v[12]}
  for k = 13, #fields do EV[fields[k]] = v[k] end
end

-- Field f of EV as a number (`default` when absent).
local function num(f, default)
  local v = EV[f]
  if type(v) ~= 'number' then
    v = tonumber(v) or default
    EV[f] = v
  end
  return v
end

-- A request's counters read again after expiry of due holds changed them in
-- Redis (always after a flush(): nothing of this call is queued then).
local function counters(i, zf, uf)
  flush()
  load(i)
  return num(zf .. 'available'), num(zf .. 'held'), num(uf, 0), num('n:held', 0)
end

-- Texts every new hold of this call shares: its expiry (per hold TTL) and
-- the zero-padded creation time of the user's history member.
local exp_ttl, exp_s, exp_pad
local now_pad = pad(now)
local amounts = {}

local function reserve(i, k_idem, k_pass, k_rate, rid, user, zone_id, quantity, fingerprint,
                       queue_pass, idem_ttl_s, expire_batch, per_minute_s, seats_csv, best)
  -- 1. Idempotency, checked and claimed in one step: the record names this
  -- request's reservation from here on, and is dropped again if it fails.
  local idem_ttl = idem_ttl_s or ''
  if not string.find(idem_ttl, '^[1-9]%d*$') then
    local n = arg_count(idem_ttl, 0)
    idem_ttl = n >= 1 and int_str(n) or '86400'
  end
  local seen = redis.call('SET', k_idem, rid .. ' ' .. fingerprint, 'NX', 'GET', 'EX', idem_ttl)
  if seen then
    -- The same request again answers its reservation.
    flush()
    local cut = string.find(seen, ' ', 1, true) or #seen + 1
    local old_rid = string.sub(seen, 1, cut - 1)
    if string.sub(seen, cut + 1) ~= fingerprint then return err('idempotency_key_reused') end
    local r = rec_get(old_rid)
    if not r or r.user_id ~= user then return err('idempotency_key_reused') end
    if r.status == 'held' and tonumber(r.expires_at) <= now then
      end_hold(old_rid, r, 'expired', now)
    end
    return ok_record(1, old_rid, r)
  end
  local function refuse(code, retry_after_s, seat_ids)
    redis.call('DEL', k_idem)
    local e = err(code, retry_after_s)
    if seat_ids then e[4] = table.concat(seat_ids, ',') end
    return e
  end

  -- 2. Event, zone, quantity; the counters this request may change (EV).
  local zf, uf = 'z:' .. zone_id .. ':', 'u:' .. user
  if not EV then load(i) end
  local status = EV.status
  if not status then return refuse('event_not_found') end
  if status ~= 'on_sale' then return refuse('event_not_on_sale') end
  local price = num(zf .. 'price')
  if not price then return refuse('zone_not_found') end
  local max_order, max_user = num('max_per_order', 10), num('max_per_user', 10)
  local ttl_s, currency, wr_enabled = num('hold_ttl_s', 600), EV.currency or '', EV.wr_enabled
  local available, held = num(zf .. 'available'), num(zf .. 'held')
  local used, n_held = num(uf, 0), num('n:held', 0)
  -- A seated zone (docs/seating.md): picked seats, or best available.
  local S, z, picks = nil, nil, nil
  seats_csv, best = seats_csv or '', best or ''
  if EV[zf .. 'seated'] == '1' then
    flush()
    S = seats()
    z = S.zone(zone_id)
    if not z then return refuse('zone_not_found') end
    if seats_csv ~= '' then picks = S.items(seats_csv) end
  elseif seats_csv ~= '' or best ~= '' then
    return refuse('zone_not_seated')
  end
  local q = tonumber(quantity)
  if picks then q = #picks end
  if not q or q < 1 or q ~= math.floor(q) or q > max_order then
    return refuse('invalid_quantity')
  end
  if picks then
    -- Unknown or repeated ids first: they are wrong whatever the seats' states.
    local _, code, bad = S.pick(z, string.rep('a', z.total), picks)
    if code then return refuse(code, 0, bad) end
  end

  -- 3. Waiting room: a live, unused pass of this user for this event. An
  -- event hash without the `wr_enabled` flag is decided by its `wr` JSON.
  local wr_on = wr_enabled == '1'
  if not wr_enabled then wr_on = room(nil, redis.call('HGET', K_EV, 'wr')) end
  if wr_on then
    if (queue_pass or '') == '' then return refuse('queue_pass_required') end
    local pass = redis.call('HMGET', k_pass, 'user', 'used')
    if pass[1] ~= user or pass[2] ~= '0' then return refuse('queue_pass_invalid') end
  end

  -- 4. Reservations made by this user for this event in the last 60 s of
  -- Redis time (`rl` keeps their times): at most `per_minute` (0 = no cap).
  -- An idempotent replay answered above and never counts.
  local per_minute = arg_count(per_minute_s, 0)
  if per_minute > 0 then
    local window_from = '(' .. int_str(now - 60000)
    local made = redis.call('ZCOUNT', k_rate, window_from, '+inf')
    if made >= per_minute then
      -- The window frees a place when the (made - per_minute + 1)-th oldest leaves it.
      local t = redis.call('ZRANGEBYSCORE', k_rate, window_from, '+inf', 'WITHSCORES', 'LIMIT',
                           made - per_minute, 1)
      return refuse('rate_limited', math.max(1, math.ceil((tonumber(t[2]) + 60000 - now) / 1000)))
    end
  end

  -- 5. The user's allowance over the event's life, and seats. Due holds go
  -- back first only when they could change the answer (short of allowance or
  -- of seats), at most `expire_batch` of them, in this order: the user's own,
  -- oldest first, up to the allowance missing (each returns >= 1 ticket); the
  -- zone's, up to the seats missing (each at most 100, max_per_order's bound);
  -- then the event's, as housekeeping. Otherwise the sweeper, confirm,
  -- release, a read or the next short reserve returns them, exactly once
  -- (docs/decisions.md).
  if z then
    -- A seated zone's due holds go back first, so that the seats they held
    -- are available to this request by exact expiry (a pick also ends the
    -- due holds of its own seats below).
    local budget = math.min(arg_count(expire_batch, 64), 100)
    if expire_due(now, budget, zf) > 0 then available, held, used, n_held = counters(i, zf, uf) end
  end
  if used + q > max_user or available < q then
    flush()
    local budget = arg_count(expire_batch, 64)
    local function give_back(want, order)
      if want <= 0 or budget <= 0 then return end
      local n, taken = expire_due(now, math.min(want, budget), order)
      budget = budget - taken
      if n > 0 then available, held, used, n_held = counters(i, zf, uf) end
    end
    if used + q > max_user then
      give_back(math.min(used + q - max_user, 100), 'u:' .. user_tag(user))
    end
    if used + q <= max_user and available < q then give_back(math.min(q - available, 100), zf) end
    give_back(budget, 'e:')
  end
  if used + q > max_user then return refuse('user_limit_exceeded') end
  -- Picked seats answer for themselves (seats_taken names them) below.
  if available < q and not picks then
    -- Worth a retry only if the zone's live holds could cover the order when
    -- they end; otherwise only a capacity change can.
    if available + held >= q then return refuse('sold_out', 1) end
    return refuse('sold_out')
  end

  -- 5b. The seats: all picked ones available, or a best-available block.
  local offs, seat_ids
  if z then
    seat_ids = {}
    local function state() return redis.call('GETRANGE', S.k_seats, z.base, z.base + z.total - 1) end
    local st = state()
    if picks then
      local code, taken, any_held
      offs, code, taken, any_held = S.pick(z, st, picks)
      if not offs and any_held then
        -- Holds of these seats that are due end now (exact expiry).
        flush()
        local fields = {}
        for i, id in ipairs(taken) do fields[i] = zone_id .. '/' .. id end
        local ended = false
        for _, holder in ipairs(redis.call('HMGET', S.k_sh, unpack(fields))) do
          local hr = holder and rec_get(holder)
          if hr and hr.status == 'held' and tonumber(hr.expires_at) <= now then
            ended = expire_hold(holder, now) or ended
          end
        end
        if ended then
          available, held, used, n_held = counters(i, zf, uf)
          offs, code, taken, any_held = S.pick(z, state(), picks)
        end
      end
      -- Worth a retry only while one of the taken seats is held (not sold).
      if not offs then return refuse(code, any_held and 1 or 0, taken) end
    else
      offs = S.best(z, st, q, best == 'split')
      if not offs then return refuse('no_adjacent_seats') end
    end
    for i, o in ipairs(offs) do seat_ids[i] = S.id(z, o) end
  end

  -- 6. Write: the counters (EV), the record and its index members (three
  -- expiry orders and the user's history) queued for flush(); the seats and
  -- the outbox entry at once.
  local amount_s
  if z then
    amount_s = int_str(price * q + S.price_delta(z.layout, seat_ids, price))
  elseif n == 1 then
    amount_s = int_str(price * q)
  else
    local by_q = amounts[zf]
    if not by_q then
      by_q = {}
      amounts[zf] = by_q
    end
    amount_s = by_q[q]
    if not amount_s then
      amount_s = int_str(price * q)
      by_q[q] = amount_s
    end
  end
  if ttl_s ~= exp_ttl then
    local exp = now + ttl_s * 1000
    exp_ttl, exp_s, exp_pad = ttl_s, int_str(exp), pad(exp)
  end
  local r = {status = 'held', version = 1, quantity = q, amount = amount_s, created_at = now_s,
             expires_at = exp_s, confirmed_at = '', zone_id = zone_id, currency = currency,
             seats = z and table.concat(seat_ids, ',') or '', user_id = user, payment_ref = ''}
  local fa, fh, rec = zf .. 'available', zf .. 'held', rec_text(r)
  local at, tag = exp_pad .. ':' .. rid, user_tag(user)
  local m_event, m_zone, m_user = 'e:' .. at, zf .. at, 'u:' .. tag .. at
  local m_history = 'h:' .. tag .. now_pad .. ':' .. rid
  if n == 1 then
    -- A call of one request writes at once: queueing would only add work.
    redis.call('HSET', K_EV, fa, int_str(available - q), fh, int_str(held + q),
               uf, int_str(used + q), 'n:held', int_str(n_held + 1))
    redis.call('HSET', K_R, rid, rec)
    redis.call('ZADD', K_IX, '0', m_event, '0', m_zone, '0', m_user, '0', m_history)
  else
    if not EV then load(i) end
    EV[fa], EV[fh], EV[uf], EV['n:held'] = available - q, held + q, used + q, n_held + 1
    if not DIRTY then DIRTY = {} end
    DIRTY[fa], DIRTY[fh], DIRTY[uf], DIRTY['n:held'] = true, true, true, true
    local k = #new_recs
    new_recs[k + 1], new_recs[k + 2] = rid, rec
    k = #new_members
    new_members[k + 1], new_members[k + 2] = '0', m_event
    new_members[k + 3], new_members[k + 4] = '0', m_zone
    new_members[k + 5], new_members[k + 6] = '0', m_user
    new_members[k + 7], new_members[k + 8] = '0', m_history
  end
  if z then
    S.set(z, offs, 'h')
    local hs = {}
    for _, id in ipairs(seat_ids) do
      hs[#hs + 1] = zone_id .. '/' .. id
      hs[#hs + 1] = rid
    end
    redis.call('HSET', S.k_sh, unpack(hs))
    redis.call('HINCRBY', K_EV, zf .. 'seat_v', 1)
  end
  emit(rid, r, now, now_s, rec)
  if wr_on then redis.call('HSET', k_pass, 'used', '1') end
  if per_minute > 0 then
    redis.call('ZREMRANGEBYSCORE', k_rate, '-inf', int_str(now - 60000))
    redis.call('ZADD', k_rate, now_s, rid)
    redis.call('PEXPIRE', k_rate, 60000)
  end
  -- Only what the caller cannot know, as one text (docs/redis-schema.md,
  -- Replies): it sent the id, event, zone, user and quantity, and a new hold
  -- is `held` with no confirmed_at or payment_ref. A seated hold also answers
  -- the number of its seats and the seats.
  local reply = 'OK|' .. now_s .. '|' .. exp_s .. '|' .. amount_s .. '|' .. currency
  if z then reply = reply .. '|' .. small_str(q) .. '|' .. r.seats end
  return reply
end

local function request(i)
  local k = N_FIXED_KEYS + 3 * (i - 1)
  return reserve(i, KEYS[k + 1], KEYS[k + 2], KEYS[k + 3],
                 unpack(ARGV, N_ARGS * (i - 1) + 1, N_ARGS * i))
end
local out
if n == 1 then out = request(1) else out = each_request(n, request) end
flush()
return out
