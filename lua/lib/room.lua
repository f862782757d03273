-- seatgate waiting-room helpers: prepended, after the prelude, to the
-- waiting-room scripts only (lua/CMakeLists.txt). Like those scripts, they
-- touch only keys passed in KEYS (docs/waiting-room.md, "Every key declared").

-- The event's room: found?, on?, its config table, the event's status.
local function room_state(k_ev)
  local ev = redis.call('HMGET', k_ev, 'status', 'wr_enabled', 'wr')
  if not ev[1] then return false, false, {}, nil end
  local on, wr = room(ev[2], ev[3])
  return true, on, wr, ev[1]
end

-- The user's live, unused pass. `k_qp` is P qp:U; `k_pass` is P pass:<named>
-- for the token the caller believes P qp:U names (nil when it named none).
-- Returns token, expires_ms for a live unused pass; nil, token when P qp:U
-- names a token whose key the caller did not pass (the script then answers
-- {"PASS", token} without writing, and the caller calls again with it); nil
-- when there is none.
local function room_pass(user, k_qp, k_passes, k_pass, named)
  local token = redis.call('GET', k_qp)
  if not token then return nil end
  if not k_pass or token ~= named then return nil, token end
  local pass = redis.call('HMGET', k_pass, 'user', 'used')
  if pass[1] ~= user or pass[2] ~= '0' then return nil end
  return token, tonumber(redis.call('ZSCORE', k_passes, token) or '0')
end

-- Admissions already made in second `sec` of Redis time: P admits holds
-- "<second>:<count>" for the last second anyone was admitted in.
local function admitted_in(k_admits, sec)
  local s, n = string.match(redis.call('GET', k_admits) or '', '^(%d+):(%d+)$')
  if tonumber(s) ~= sec then return 0 end
  return tonumber(n)
end

-- How many users may be admitted now: min(capacity - live passes, paced -
-- admitted this second, waiting). `pruning` passes of `passes` are about to
-- go and do not count as live. Paced: by millisecond m of the second, at
-- most max(ceil(rate / 10), ceil(rate * (m + 1) / 1000)), within the rate:
-- one admission round's share (the loop runs every 100 ms) is always
-- there, the rest of the second's admissions are spread over it.
local function room_budget(wr, k_q, k_passes, k_admits, now, pruning)
  local capacity = tonumber(wr.capacity) or 500
  local rate = tonumber(wr.admit_per_s) or 50
  local sec = math.floor(now / 1000)
  local paced = math.min(rate, math.max(math.ceil(rate / 10),
                                        math.ceil(rate * (now % 1000 + 1) / 1000)))
  local live = redis.call('ZCARD', k_passes) - (pruning or 0)
  local budget = math.min(capacity - live, paced - admitted_in(k_admits, sec),
                          redis.call('ZCARD', k_q))
  return math.max(budget, 0), sec
end
