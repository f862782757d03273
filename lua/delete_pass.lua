-- delete_pass: the detached task after a reservation made with a queue pass
-- (docs/waiting-room.md): the pass key, its place in `passes` (its admission slot) and the
-- user's record of it go in one step. Only a used pass is deleted (a pass
-- sent with a reservation while the room was off stays as it is); a pass
-- already gone (expired, deleted by an earlier attempt) answers 0.
-- KEYS = {P ev, P passes} · ARGV = {token} -> {"OK", deleted (0/1)}
local token = ARGV[1]
local k_pass = P .. 'pass:' .. token
local pass = redis.call('HMGET', k_pass, 'user', 'used')
if pass[1] and pass[2] ~= '1' then return {'OK', 0} end
-- ZREM first: should it fail (a wrong type), nothing has been written yet.
redis.call('ZREM', KEYS[2], token)
local n = redis.call('DEL', k_pass)
if pass[1] then
  local k_qp = P .. 'qp:' .. pass[1]
  if redis.call('GET', k_qp) == token then redis.call('DEL', k_qp) end
end
return {'OK', n}
