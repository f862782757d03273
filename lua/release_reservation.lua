-- release_reservation: give a live hold's seats back at once.
-- KEYS = {P ev, P r:R, P holds, P cnt, P u:U, P uh:U} · ARGV = {R, U}
local rid, user = ARGV[1], ARGV[2]
local k_res, k_cnt = KEYS[2], KEYS[4]

local now = now_ms()
local status = load_own_reservation(rid, user, now)
if not status then return err('reservation_not_found') end
if status == 'released' then return ok_reservation(1, rid) end
if status == 'confirmed' then return err('already_confirmed') end
if status ~= 'held' then return err('reservation_expired') end

local f = redis.call('HMGET', k_res, 'zone_id', 'quantity')
local q = tonumber(f[2])
local k_zone = P .. 'z:' .. f[1]
redis.call('ZREM', KEYS[3], rid)
redis.call('ZREM', P .. 'zh:' .. f[1], rid)
redis.call('ZREM', KEYS[6], rid)
redis.call('HINCRBY', k_zone, 'available', q)
redis.call('HINCRBY', k_zone, 'held', -q)
redis.call('HINCRBY', KEYS[5], 'used', -q)
redis.call('HSET', k_res, 'status', 'released')
redis.call('HINCRBY', k_cnt, 'held', -1)
redis.call('HINCRBY', k_cnt, 'released', 1)
return ok_reservation(0, rid)
