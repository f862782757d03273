-- release_reservation: give a live hold's seats back at once.
-- KEYS = {P ev, P r, P ix, P out, P seats, P sh, P sl} · ARGV = {R, U}
local rid = ARGV[1]
use_inventory_keys()

local now = now_ms()
local r = load_own(rid, ARGV[2], now)
if not r then return err('reservation_not_found') end
if r.status == 'released' then return ok_record(1, rid, r) end
if r.status == 'confirmed' then return err('already_confirmed') end
if r.status ~= 'held' then return err('reservation_expired') end

end_hold(rid, r, 'released', now)
return ok_record(0, rid, r)
