-- read_reservation: the user's reservation, expired first if it is due.
-- KEYS = {P ev, P r:R, P holds, P cnt} · ARGV = {R, U}
local rid = ARGV[1]
if not load_own_reservation(rid, ARGV[2], now_ms()) then
  return err('reservation_not_found')
end
return ok_reservation(0, rid)
