-- confirm_reservation: turn the user's live hold into sold seats.
-- KEYS = {P ev, P r, P ix, P out, P seats, P sh, P sl, P idem:<len(U)>:U:<key>}
-- ARGV = {R, U, payment_ref, fingerprint, idem_ttl_s, expire_batch?}
-- A batch of N confirms of one event (group commit, as reserve_seats): the
-- last key and the six arguments repeat per request, in order (each request
-- then carries expire_batch, "" for the default); each is processed as its
-- own call would be (at the same Redis time), and the reply is one reply per
-- request ({reply1, ..., replyN}; N = 1 replies the request's reply itself).
use_inventory_keys()
local now = now_ms()
local N_ARGS, N_FIXED_KEYS = 6, 7

local function confirm(k_idem, rid, user, payment_ref, fingerprint, idem_ttl_s)
  payment_ref = payment_ref or ''
  local r = rec_get(rid)
  if not r or r.user_id ~= user then return err('reservation_not_found') end

  -- Idempotency, checked and claimed in one step (dropped again on a refusal).
  local idem_ttl = arg_count(idem_ttl_s, 0)
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

  -- This reservation's own expiry (the event's due holds went first, below;
  -- nothing changed the record since it was read above).
  if r.status == 'held' and tonumber(r.expires_at) <= now then end_hold(rid, r, 'expired', now) end
  if r.status == 'confirmed' then return refuse('already_confirmed') end
  if r.status == 'released' then return refuse('reservation_released') end
  if r.status ~= 'held' then return refuse('reservation_expired') end

  end_hold(rid, r, 'confirmed', now, payment_ref)
  return ok_record(0, rid, r)
end

local n = math.max(1, math.floor(#ARGV / N_ARGS))
-- Housekeeping for the event, once per call: up to expire_batch (the first
-- request's; default 16) of its due holds expire first.
expire_due(now, arg_count(ARGV[6], 16))
local function request(i)
  return confirm(KEYS[N_FIXED_KEYS + i], unpack(ARGV, N_ARGS * (i - 1) + 1, N_ARGS * i - 1))
end
if n == 1 then return request(1) end
return each_request(n, request)
