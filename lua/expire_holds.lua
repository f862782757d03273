-- expire_holds: the sweeper's step; returns due holds of one event.
-- KEYS = {P ev, P holds, P cnt} · ARGV = {batch} → {"OK", n_expired}
return {'OK', (expire_due(now_ms(), arg_count(ARGV[1], 100)))}
