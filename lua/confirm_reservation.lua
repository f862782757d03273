-- confirm_reservation: turn the user's live hold into sold seats.
-- KEYS = {P ev, P r:R, P idem:<len(U)>:U:<key>, P holds, P cnt, P uh:U}
-- ARGV = {R, U, payment_ref, fingerprint, idem_ttl_s, expire_batch?}
local rid, user, payment_ref, fingerprint = ARGV[1], ARGV[2], ARGV[3] or '', ARGV[4]
local k_res, k_idem, k_cnt = KEYS[2], KEYS[3], KEYS[5]

local now = now_ms()
local owner = redis.call('HGET', k_res, 'user_id')
if not owner or owner ~= user then return err('reservation_not_found') end

local idem = redis.call('HMGET', k_idem, 'fp', 'rid')
if idem[1] then
  if idem[1] ~= fingerprint or idem[2] ~= rid then return err('idempotency_key_reused') end
  return ok_reservation(1, rid)
end

-- Housekeeping for the event, then this reservation's own expiry.
expire_due(now, arg_count(ARGV[6], 16))
local status = load_own_reservation(rid, user, now)
if status == 'confirmed' then return err('already_confirmed') end
if status == 'released' then return err('reservation_released') end
if status ~= 'held' then return err('reservation_expired') end

local f = redis.call('HMGET', k_res, 'zone_id', 'quantity')
local q = tonumber(f[2])
local k_zone = P .. 'z:' .. f[1]
redis.call('HINCRBY', k_zone, 'held', -q)
redis.call('HINCRBY', k_zone, 'sold', q)
redis.call('HSET', k_res, 'status', 'confirmed', 'confirmed_at', int_str(now),
           'payment_ref', payment_ref)
redis.call('ZREM', KEYS[4], rid)
redis.call('ZREM', P .. 'zh:' .. f[1], rid)
redis.call('ZREM', KEYS[6], rid)
redis.call('HINCRBY', k_cnt, 'held', -1)
redis.call('HINCRBY', k_cnt, 'confirmed', 1)
redis.call('HSET', k_idem, 'fp', fingerprint, 'rid', rid)
local idem_ttl = arg_count(ARGV[5], 0)
if idem_ttl < 1 then idem_ttl = 86400 end
redis.call('EXPIRE', k_idem, idem_ttl)
return ok_reservation(0, rid)
