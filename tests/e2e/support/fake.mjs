// Fakes for driving the WebAssembly SDK deterministically under Node: a
// clock that jumps to the next timer, seeded randomness, and a scripted
// fetch that records every request.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
export const sdkDir = process.env.SEATGATE_WASM_DIR ?? path.join(repoRoot, 'web-demo/sdk');

export async function loadSdk() {
  const mjs = path.join(sdkDir, 'seatgate.mjs');
  if (!fs.existsSync(mjs)) {
    throw new Error(`${mjs} is missing: build the WebAssembly SDK first (scripts/build-wasm.sh)`);
  }
  const sdk = await import(mjs);
  const wasmBinary = fs.readFileSync(path.join(sdkDir, 'seatgate.wasm'));
  return { sdk, wasmBinary };
}

// Timers never wait for real: whenever the event loop is idle (after the
// fake fetches' microtasks ran), the earliest timer fires and the clock
// jumps to its due time.
export function fakeEnvironment({ randomByte = () => 0x5a, start = 1_000_000 } = {}) {
  let now = start;
  let seq = 0;
  const timers = new Map();
  let pumping = false;

  const pump = () => {
    pumping = false;
    let next = null;
    for (const t of timers.values()) {
      if (!next || t.due < next.due || (t.due === next.due && t.seq < next.seq)) next = t;
    }
    if (!next) return;
    timers.delete(next.seq);
    now = Math.max(now, next.due);
    next.fn();
    schedule();
  };
  const schedule = () => {
    if (!pumping) {
      pumping = true;
      setImmediate(pump);
    }
  };
  const env = {
    now: () => now,
    randomBytes: (bytes) => {
      for (let i = 0; i < bytes.length; i++) bytes[i] = randomByte(i) & 0xff;
    },
    setTimeout: (fn, ms) => {
      const id = ++seq;
      timers.set(id, { seq: id, due: now + Math.max(0, ms), fn });
      schedule();
      return id;
    },
    clearTimeout: (id) => {
      timers.delete(id);
    },
  };
  return { env, now: () => now, advance: (ms) => { now += ms; } };
}

// A deterministic byte stream (xorshift32) for jitter that varies.
export function seededBytes(seed = 0x2545f491) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x & 0xff;
  };
}

export function json(status, body, headers = {}) {
  return { status, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } };
}

export function problem(status, code, { retryable = false, retryAfter, detail } = {}) {
  const headers = { 'Content-Type': 'application/problem+json' };
  if (retryAfter != null) headers['Retry-After'] = String(retryAfter);
  return {
    status,
    headers,
    body: JSON.stringify({
      type: `urn:seatgate:error:${code}`, title: code.replace(/_/g, ' '), status,
      detail: detail ?? `test: ${code}`, code, retryable,
    }),
  };
}

// Each answer is a response description, 'network' (fetch rejects), or
// 'hang' (never answers until aborted). The last answer repeats.
export function scriptedFetch(answers) {
  const calls = [];
  const list = [...answers];
  const fetch = (url, init = {}) => {
    const headers = new Headers(init.headers);
    calls.push({ url, method: init.method ?? 'GET', headers, body: init.body ?? null });
    const a = list.length > 1 ? list.shift() : list[0];
    if (a === 'network') return Promise.reject(new TypeError('fetch failed'));
    if (a === 'hang') {
      return new Promise((_, reject) => {
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    }
    const status = a.status;
    const body = [204, 205, 304].includes(status) ? null : a.body ?? '';
    return Promise.resolve(new Response(body, { status, headers: a.headers ?? {} }));
  };
  return { fetch, calls };
}

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export const sampleEvent = {
  id: 'summer', name: 'Summer Arena', currency: 'EUR', status: 'on_sale',
  hold_ttl_s: 600, max_per_order: 4, max_per_user: 8,
  zones: [
    { id: 'floor', name: 'Floor', capacity: 100, price: 4500, available: 3 },
    { id: 'balcony', name: 'Balcony', capacity: 50, price: 6500, available: 50 },
  ],
  waiting_room: { enabled: false },
};

export function sampleReservation(over = {}) {
  return {
    id: 'summer.AAAAAAAAAAAAAAAAAAAAAA', event_id: 'summer', zone_id: 'floor', user_id: 'alice',
    quantity: 2, amount: 9000, currency: 'EUR', status: 'held',
    created_at: '2026-06-01T12:00:00Z', expires_at: '2026-06-01T12:10:00Z',
    confirmed_at: null, payment_ref: null, ...over,
  };
}
