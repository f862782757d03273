-- bench/reference_reserve.lua: the least a reservation can do in Redis, as a
-- yardstick for seatgate's reserve (bench/run.sh runs it with
-- redis-benchmark, pipelined and not, beside seatgate over HTTP).
--
-- It keeps the shape of a real reservation and nothing more: check the
-- idempotency key, check and take the seats, write the hold, index its expiry,
-- record the key. No per-user limit, no waiting-room pass, no audit counters,
-- no history, no outbox.
--
-- KEYS[1] idempotency key   KEYS[2] zone hash (field `available`)
-- KEYS[3] holds hash (field = reservation id, value = quantity)
-- KEYS[4] expiry zset (member = reservation id, score = expiry ms)
-- ARGV[1] reservation id    ARGV[2] quantity    ARGV[3] hold TTL (ms)
local prior = redis.call('GET', KEYS[1])
if prior then return prior end
local q = tonumber(ARGV[2])
local available = tonumber(redis.call('HGET', KEYS[2], 'available') or '0')
if available < q then return false end
redis.call('HINCRBY', KEYS[2], 'available', -q)
redis.call('HSET', KEYS[3], ARGV[1], q)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[4], now + tonumber(ARGV[3]), ARGV[1])
redis.call('SET', KEYS[1], ARGV[1], 'EX', 86400)
return ARGV[1]
