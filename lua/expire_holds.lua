-- expire_holds: the sweeper's step; returns due holds of one event.
-- KEYS = {P ev, P r, P ix, P out, P seats, P sh, P sl} · ARGV = {batch} → {"OK", n_expired}
use_inventory_keys()
return {'OK', (expire_due(now_ms(), arg_count(ARGV[1], 100)))}
