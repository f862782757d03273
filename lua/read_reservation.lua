-- read_reservation: the user's reservation, expired first if it is due.
-- KEYS = {P ev, P r, P ix, P out} · ARGV = {R, U}
local rid = ARGV[1]
K_EV, K_R, K_IX, K_OUT = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local r = load_own(rid, ARGV[2], now_ms())
if not r then return err('reservation_not_found') end
return ok_record(0, rid, r)
