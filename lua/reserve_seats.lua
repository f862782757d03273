-- reserve_seats: hold `quantity` seats of one zone for a user (the hot path).
-- KEYS = {P ev, P z:<zone>, P u:U, P idem:<len(U)>:U:<key>, P ur:U, P holds,
--         P cnt, P zh:<zone>, P uh:U, P rl:U}
-- ARGV = {R, U, zone, quantity, fingerprint, queue_pass, idem_ttl_s, expire_batch,
--         per_minute}
local rid, user, zone_id = ARGV[1], ARGV[2], ARGV[3]
local fingerprint, queue_pass = ARGV[5], ARGV[6] or ''
local k_ev, k_zone, k_user, k_idem, k_ur, k_holds, k_cnt =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local k_zone_holds, k_user_holds, k_rate = KEYS[8], KEYS[9], KEYS[10]

local now = now_ms()

-- 1. Idempotency: the same request again answers its reservation.
local idem = redis.call('HMGET', k_idem, 'fp', 'rid')
if idem[1] then
  if idem[1] ~= fingerprint then return err('idempotency_key_reused') end
  local owner = redis.call('HMGET', P .. 'r:' .. idem[2], 'user_id', 'status', 'expires_at')
  if owner[1] ~= user then return err('idempotency_key_reused') end
  if owner[2] == 'held' and tonumber(owner[3]) <= now then expire_hold(idem[2]) end
  return ok_reservation(1, idem[2])
end

-- 2. Event, zone, quantity.
local ev = redis.call('HMGET', k_ev, 'status', 'max_per_order', 'max_per_user',
                      'hold_ttl_s', 'currency', 'wr_enabled', 'wr')
if not ev[1] then return err('event_not_found') end
if ev[1] ~= 'on_sale' then return err('event_not_on_sale') end
local zone = redis.call('HMGET', k_zone, 'price', 'available', 'held')
if not zone[1] then return err('zone_not_found') end
local q = tonumber(ARGV[4])
if not q or q < 1 or q ~= math.floor(q) or q > (tonumber(ev[2]) or 10) then
  return err('invalid_quantity')
end

-- 3. Waiting room: a live, unused pass of this user for this event.
local wr_on = ev[6] == '1'
if ev[6] == false and ev[7] and ev[7] ~= '{"enabled":false}' then
  wr_on = cjson.decode(ev[7]).enabled == true
end
local k_pass
if wr_on then
  if queue_pass == '' then return err('queue_pass_required') end
  k_pass = P .. 'pass:' .. queue_pass
  local pass = redis.call('HMGET', k_pass, 'user', 'used')
  if pass[1] ~= user or pass[2] ~= '0' then return err('queue_pass_invalid') end
end

-- 4. Reservations made by this user for this event in the last 60 s of
-- Redis time (`rl` keeps their times): at most `per_minute` (0 = no cap).
-- An idempotent replay answered above and never counts.
local per_minute = arg_count(ARGV[9], 0)
local window_from = '(' .. int_str(now - 60000)
if per_minute > 0 then
  local made = redis.call('ZCOUNT', k_rate, window_from, '+inf')
  if made >= per_minute then
    -- The window frees a place when the (made - per_minute + 1)-th oldest leaves it.
    local t = redis.call('ZRANGEBYSCORE', k_rate, window_from, '+inf', 'WITHSCORES', 'LIMIT',
                         made - per_minute, 1)
    return err('rate_limited', math.max(1, math.ceil((tonumber(t[2]) + 60000 - now) / 1000)))
  end
end

-- 5. The user's allowance over the event's life, and seats. Due holds go
-- back first only when they could change the answer (short of allowance or
-- of seats), at most `expire_batch` of them, in this order: the user's own,
-- oldest first, up to the allowance missing (each returns >= 1 ticket); the
-- zone's, up to the seats missing (each at most 100, max_per_order's bound);
-- then the event's, as housekeeping (also for holds older than the user and
-- zone indexes). Otherwise the sweeper, confirm, release, a read or the next
-- short reserve returns them, exactly once (docs/decisions.md).
local available, held = tonumber(zone[2]), tonumber(zone[3])
local used = tonumber(redis.call('HGET', k_user, 'used') or '0')
local max_user = tonumber(ev[3]) or 10
if used + q > max_user or available < q then
  local budget = arg_count(ARGV[8], 64)
  local function give_back(want, index)
    if want <= 0 or budget <= 0 then return end
    local n, taken = expire_due(now, math.min(want, budget), index)
    budget = budget - taken
    if n > 0 then
      local z = redis.call('HMGET', k_zone, 'available', 'held')
      available, held = tonumber(z[1]), tonumber(z[2])
      used = tonumber(redis.call('HGET', k_user, 'used') or '0')
    end
  end
  if used + q > max_user then give_back(math.min(used + q - max_user, 100), k_user_holds) end
  if used + q <= max_user and available < q then
    give_back(math.min(q - available, 100), k_zone_holds)
  end
  give_back(budget, k_holds)
end
if used + q > max_user then return err('user_limit_exceeded') end
if available < q then
  -- Worth a retry only if the zone's live holds could cover the order when
  -- they end; otherwise only a capacity change can.
  if available + held >= q then return err('sold_out', 1) end
  return err('sold_out')
end

-- 6. Write everything. The zone was read in this script, so one HSET of the
-- new counters is as atomic as two HINCRBYs.
local expires_at = now + (tonumber(ev[4]) or 600) * 1000
local created_s, expires_s = int_str(now), int_str(expires_at)
local amount_s, currency = int_str(tonumber(zone[1]) * q), ev[5] or ''
redis.call('HSET', k_zone, 'available', int_str(available - q), 'held', int_str(held + q))
redis.call('HSET', P .. 'r:' .. rid, 'id', rid, 'event_id', EVENT_ID, 'zone_id', zone_id,
           'user_id', user, 'quantity', int_str(q), 'amount', amount_s, 'currency', currency,
           'status', 'held', 'created_at', created_s, 'expires_at', expires_s,
           'confirmed_at', '', 'payment_ref', '')
redis.call('ZADD', k_holds, expires_s, rid)
redis.call('ZADD', k_zone_holds, expires_s, rid)
redis.call('ZADD', k_user_holds, expires_s, rid)
redis.call('ZADD', k_ur, created_s, rid)
redis.call('HSET', k_user, 'used', int_str(used + q))
redis.call('HINCRBY', k_cnt, 'held', 1)
redis.call('HSET', k_idem, 'fp', fingerprint, 'rid', rid)
local idem_ttl = arg_count(ARGV[7], 0)
if idem_ttl < 1 then idem_ttl = 86400 end
redis.call('EXPIRE', k_idem, idem_ttl)
if k_pass then redis.call('HSET', k_pass, 'used', '1') end
if per_minute > 0 then
  redis.call('ZREMRANGEBYSCORE', k_rate, '-inf', int_str(now - 60000))
  redis.call('ZADD', k_rate, created_s, rid)
  redis.call('PEXPIRE', k_rate, 60000)
end
-- Only what the caller cannot know: it sent the id, event, zone, user and
-- quantity, and a new hold is `held` with no confirmed_at or payment_ref.
return {'OK', 0, 'created_at', created_s, 'expires_at', expires_s, 'amount', amount_s,
        'currency', currency}
