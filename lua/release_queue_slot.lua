#!lua
-- release_queue_slot: on the USER's Cluster slot, drop the user's claim on an
-- event's waiting room, but only the claim of generation `gen` (a newer
-- claim of the same room, made meanwhile by another request, stays).
-- KEYS = {sg:{u:U}:queues} · ARGV = {event, gen} -> {"OK", released (0/1)}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return {'OK', 1}
end
return {'OK', 0}
