// seatgate WebAssembly SDK — the Promise API (appended to the Emscripten
// glue as --extern-post-js, so seatgate.mjs is one ES module).
//
// The C++ core decides everything (validation, keys, retry or not, how long
// to wait); this file only performs its steps: fetch() for "send",
// setTimeout() for "wait", and resolves or rejects for "done"/"failed".
// `createSeatgateModule` is the Emscripten factory defined above.

export const version = '@SEATGATE_VERSION@';

/**
 * Every failure of an SDK call: a code, the HTTP status, retryable, attempts,
 * and, when the last response carried them, its X-Request-Id (requestId) and
 * Retry-After in milliseconds (retryAfterMs); otherwise those are undefined.
 * A refused queue pass (queue_pass_invalid) also carries when it expired
 * (passExpiresAt), when the waiting room reported it.
 */
export class SeatgateError extends Error {
  constructor(e) {
    super(e.message || e.code);
    this.name = 'SeatgateError';
    this.code = e.code;
    this.status = e.status ?? 0;
    this.retryable = !!e.retryable;
    this.attempts = e.attempts ?? 0;
    if (e.cause) this.cause = e.cause;
    this.requestId = e.request_id || undefined;
    this.retryAfterMs = e.retry_after_ms ?? undefined;
    this.passExpiresAt = e.pass_expires_at || undefined;
    this.taken = e.taken ?? undefined;
  }
}

/**
 * Every error code a call can report, as constants: ErrorCodes.sold_out ===
 * 'sold_out'. The key is the code itself, as in C++ (seatgate::errc::sold_out)
 * and C (SEATGATE_CODE_SOLD_OUT); the three faces hold the same set.
 */
export const ErrorCodes = Object.freeze({
  // the SDK's own
  network: 'network', timeout: 'timeout', tls: 'tls', cancelled: 'cancelled',
  deadline_exceeded: 'deadline_exceeded', retry_budget_exhausted: 'retry_budget_exhausted',
  invalid_response: 'invalid_response', http_error: 'http_error', bad_gateway: 'bad_gateway',
  gateway_timeout: 'gateway_timeout', invalid_state: 'invalid_state',
  // validation before the network (no request sent)
  validation_event_id: 'validation_event_id', validation_zone_id: 'validation_zone_id',
  validation_unknown_zone: 'validation_unknown_zone',
  validation_reservation_id: 'validation_reservation_id',
  validation_quantity: 'validation_quantity',
  validation_above_max_per_order: 'validation_above_max_per_order',
  validation_above_availability: 'validation_above_availability',
  validation_above_user_allowance: 'validation_above_user_allowance',
  validation_idempotency_key: 'validation_idempotency_key',
  validation_payment_ref: 'validation_payment_ref',
  validation_queue_pass: 'validation_queue_pass',
  validation_unknown_seat: 'validation_unknown_seat',
  validation_duplicate_seat: 'validation_duplicate_seat',
  validation_seat_taken: 'validation_seat_taken',
  validation_seat_selection: 'validation_seat_selection',
  // the server's (docs/openapi.yaml, Problem.code)
  invalid_json: 'invalid_json', invalid_request: 'invalid_request',
  missing_idempotency_key: 'missing_idempotency_key',
  invalid_idempotency_key: 'invalid_idempotency_key', unauthorized: 'unauthorized',
  forbidden: 'forbidden', queue_pass_required: 'queue_pass_required',
  queue_pass_invalid: 'queue_pass_invalid', not_found: 'not_found',
  event_not_found: 'event_not_found', zone_not_found: 'zone_not_found',
  reservation_not_found: 'reservation_not_found', method_not_allowed: 'method_not_allowed',
  request_timeout: 'request_timeout', sold_out: 'sold_out',
  user_limit_exceeded: 'user_limit_exceeded', event_not_on_sale: 'event_not_on_sale',
  already_confirmed: 'already_confirmed', reservation_released: 'reservation_released',
  capacity_below_committed: 'capacity_below_committed',
  idempotency_key_in_use: 'idempotency_key_in_use', queue_limit_exceeded: 'queue_limit_exceeded',
  reservation_expired: 'reservation_expired', payload_too_large: 'payload_too_large',
  headers_too_large: 'headers_too_large', unsupported_media_type: 'unsupported_media_type',
  invalid_quantity: 'invalid_quantity', idempotency_key_reused: 'idempotency_key_reused',
  rate_limited: 'rate_limited', unavailable: 'unavailable', internal: 'internal',
  zone_not_seated: 'zone_not_seated', seats_taken: 'seats_taken', invalid_seats: 'invalid_seats',
  no_adjacent_seats: 'no_adjacent_seats', event_not_closed: 'event_not_closed',
  holds_live: 'holds_live', outbox_not_drained: 'outbox_not_drained',
});

