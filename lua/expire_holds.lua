-- expire_holds: the sweeper's step; returns due holds of one event.
-- KEYS = {P ev, P r, P ix, P out} · ARGV = {batch} → {"OK", n_expired}
K_EV, K_R, K_IX, K_OUT = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
return {'OK', (expire_due(now_ms(), arg_count(ARGV[1], 100)))}
