// seatgate WebAssembly SDK — the Promise API (appended to the Emscripten
// glue as --extern-post-js, so seatgate.mjs is one ES module).
//
// The C++ core decides everything (validation, keys, retry or not, how long
// to wait); this file only performs its steps: fetch() for "send",
// setTimeout() for "wait", and resolves or rejects for "done"/"failed".
// `createSeatgateModule` is the Emscripten factory defined above.

export const version = '@SEATGATE_VERSION@';

/** Every failure of an SDK call: a code, the HTTP status, retryable, attempts. */
export class SeatgateError extends Error {
  constructor(e) {
    super(e.message || e.code);
    this.name = 'SeatgateError';
    this.code = e.code;
    this.status = e.status ?? 0;
    this.retryable = !!e.retryable;
    this.attempts = e.attempts ?? 0;
    if (e.cause) this.cause = e.cause;
    if (e.request_id) this.requestId = e.request_id;
  }
}

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
    p = createSeatgateModule(moduleArgs).then((m) => ({ m, hosts }));
    p.catch(() => instances.delete(key));
    instances.set(key, p);
  }
  return p;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Calls an export. A string argument is copied into wasm memory as a
// NUL-terminated char*; { bytes: string } passes (char*, length). A returned
// char* is decoded to a string and, with returns = 'json', parsed.
function call(m, name, args, returns) {
  const ptrs = [];
  const argv = [];
  for (const a of args) {
    const text = typeof a === 'string' ? a : a?.bytes;
    if (typeof text !== 'string') {
      argv.push(a);
      continue;
    }
    const bytes = encoder.encode(text);
    const ptr = m._malloc(bytes.length + 1);
    m.HEAPU8.set(bytes, ptr);
    m.HEAPU8[ptr + bytes.length] = 0;
    ptrs.push(ptr);
    argv.push(ptr);
    if (typeof a !== 'string') argv.push(bytes.length);
  }
  try {
    const r = m['_' + name](...argv);
    if (returns === 'number') return r;
    const heap = m.HEAPU8;
    let end = r;
    while (heap[end] !== 0) end++;
    const text = decoder.decode(heap.subarray(r, end));
    return returns === 'json' ? JSON.parse(text) : text;
  } finally {
    for (const p of ptrs) m._free(p);
  }
}

function validationError(code, message) {
  return new SeatgateError({ code, message, status: 0, retryable: false, attempts: 0 });
}

export class Client {
  #m;
  #id;
  #env;
  #fetch;
  #baseUrl;
  #onRetry;
  #policy;

  /** @internal use createClient() */
  constructor(inst, options) {
    this.#m = inst.m;
    this.#env = { ...defaultEnvironment, ...(options.environment ?? {}) };
    this.#fetch = options.fetch ?? ((...a) => globalThis.fetch(...a));
    this.#baseUrl = (options.baseUrl ?? (globalThis.location ? globalThis.location.origin : '')).replace(/\/+$/, '');
    this.#onRetry = options.onRetry;
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
    this.#policy = { maxAttempts: r.maxAttempts ?? 5 };
    this.#id = call(this.#m, 'sg_client_new', [JSON.stringify(o)], 'number');
    inst.hosts.set(this.#id, this.#env);
    if (options.token) this.setToken(options.token);
  }

  setToken(token) {
    call(this.#m, 'sg_client_set_token', [this.#id, token ?? ''], 'number');
  }

  getEvent(eventId, options) {
    return this.#run('get_event', 'getEvent', { event_id: eventId }, options);
  }

  reserve(request, options = {}) {
    const q = request?.quantity;
    if (!Number.isSafeInteger(q)) {
      return Promise.reject(validationError('validation_quantity',
        'The quantity must be a whole number from 1 to 100.'));
    }
    return this.#run('reserve', 'reserve', {
      event_id: request.eventId ?? '', zone_id: request.zoneId ?? '', quantity: q,
      idempotency_key: options.idempotencyKey ?? '', queue_pass: request.queuePass ?? '',
    }, options);
  }

  getReservation(reservationId, options) {
    return this.#run('get_reservation', 'getReservation', { reservation_id: reservationId }, options);
  }

  confirm(reservationId, body = {}, options = {}) {
    const args = { reservation_id: reservationId, idempotency_key: options.idempotencyKey ?? '' };
    if (body?.paymentRef != null) args.payment_ref = body.paymentRef;
    return this.#run('confirm', 'confirm', args, options);
  }

  release(reservationId, options) {
    return this.#run('release', 'release', { reservation_id: reservationId }, options);
  }

  async listMyReservations(eventId, options) {
    const v = await this.#run('list_reservations', 'listMyReservations', { event_id: eventId ?? '' }, options);
    return v.reservations;
  }

