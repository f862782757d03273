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
local N_ARGS, N_FIXED_KEYS = 11, 7

local function reserve(k_idem, k_pass, k_rate, rid, user, zone_id, quantity, fingerprint,
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

  -- 2. Event, zone, quantity; the counters this request may change, in one read.
  local zf, uf = 'z:' .. zone_id .. ':', 'u:' .. user
  local ev = redis.call('HMGET', K_EV, 'status', 'max_per_order', 'max_per_user', 'hold_ttl_s',
                        'currency', 'wr_enabled', zf .. 'price', zf .. 'available', zf .. 'held',
                        uf, 'n:held', zf .. 'seated')
  if not ev[1] then return refuse('event_not_found') end
  if ev[1] ~= 'on_sale' then return refuse('event_not_on_sale') end
  if not ev[7] then return refuse('zone_not_found') end
  -- A seated zone (docs/seating.md): picked seats, or best available.
  local S, z, picks = nil, nil, nil
  seats_csv, best = seats_csv or '', best or ''
  if ev[12] == '1' then
    S = seats()
    z = S.zone(zone_id)
    if not z then return refuse('zone_not_found') end
    if seats_csv ~= '' then picks = S.items(seats_csv) end
  elseif seats_csv ~= '' or best ~= '' then
    return refuse('zone_not_seated')
  end
  local q = tonumber(quantity)
  if picks then q = #picks end
  if not q or q < 1 or q ~= math.floor(q) or q > (tonumber(ev[2]) or 10) then
    return refuse('invalid_quantity')
  end
  if picks then
    -- Unknown or repeated ids first: they are wrong whatever the seats' states.
    local _, code, bad = S.pick(z, string.rep('a', z.total), picks)
    if code then return refuse(code, 0, bad) end
  end

  -- 3. Waiting room: a live, unused pass of this user for this event. An
  -- event hash without the `wr_enabled` flag is decided by its `wr` JSON.
  local wr_on = ev[6] == '1'
  if ev[6] == false then wr_on = room(nil, redis.call('HGET', K_EV, 'wr')) end
  if wr_on then
    if (queue_pass or '') == '' then return refuse('queue_pass_required') end
    local pass = redis.call('HMGET', k_pass, 'user', 'used')
    if pass[1] ~= user or pass[2] ~= '0' then return refuse('queue_pass_invalid') end
  end

  -- 4. Reservations made by this user for this event in the last 60 s of
  -- Redis time (`rl` keeps their times): at most `per_minute` (0 = no cap).
  -- An idempotent replay answered above and never counts.
  local per_minute = arg_count(per_minute_s, 0)
  local window_from = '(' .. int_str(now - 60000)
  if per_minute > 0 then
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
  local available, held = tonumber(ev[8]), tonumber(ev[9])
  local used, n_held = tonumber(ev[10] or '0'), tonumber(ev[11] or '0')
  local max_user = tonumber(ev[3]) or 10
  if z then
    -- A seated zone's due holds go back first, so that the seats they held
    -- are available to this request by exact expiry (a pick also ends the
    -- due holds of its own seats below).
    local budget = math.min(arg_count(expire_batch, 64), 100)
    if expire_due(now, budget, zf) > 0 then
      local c = redis.call('HMGET', K_EV, zf .. 'available', zf .. 'held', uf, 'n:held')
      available, held = tonumber(c[1]), tonumber(c[2])
      used, n_held = tonumber(c[3] or '0'), tonumber(c[4] or '0')
    end
  end
  if used + q > max_user or available < q then
    local budget = arg_count(expire_batch, 64)
    local function give_back(want, order)
      if want <= 0 or budget <= 0 then return end
      local n, taken = expire_due(now, math.min(want, budget), order)
      budget = budget - taken
      if n > 0 then
        local c = redis.call('HMGET', K_EV, zf .. 'available', zf .. 'held', uf, 'n:held')
        available, held = tonumber(c[1]), tonumber(c[2])
        used, n_held = tonumber(c[3] or '0'), tonumber(c[4] or '0')
      end
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
          local c = redis.call('HMGET', K_EV, zf .. 'available', zf .. 'held', uf, 'n:held')
          available, held = tonumber(c[1]), tonumber(c[2])
          used, n_held = tonumber(c[3] or '0'), tonumber(c[4] or '0')
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

  -- 6. Write: the counters in one HSET (all read in this script), the record,
  -- its index members (three expiry orders and the user's history), the
  -- outbox entry.
  local amount = tonumber(ev[7]) * q
  if z then amount = amount + S.price_delta(z.layout, seat_ids, tonumber(ev[7])) end
  local r = {status = 'held', version = 1, quantity = q, amount = int_str(amount),
             created_at = int_str(now),
             expires_at = int_str(now + (tonumber(ev[4]) or 600) * 1000), confirmed_at = '',
             zone_id = zone_id, currency = ev[5] or '', seats = z and table.concat(seat_ids, ',') or '',
             user_id = user, payment_ref = ''}
  redis.call('HSET', K_EV, zf .. 'available', int_str(available - q), zf .. 'held',
             int_str(held + q), uf, int_str(used + q), 'n:held', int_str(n_held + 1))
  redis.call('HSET', K_R, rid, rec_text(r))
  local m_event, m_zone, m_user = hold_members(rid, r)
  redis.call('ZADD', K_IX, '0', m_event, '0', m_zone, '0', m_user,
             '0', 'h:' .. user_tag(user) .. pad(now) .. ':' .. rid)
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
  emit(rid, r, now)
  if wr_on then redis.call('HSET', k_pass, 'used', '1') end
  if per_minute > 0 then
    redis.call('ZREMRANGEBYSCORE', k_rate, '-inf', int_str(now - 60000))
    redis.call('ZADD', k_rate, r.created_at, rid)
    redis.call('PEXPIRE', k_rate, 60000)
  end
  -- Only what the caller cannot know: it sent the id, event, zone, user and
  -- quantity, and a new hold is `held` with no confirmed_at or payment_ref.
  -- A seated hold also answers its seats and their number.
  local reply = {'OK', 0, 'created_at', r.created_at, 'expires_at', r.expires_at, 'amount',
                 r.amount, 'currency', r.currency}
  if z then
    for _, v in ipairs({'seats', r.seats, 'quantity', int_str(q)}) do reply[#reply + 1] = v end
  end
  return reply
end

local n = math.max(1, math.floor(#ARGV / N_ARGS))
if n == 1 then return reserve(KEYS[8], KEYS[9], KEYS[10], unpack(ARGV, 1, N_ARGS)) end
local out = {}
for i = 0, n - 1 do
  -- A request that fails with an error fails alone, as its own call would
  -- (with what it wrote before the error); the others go on.
  local k = N_FIXED_KEYS + 3 * i
  local ok, reply = pcall(reserve, KEYS[k + 1], KEYS[k + 2], KEYS[k + 3],
                          unpack(ARGV, N_ARGS * i + 1, N_ARGS * i + N_ARGS))
  if ok then
    out[i + 1] = reply
  else
    out[i + 1] = type(reply) == 'table' and reply or {err = tostring(reply)}
  end
end
return out
