#!lua
-- delete_pass: the detached task after a reservation made with a queue pass
-- (docs/waiting-room.md): the pass key, its place in `passes` (its admission slot) and the
-- user's record of it go in one step. Only a used pass is deleted (a pass
-- sent with a reservation while the room was off stays as it is); a pass
-- already gone (expired, deleted by an earlier attempt) answers 0.
-- KEYS = {P ev, P passes, P pass:<token>, P qp:U?} · ARGV = {token, U?}
-- U: the pass's user as the caller believes (none at first).
-- -> {"OK", deleted (0/1)}
--  | {"OWNER", user}   the pass is another user's: nothing written, call again with it
local token, user = ARGV[1], ARGV[2]
local k_passes, k_pass, k_qp = KEYS[2], KEYS[3], KEYS[4]
local pass = redis.call('HMGET', k_pass, 'user', 'used')
if pass[1] and pass[2] ~= '1' then return {'OK', 0} end
if pass[1] and (not k_qp or pass[1] ~= user) then return {'OWNER', pass[1]} end
-- ZREM first: should it fail (a wrong type), nothing has been written yet.
redis.call('ZREM', k_passes, token)
local n = redis.call('DEL', k_pass)
if pass[1] and redis.call('GET', k_qp) == token then redis.call('DEL', k_qp) end
return {'OK', n}
