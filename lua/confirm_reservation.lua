-- confirm_reservation: turn the user's live hold into sold seats.
-- KEYS = {P ev, P r, P ix, P out, P seats, P sh, P sl, P idem:<len(U)>:U:<key>}
-- ARGV = {R, U, payment_ref, fingerprint, idem_ttl_s, expire_batch?}
local rid, user, payment_ref, fingerprint = ARGV[1], ARGV[2], ARGV[3] or '', ARGV[4]
use_inventory_keys()
local k_idem = KEYS[8]

local now = now_ms()
local r = rec_get(rid)
if not r or r.user_id ~= user then return err('reservation_not_found') end

-- Idempotency, checked and claimed in one step (dropped again on a refusal).
local idem_ttl = arg_count(ARGV[5], 0)
if idem_ttl < 1 then idem_ttl = 86400 end
local seen = redis.call('SET', k_idem, rid .. ' ' .. fingerprint, 'NX', 'GET', 'EX', idem_ttl)
if seen then
  if seen ~= rid .. ' ' .. fingerprint then return err('idempotency_key_reused') end
  return ok_record(1, rid, r)
end
local function refuse(code)
  redis.call('DEL', k_idem)
  return err(code)
end

-- Housekeeping for the event, then this reservation's own expiry.
expire_due(now, arg_count(ARGV[6], 16))
r = load_own(rid, user, now)
if r.status == 'confirmed' then return refuse('already_confirmed') end
if r.status == 'released' then return refuse('reservation_released') end
if r.status ~= 'held' then return refuse('reservation_expired') end

end_hold(rid, r, 'confirmed', now, payment_ref)
return ok_record(0, rid, r)