const defaultEnvironment = {
  now: () => performance.now(),
  randomBytes: (bytes) => crypto.getRandomValues(bytes),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
};

// One WebAssembly instance serves every client made from the same binary.
// Host callbacks are looked up per client id.
const instances = new Map();

function loadInstance(options) {
  const key = options.wasmBinary ?? String(options.wasmUrl ?? '');
  let p = instances.get(key);
  if (!p) {
    const hosts = new Map();
    const moduleArgs = {
      seatgateHost: {
        now: (id) => hosts.get(id).now(),
        random: (id, view) => hosts.get(id).randomBytes(view),
      },
    };
    if (options.wasmBinary) moduleArgs.wasmBinary = options.wasmBinary;
    if (options.wasmUrl) moduleArgs.locateFile = () => String(options.wasmUrl);
    p = createSeatgateModule(moduleArgs).then((m) => {
      Object.assign(m, { sgScratch: 0, sgScratchSize: 0, sgExports: {} });
      return { m, hosts };
    });
    p.catch(() => instances.delete(key));
    instances.set(key, p);
  }
  return p;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Calls an export. String arguments are written (UTF-8, NUL-terminated) one
// after another into a scratch area of wasm memory, malloc'd once per module
// and grown when too small, and passed as char*; { bytes: string } passes
// (char*, length). A returned char* is decoded to a string (its length from
// sg_out_len, never scanned for) and, with returns = 'json', parsed.
// Nothing calls back into call() while an export runs (the host imports only
// read the clock and fill random bytes), so one scratch area is enough.
function call(m, name, args, returns) {
  let room = 0;
  for (const a of args) {
    const text = typeof a === 'string' ? a : a?.bytes;
    if (typeof text === 'string') room += text.length * 3 + 1;  // UTF-8 of UTF-16 fits
  }
  if (room > m.sgScratchSize) {
    if (m.sgScratch) m._free(m.sgScratch);
    m.sgScratchSize = Math.max(room, 2 * (m.sgScratchSize || 2048));
    m.sgScratch = m._malloc(m.sgScratchSize);
  }
  const argv = [];
  let ptr = m.sgScratch;
  for (const a of args) {
    const text = typeof a === 'string' ? a : a?.bytes;
    if (typeof text !== 'string') {
      argv.push(a);
      continue;
    }
    const heap = m.HEAPU8;
    const { written } = encoder.encodeInto(text, heap.subarray(ptr, ptr + text.length * 3));
    heap[ptr + written] = 0;
    argv.push(ptr);
    if (typeof a !== 'string') argv.push(written);
    ptr += written + 1;
  }
  const fn = m.sgExports[name] ??= m['_' + name];
  const r = fn(...argv);
  if (returns === 'number') return r;
  const text = decoder.decode(m.HEAPU8.subarray(r, r + m._sg_out_len()));
  return returns === 'json' ? JSON.parse(text) : text;
}

function validationError(code, message) {
  return new SeatgateError({ code, message, status: 0, retryable: false, attempts: 0 });
}

function closedError() {
  return new SeatgateError({
    code: ErrorCodes.invalid_state, status: 0, retryable: false, attempts: 0,
    message: 'This client was closed (close()); make a new one with createClient().',
  });
}

// A client's state lives in one object under a symbol, not in class private
// fields (#x): a method called through a framework's proxy (Vue's reactive(),
// Pinia, MobX) gets the proxy as `this`, and #x lookups on a proxy throw.
// `__v_skip` tells Vue not to make the state itself reactive.
const STATE = Symbol('seatgate.client');
// The idempotency key of a call refused with 401, for its one repeat.
const KEY = Symbol('seatgate.idempotencyKey');

class ClientState {
  constructor(inst, options) {
    this.__v_skip = true;
    this.m = inst.m;
    this.hosts = inst.hosts;
    this.env = { ...defaultEnvironment, ...(options.environment ?? {}) };
    this.fetch = options.fetch ?? ((...a) => globalThis.fetch(...a));
    this.baseUrl = (options.baseUrl ?? (globalThis.location ? globalThis.location.origin : '')).replace(/\/+$/, '');
    this.onRetry = options.onRetry;
    this.onAttempt = typeof options.onAttempt === 'function' ? options.onAttempt : null;
    this.onRequest = typeof options.onRequest === 'function' ? options.onRequest : null;
    this.log = typeof options.log === 'function' ? options.log : null;
    this.getToken = typeof options.getToken === 'function' ? options.getToken : null;
    this.maxAttempts = options.retry?.maxAttempts ?? 5;
    this.id = 0;
    this.closed = false;
    this.live = new Set();  // stop functions of the calls in flight
  }
}

function state(client) {
  const s = client[STATE];
  if (!s) throw new TypeError('not a seatgate Client');
  return s;
}

// Rejects when the client is closed; otherwise the client's state.
function open(client) {
  const s = state(client);
  if (s.closed) throw closedError();
  return s;
}

// Arguments are camelCase, the core's names snake_case (docs/wasm.md, "Names").
function orderArgs(o) {
  const args = { event_id: o?.eventId ?? '', zone_id: o?.zoneId ?? '', quantity: o?.quantity };
  return seatArgs(o, args);
}

// A seated zone's order: picked seats (their count is the quantity) or best
// available.
function seatArgs(o, args) {
  if (Array.isArray(o?.seats)) {
    args.seats = o.seats.map(String);
    args.quantity = args.seats.length;
  }
  if (o?.bestAvailable) args.best_available = true;
  if (o?.allowSplit) args.allow_split = true;
  return args;
}

const QUANTITY_MESSAGE = 'The quantity must be a whole number from 1 to 100.';

export class Client {
  /** @internal use createClient() */
  constructor(inst, options) {
    const s = new ClientState(inst, options);
    Object.defineProperty(this, STATE, { value: s, configurable: true });
    const r = options.retry ?? {};
    const b = options.retryBudget ?? {};
    const o = {};
    if (r.maxAttempts != null) o.max_attempts = r.maxAttempts;
    if (r.baseDelayMs != null) o.base_delay_ms = r.baseDelayMs;
    if (r.maxDelayMs != null) o.max_delay_ms = r.maxDelayMs;
    if (r.deadlineMs != null) o.deadline_ms = r.deadlineMs;
    if (r.attemptTimeoutMs != null) o.request_timeout_ms = r.attemptTimeoutMs;
    if (b.capacity != null) o.budget_capacity = b.capacity;
    if (b.refillPerSecond != null) o.budget_refill_per_s = b.refillPerSecond;
    if (options.snapshotMaxAgeMs != null) o.snapshot_max_age_ms = options.snapshotMaxAgeMs;
    s.id = call(s.m, 'sg_client_new', [JSON.stringify(o)], 'number');
    s.hosts.set(s.id, s.env);
    if (typeof options.token === 'string') this.setToken(options.token);
  }

  setToken(token) {
    const s = open(this);
    call(s.m, 'sg_client_set_token', [s.id, token ?? ''], 'number');
  }

  /**
   * Frees the client's core. Calls in flight reject with invalid_state, and
   * so does every later call. Closing twice is harmless.
   */
  close() {
    const s = state(this);
    if (s.closed) return;
    s.closed = true;
    for (const stop of [...s.live]) stop();
    call(s.m, 'sg_client_free', [s.id], 'number');
    // Calls still finishing may read the clock: their host goes with the last.
    if (s.live.size === 0) s.hosts.delete(s.id);
  }

  get closed() {
    return state(this).closed;
  }

  getEvent(eventId, options) {
    return run(this, 'get_event', 'getEvent', { event_id: eventId }, options);
  }

  reserve(request, options = {}) {
    const args = orderArgs(request);
    if (!Number.isSafeInteger(args.quantity)) {
      return Promise.reject(validationError(ErrorCodes.validation_quantity, QUANTITY_MESSAGE));
    }
    args.idempotency_key = options.idempotencyKey ?? '';
    args.queue_pass = request.queuePass ?? '';
    if (options.soldOutWaitMs != null) args.sold_out_wait_ms = options.soldOutWaitMs;
    return run(this, 'reserve', 'reserve', args, options);
  }

  getSeatMap(eventId, zoneId, options) {
    return run(this, 'get_seat_map', 'getSeatMap', { event_id: eventId ?? '', zone_id: zoneId ?? '' }, options);
  }

  getReservation(reservationId, options) {
    return run(this, 'get_reservation', 'getReservation', { reservation_id: reservationId }, options);
  }

  confirm(reservationId, body = {}, options = {}) {
    const args = { reservation_id: reservationId, idempotency_key: options.idempotencyKey ?? '' };
    if (body?.paymentRef != null) args.payment_ref = body.paymentRef;
    return run(this, 'confirm', 'confirm', args, options);
  }

  release(reservationId, options) {
    return run(this, 'release', 'release', { reservation_id: reservationId }, options);
  }

  async listMyReservations(eventId, options) {
    const v = await run(this, 'list_reservations', 'listMyReservations', { event_id: eventId ?? '' }, options);
    return v.reservations;
  }

  joinQueue(eventId, options) {
    return run(this, 'join_queue', 'joinQueue', { event_id: eventId }, options);
  }

  queueStatus(eventId, options) {
    return run(this, 'queue_status', 'queueStatus', { event_id: eventId }, options);
  }

  /** Resolves with {status: "left"}, as every face of the SDK returns. */
  leaveQueue(eventId, options) {
    return run(this, 'leave_queue', 'leaveQueue', { event_id: eventId }, options);
  }

  /**
   * The core's wait_for_pass: joins (or, with resume, reads the position
   * first), polls as poll_after_ms says with ±20% jitter, calls onPosition
   * for every "waiting" answer, retries each request like any call, and
   * resolves with {status: "admitted", queue_pass, pass_expires_at} — the
   * pass is then sent by the next reserve of the event — or
   * {status: "not_required"} when the event has no waiting room.
   */
  waitForPass(eventId, options = {}) {
    const args = { event_id: eventId ?? '' };
    if (options.deadlineMs != null) args.deadline_ms = options.deadlineMs;
    if (options.jitter != null) args.jitter = options.jitter;
    if (options.resume) args.join = false;
    return run(this, 'wait_for_pass', 'waitForPass', args, options);
  }

  validate(order) {
    const s = open(this);
    const args = orderArgs(order);
    if (!Number.isSafeInteger(args.quantity)) return validationError(ErrorCodes.validation_quantity, QUANTITY_MESSAGE);
    // A reserve operation that is started but never sent: start() runs every
    // rule the core has, against the snapshots this client holds.
    const op = call(s.m, 'sg_op_new', [s.id, 'reserve', JSON.stringify(args)], 'number');
    try {
      const step = call(s.m, 'sg_op_start', [op], 'json');
      return step.k === 'failed' ? new SeatgateError(step.error) : null;
    } finally {
      call(s.m, 'sg_op_free', [op], 'number');
    }
  }

  newIdempotencyKey() {
    const s = open(this);
    return call(s.m, 'sg_client_uuid', [s.id], 'string');
  }

  /** Tokens left in the client-wide retry budget. */
  retryBudgetTokens() {
    const s = open(this);
    return call(s.m, 'sg_client_budget_tokens', [s.id], 'number');
  }

  /**
   * Live availability of an event (docs/wasm.md, "Live availability"): an
   * async iterator of {event, live}, the event as getEvent() answers it,
   * each time it changes. Ends when `signal` aborts or the loop breaks.
   */
  watchAvailability(eventId, options = {}) {
    return watch(this, open(this), eventId, options);
  }
}

// GET /v1/events/{id}/stream read with fetch (a streamed body, in browsers
// and Node alike): unlike EventSource it sees a refusal's status, honours the
// client's fetch and AbortSignal, and needs no polyfill. A refused or broken
// stream falls back to polling getEvent(), and tries the stream again later.
async function* watch(client, s, eventId, options) {
  const outer = options.signal;
  const pollMs = options.pollIntervalMs ?? 3000;
  const streamRetryMs = options.streamRetryMs ?? 30000;
  const url = `${s.baseUrl}/v1/events/${encodeURIComponent(eventId)}/stream`;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  outer?.addEventListener('abort', onAbort, { once: true });
  let last = '';
  let streamAfter = 0;  // performance time before which the stream is not tried
  try {
    while (!stop.signal.aborted && !s.closed) {
      if (s.env.now() >= streamAfter) {
        let res = null;
        try {
          res = await s.fetch(url, { headers: { Accept: 'text/event-stream' }, cache: 'no-store',
                                     signal: stop.signal });
        } catch {
          if (stop.signal.aborted) return;
        }
        if (res && res.ok && res.body) {
          let event = null;
          let retryMs = 1000;
          try {
            for await (const m of sseMessages(res.body)) {
              if (m.retry != null) retryMs = m.retry;
              if (m.event === 'snapshot') event = JSON.parse(m.data);
              else if (m.event === 'availability' && event) event = mergeChange(event, JSON.parse(m.data));
              else continue;
              last = JSON.stringify(event);
              yield { event, live: true };
            }
          } catch {
            if (stop.signal.aborted) return;
          }
          // The server ended the stream (restart, drop): come back after its hint.
          await sleep(s, retryMs, stop.signal).catch(() => {});
          continue;
        }
        if (res?.body) await res.body.cancel().catch(() => {});
        if (res?.status === 404 || res?.status === 400) {
          await client.getEvent(eventId, { signal: stop.signal });  // rejects with the problem
        }
        streamAfter = s.env.now() + streamRetryMs;
      }
      const event = await client.getEvent(eventId, { signal: stop.signal });
      const text = JSON.stringify(event);
      if (text !== last) {
        last = text;
        yield { event, live: false };
      }
      await sleep(s, pollMs, stop.signal).catch(() => {});
    }
  } catch (e) {
    if (!stop.signal.aborted) throw e;
  } finally {
    outer?.removeEventListener('abort', onAbort);
    stop.abort();
  }
}

// The event with an `availability` message applied: the status, and the
// zones whose `available` moved.
function mergeChange(event, change) {
  const moved = new Map((change.zones ?? []).map((z) => [z.id, z.available]));
  return {
    ...event,
    status: change.status ?? event.status,
    zones: event.zones.map((z) => (moved.has(z.id) ? { ...z, available: moved.get(z.id) } : z)),
  };
}

// Server-Sent Events messages of a streamed body (comments skipped).
async function* sseMessages(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const m = { event: 'message', data: '', id: '', retry: null };
        for (const line of buf.slice(0, end).split('\n')) {
          if (line === '' || line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let v = colon < 0 ? '' : line.slice(colon + 1);
          if (v.startsWith(' ')) v = v.slice(1);
          if (field === 'event') m.event = v;
          else if (field === 'data') m.data += (m.data ? '\n' : '') + v;
          else if (field === 'id') m.id = v;
          else if (field === 'retry' && /^\d+$/.test(v)) m.retry = Number(v);
        }
        buf = buf.slice(end + 2);
        if (m.data) yield m;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

// One call: with a token provider, asks it for the token first and, when the
// server answers 401, once more with {forceRefresh: true} and repeats the call
// (with the same idempotency key: a 401 changed nothing on the server).
async function run(client, kind, name, args, options = {}) {
  const s = open(client);
  if (!s.getToken) return drive(s, kind, name, args, options);
  const attempt = async (forceRefresh, key) => {
    const token = await s.getToken({ forceRefresh });
    if (s.closed) throw closedError();
    call(s.m, 'sg_client_set_token', [s.id, token ?? ''], 'number');
    return drive(s, kind, name, key ? { ...args, idempotency_key: key } : args, options);
  };
  try {
    return await attempt(false, '');
  } catch (e) {
    if (!(e instanceof SeatgateError) || e.code !== 'unauthorized' || options.signal?.aborted) throw e;
    return attempt(true, e[KEY] ?? '');
  }
}

// Performs the core's steps for one operation until it is done or failed.
async function drive(s, kind, name, args, options) {
  const m = s.m;
  const signal = options.signal;
  const op = call(m, 'sg_op_new', [s.id, kind, JSON.stringify(args)], 'number');
  // `stop` aborts what is pending (fetch or sleep) when the signal aborts or
  // the client closes; the step after it is the core's cancel.
  const ctrl = new AbortController();
  const stop = () => ctrl.abort();
  s.live.add(stop);
  signal?.addEventListener('abort', stop);
  const stopped = () => signal?.aborted || s.closed;
  // Rejects with what stopped the call: the signal's reason (an AbortError or,
  // from AbortSignal.timeout(), a TimeoutError DOMException), or the close.
  const stoppedError = (coreError) => {
    if (s.closed) return closedError();
    return signal.reason !== undefined ? signal.reason : new SeatgateError(coreError);
  };
  try {
    if (signal?.aborted) ctrl.abort();
    let step = call(m, 'sg_op_start', [op], 'json');
    for (;;) {
      if (step.k === 'done') return step.value;
      if (step.k === 'failed') {
        if (step.error.code === 'cancelled' && stopped()) throw stoppedError(step.error);
        const e = new SeatgateError(step.error);
        if (e.code === 'unauthorized') e[KEY] = call(m, 'sg_op_key', [op], 'string');
        throw e;
      }
      if (stopped()) {
        // A send step not yet performed is not counted as an attempt.
        step = call(m, step.k === 'send' ? 'sg_op_cancel_unsent' : 'sg_op_cancel', [op], 'json');
        continue;
      }
      if (step.k === 'send') {
        step = await send(s, op, step, ctrl.signal, name);
      } else if (step.k === 'wait') {
        if (step.retry) reportRetry(s, name, step.retry, options);
        if (step.position) reportPosition(step.position, options);
        try {
          await sleep(s, step.delay_ms, ctrl.signal);
          step = call(m, 'sg_op_on_timer', [op], 'json');
        } catch {
          step = call(m, 'sg_op_cancel', [op], 'json');
        }
      } else {
        throw new SeatgateError({ code: ErrorCodes.invalid_state, message: `Unknown step "${step.k}".` });
      }
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    s.live.delete(stop);
    call(m, 'sg_op_free', [op], 'number');
    if (s.closed && s.live.size === 0) s.hosts.delete(s.id);
  }
}

function reportPosition(p, options) {
  if (!options.onPosition) return;
  try {
    options.onPosition({
      status: 'waiting', position: p.position, poll_after_ms: p.poll_after_ms,
      next_poll_in_ms: p.next_poll_in_ms,
    });
  } catch (e) {
    queueMicrotask(() => { throw e; });
  }
}

function reportRetry(s, operation, r, options) {
  const info = {
    operation, attempt: r.attempt, maxAttempts: s.maxAttempts,
    delayMs: r.delay_ms, reason: r.reason, status: r.status,
  };
  if (s.log) {
    notify(s.log, 'info', `retrying (attempt ${r.attempt}) in ${r.delay_ms} ms after ${r.reason}`);
  }
  for (const cb of [s.onRetry, options.onRetry]) {
    if (!cb) continue;
    try {
      cb(info);
    } catch (e) {
      queueMicrotask(() => { throw e; });
    }
  }
}

// Calls an app's hook; what it throws is rethrown outside the call.
function notify(cb, ...args) {
  try {
    cb(...args);
  } catch (e) {
    queueMicrotask(() => { throw e; });
  }
}

// Tells onAttempt and log how one request ended (the native client's
// on_attempt and log lines, docs/sdk.md "Observability").
function reportAttempt(s, operation, step, t0, status, failure, requestId) {
  if (!s.onAttempt && !s.log) return;
  const a = {
    operation, method: step.method, url: s.baseUrl + step.path, status, failure,
    elapsedMs: Math.max(0, Math.round(s.env.now() - t0)), requestId,
    attempt: step.attempt, idempotencyKey: keyOf(step),
  };
  if (s.onAttempt) notify(s.onAttempt, a);
  if (s.log) {
    const rid = requestId ? `, request id ${requestId}` : '';
    const line = `${a.method} ${a.url} -> ${status || failure} (${a.elapsedMs} ms${rid})`;
    notify(s.log, 'debug', line);
  }
}

// The idempotency key a send step carries ("" for operations without one).
function keyOf(step) {
  for (const [name, value] of step.headers) if (name === 'Idempotency-Key') return value;
  return '';
}

// The request hook (onRequest, docs/wasm.md): told before each attempt, it
// may add headers of its own; the core's rule decides which
// (sg_op_add_header: none of the SDK's, no CR/LF). A Promise it returns is
// awaited; what it throws or rejects with is rethrown outside the call, as
// for every hook. Returns the accepted headers.
async function requestHook(s, op, step, operation) {
  const added = [];
  let open = true;
  const info = {
    operation, method: step.method, url: s.baseUrl + step.path, attempt: step.attempt,
    idempotencyKey: keyOf(step),
    addHeader(name, value) {
      if (!open || typeof name !== 'string' || typeof value !== 'string') return false;
      if (!call(s.m, 'sg_op_add_header', [op, name, value], 'number')) return false;
      added.push([name, value]);
      return true;
    },
  };
  try {
    const r = s.onRequest(info);
    if (r && typeof r.then === 'function') await r;
  } catch (e) {
    queueMicrotask(() => { throw e; });
  } finally {
    open = false;
  }
  return added;
}

// Performs one "send" step; returns the core's next step. `stop` aborts when
// the caller's signal aborts or the client closes.
async function send(s, op, step, stop, operation) {
  const m = s.m;
  let requestHeaders = step.headers;
  if (s.onRequest) {
    const added = await requestHook(s, op, step, operation);
    if (stop.aborted) return call(m, 'sg_op_cancel_unsent', [op], 'json');
    if (added.length) requestHeaders = requestHeaders.concat(added);
  }
  const t0 = s.env.now();
  const ctrl = new AbortController();
  let timedOut = false;
  const timer = s.env.setTimeout(() => { timedOut = true; ctrl.abort(); }, Math.max(0, step.timeout_ms));
  const onStop = () => ctrl.abort();
  stop.addEventListener('abort', onStop);
  try {
    const init = { method: step.method, headers: requestHeaders, signal: ctrl.signal, cache: 'no-store' };
    if (step.body) init.body = step.body;
    const res = await s.fetch(s.baseUrl + step.path, init);
    const body = await res.text();
    let headers = '';
    res.headers.forEach((value, name) => { headers += `${name}\n${value}\n`; });
    reportAttempt(s, operation, step, t0, res.status, '', res.headers.get('x-request-id') ?? '');
    if (stop.aborted) return call(m, 'sg_op_cancel', [op], 'json');
    return call(m, 'sg_op_on_response', [op, res.status, headers, { bytes: body }], 'json');
  } catch (e) {
    const failure = stop.aborted ? 'cancelled' : timedOut ? 'timeout' : 'network';
    reportAttempt(s, operation, step, t0, 0, failure, '');
    if (stop.aborted) return call(m, 'sg_op_cancel', [op], 'json');
    const detail = timedOut ? '' : String(e?.message ?? e);
    return call(m, 'sg_op_on_transport_error', [op, timedOut ? 1 : 0, detail], 'json');
  } finally {
    s.env.clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
}

function sleep(s, ms, stop) {
  return new Promise((resolve, reject) => {
    if (stop.aborted) return reject(new Error('aborted'));
    const onAbort = () => {
      s.env.clearTimeout(t);
      reject(new Error('aborted'));
    };
    const t = s.env.setTimeout(() => {
      stop.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    stop.addEventListener('abort', onAbort, { once: true });
  });
}

/** Load the WebAssembly core (once per binary) and make a client. */
export async function createClient(options = {}) {
  const inst = await loadInstance(options);
  return new Client(inst, options);
}
