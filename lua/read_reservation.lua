-- read_reservation: the user's reservation, expired first if it is due.
-- KEYS = {P ev, P r, P ix, P out, P seats, P sh, P sl} · ARGV = {R, U}
local rid = ARGV[1]
use_inventory_keys()
local r = load_own(rid, ARGV[2], now_ms())
if not r then return err('reservation_not_found') end
return ok_record(0, rid, r)