  joinQueue(eventId, options) {
    return this.#run('join_queue', 'joinQueue', { event_id: eventId }, options);
  }

  queueStatus(eventId, options) {
    return this.#run('queue_status', 'queueStatus', { event_id: eventId }, options);
  }

  /** Resolves with {status: "left"}, as every face of the SDK returns. */
  leaveQueue(eventId, options) {
    return this.#run('leave_queue', 'leaveQueue', { event_id: eventId }, options);
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
    return this.#run('wait_for_pass', 'waitForPass', args, options);
  }

  validate(order) {
    const q = order?.quantity;
    if (!Number.isSafeInteger(q)) {
      return validationError('validation_quantity', 'The quantity must be a whole number from 1 to 100.');
    }
    // A reserve operation that is started but never sent: start() runs every
    // rule the core has, against the snapshots this client holds.
    const m = this.#m;
    const op = call(m, 'sg_op_new', [this.#id, 'reserve', JSON.stringify({
      event_id: order.eventId ?? '', zone_id: order.zoneId ?? '', quantity: q,
    })], 'number');
    try {
      const step = call(m, 'sg_op_start', [op], 'json');
      return step.k === 'failed' ? new SeatgateError(step.error) : null;
    } finally {
      call(m, 'sg_op_free', [op], 'number');
    }
  }

  newIdempotencyKey() {
    return call(this.#m, 'sg_client_uuid', [this.#id], 'string');
  }

  /** Tokens left in the client-wide retry budget. */
  retryBudgetTokens() {
    return call(this.#m, 'sg_client_budget_tokens', [this.#id], 'number');
  }

  async #run(kind, name, args, options = {}) {
    const m = this.#m;
    const signal = options.signal;
    const op = call(m, 'sg_op_new', [this.#id, kind, JSON.stringify(args)], 'number');
    try {
      let step = call(m, 'sg_op_start', [op], 'json');
      for (;;) {
        if (step.k === 'done') return step.value;
        if (step.k === 'failed') throw new SeatgateError(step.error);
        if (signal?.aborted) {
          // A send step not yet performed is not counted as an attempt.
          step = call(m, step.k === 'send' ? 'sg_op_cancel_unsent' : 'sg_op_cancel', [op], 'json');
          continue;
        }
        if (step.k === 'send') {
          step = await this.#send(op, step, signal);
        } else if (step.k === 'wait') {
          if (step.retry) this.#reportRetry(name, step.retry, options);
          if (step.position) this.#reportPosition(step.position, options);
          try {
            await this.#sleep(step.delay_ms, signal);
            step = call(m, 'sg_op_on_timer', [op], 'json');
          } catch {
            step = call(m, 'sg_op_cancel', [op], 'json');
          }
        } else {
          throw new SeatgateError({ code: 'invalid_state', message: `Unknown step "${step.k}".` });
        }
      }
    } finally {
      call(m, 'sg_op_free', [op], 'number');
    }
  }

  #reportPosition(p, options) {
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

  #reportRetry(operation, r, options) {
    const info = {
      operation, attempt: r.attempt, maxAttempts: this.#policy.maxAttempts,
      delayMs: r.delay_ms, reason: r.reason, status: r.status,
    };
    for (const cb of [this.#onRetry, options.onRetry]) {
      if (!cb) continue;
      try {
        cb(info);
      } catch (e) {
        queueMicrotask(() => { throw e; });
      }
    }
  }

  // Performs one "send" step; returns the core's next step.
  async #send(op, step, signal) {
    const m = this.#m;
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = this.#env.setTimeout(() => { timedOut = true; ctrl.abort(); }, Math.max(0, step.timeout_ms));
    const onAbort = () => ctrl.abort();
    signal?.addEventListener('abort', onAbort);
    try {
      const init = { method: step.method, headers: step.headers, signal: ctrl.signal, cache: 'no-store' };
      if (step.body) init.body = step.body;
      const res = await this.#fetch(this.#baseUrl + step.path, init);
      const body = await res.text();
      const headers = [];
      res.headers.forEach((value, name) => headers.push([name, value]));
      return call(m, 'sg_op_on_response', [op, res.status, JSON.stringify(headers), { bytes: body }], 'json');
    } catch (e) {
      if (signal?.aborted) return call(m, 'sg_op_cancel', [op], 'json');
      const detail = timedOut ? '' : String(e?.message ?? e);
      return call(m, 'sg_op_on_transport_error', [op, timedOut ? 1 : 0, detail], 'json');
    } finally {
      this.#env.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new Error('aborted'));
      const onAbort = () => {
        this.#env.clearTimeout(t);
        reject(new Error('aborted'));
      };
      const t = this.#env.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Load the WebAssembly core (once per binary) and make a client. */
export async function createClient(options = {}) {
  const inst = await loadInstance(options);
  return new Client(inst, options);
}
