// The sans-IO core compiled to WebAssembly, driven by its JS layer with a
// fake transport, clock and randomness: docs/sdk.md behaviour, vector by vector.
//
//   node --test tests/e2e/wasm_core.test.mjs   (needs scripts/build-wasm.sh first)

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadSdk, fakeEnvironment, seededBytes, scriptedFetch, json, problem,
  UUID_V4, sampleEvent, sampleReservation,
} from './support/fake.mjs';

let sdk;
let wasmBinary;

before(async () => {
  ({ sdk, wasmBinary } = await loadSdk());
});

async function makeClient({ answers, random, retry, retryBudget, token = 'user-token' } = {}) {
  const clock = fakeEnvironment({ randomByte: random ?? seededBytes() });
  const net = scriptedFetch(answers ?? [json(200, sampleEvent)]);
  const retries = [];
  const client = await sdk.createClient({
    wasmBinary, baseUrl: 'https://tickets.test', token, fetch: net.fetch,
    environment: clock.env, retry, retryBudget, onRetry: (i) => retries.push(i),
  });
  return { client, net, clock, retries };
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to fail');
}

const reserveArgs = { eventId: 'summer', zoneId: 'floor', quantity: 2 };

describe('module', () => {
  test('exports the API and a version', () => {
    assert.equal(typeof sdk.createClient, 'function');
    assert.equal(typeof sdk.SeatgateError, 'function');
    assert.match(sdk.version, /^\d+\.\d+\.\d+/);
  });

  test('one instance serves many clients', async () => {
    const a = await makeClient();
    const b = await makeClient();
    await a.client.getEvent('summer');
    await b.client.getEvent('summer');
    assert.equal(a.net.calls.length, 1);
    assert.equal(b.net.calls.length, 1);
  });
});

describe('idempotency keys', () => {
  test('UUID v4 from the default CSPRNG (crypto.getRandomValues)', async () => {
    const client = await sdk.createClient({ wasmBinary, baseUrl: 'https://x.test' });
    const seen = new Set();
    for (let i = 0; i < 2000; i++) {
      const k = client.newIdempotencyKey();
      assert.match(k, UUID_V4);
      seen.add(k);
    }
    assert.equal(seen.size, 2000);
  });

  test('version and variant bits are forced (RFC 9562)', async () => {
    const zeros = await makeClient({ random: () => 0x00 });
    assert.equal(zeros.client.newIdempotencyKey(), '00000000-0000-4000-8000-000000000000');
    const ones = await makeClient({ random: () => 0xff });
    assert.equal(ones.client.newIdempotencyKey(), 'ffffffff-ffff-4fff-bfff-ffffffffffff');
  });

  test('one key per operation, reused by every retry', async () => {
    const { client, net } = await makeClient({
      answers: [problem(503, 'unavailable', { retryable: true }), 'network',
        json(201, sampleReservation())],
    });
    await client.reserve(reserveArgs);
    const keys = net.calls.map((c) => c.headers.get('Idempotency-Key'));
    assert.equal(keys.length, 3);
    assert.match(keys[0], UUID_V4);
    assert.deepEqual(new Set(keys).size, 1);
  });

  test('two operations get two keys', async () => {
    const { client, net } = await makeClient({ answers: [json(201, sampleReservation())] });
    await client.reserve(reserveArgs);
    await client.reserve(reserveArgs);
    assert.notEqual(net.calls[0].headers.get('Idempotency-Key'), net.calls[1].headers.get('Idempotency-Key'));
  });

  test("the caller's own key is sent as given", async () => {
    const { client, net } = await makeClient({ answers: [json(201, sampleReservation(), { 'Idempotent-Replayed': 'true' })] });
    const r = await client.reserve(reserveArgs, { idempotencyKey: 'checkout-42' });
    assert.equal(net.calls[0].headers.get('Idempotency-Key'), 'checkout-42');
    assert.equal(r.replayed, true);
  });
});

describe('request shapes', () => {
  test('every method, path, body and header', async () => {
    const res = sampleReservation();
    const { client, net } = await makeClient({
      answers: [
        json(200, sampleEvent), json(201, res), json(200, res),
        json(200, { ...res, status: 'confirmed', payment_ref: 'pay-1' }), json(200, { ...res, status: 'released' }),
        json(200, { reservations: [res] }), json(200, { status: 'waiting', position: 3, poll_after_ms: 500 }),
        json(200, { status: 'waiting', position: 2, poll_after_ms: 500 }), json(200, { status: 'left' }),
      ],
    });
    await client.getEvent('summer');
    await client.reserve(reserveArgs);
    await client.getReservation(res.id);
    const confirmed = await client.confirm(res.id, { paymentRef: 'pay-1' });
    await client.release(res.id);
    const list = await client.listMyReservations('summer');
    await client.joinQueue('summer');
    await client.queueStatus('summer');
    await client.leaveQueue('summer');
    const seen = net.calls.map((c) => `${c.method} ${c.url}`);
    assert.deepEqual(seen, [
      'GET https://tickets.test/v1/events/summer',
      'POST https://tickets.test/v1/reservations',
      `GET https://tickets.test/v1/reservations/${res.id}`,
      `POST https://tickets.test/v1/reservations/${res.id}/confirm`,
      `DELETE https://tickets.test/v1/reservations/${res.id}`,
      'GET https://tickets.test/v1/users/me/reservations?event_id=summer',
      'POST https://tickets.test/v1/events/summer/queue',
      'GET https://tickets.test/v1/events/summer/queue/me',
      'DELETE https://tickets.test/v1/events/summer/queue/me',
    ]);
    assert.deepEqual(JSON.parse(net.calls[1].body), { event_id: 'summer', zone_id: 'floor', quantity: 2 });
    assert.deepEqual(JSON.parse(net.calls[3].body), { payment_ref: 'pay-1' });
    assert.equal(net.calls[1].headers.get('Content-Type'), 'application/json');
    assert.equal(net.calls[0].headers.get('Authorization'), null, 'public event read sends no token');
    for (const c of net.calls.slice(1)) assert.equal(c.headers.get('Authorization'), 'Bearer user-token');
    assert.ok(net.calls[3].headers.get('Idempotency-Key'));
    assert.equal(net.calls[2].headers.get('Idempotency-Key'), null);
    assert.equal(confirmed.status, 'confirmed');
    assert.equal(list.length, 1);
    assert.equal(list[0].id, res.id);
  });

  test('setToken replaces the bearer token', async () => {
    const { client, net } = await makeClient({ answers: [json(200, { reservations: [] })] });
    client.setToken('other');
    await client.listMyReservations('summer');
    client.setToken(null);
    await client.listMyReservations('summer');
    assert.equal(net.calls[0].headers.get('Authorization'), 'Bearer other');
    assert.equal(net.calls[1].headers.get('Authorization'), null);
    assert.equal(net.calls[1].url, 'https://tickets.test/v1/users/me/reservations?event_id=summer');
  });

  test('listMyReservations needs an event id: validation, nothing sent', async () => {
    const { client, net } = await makeClient({ answers: [] });
    await assert.rejects(client.listMyReservations(), (e) =>
      e.code === 'validation_event_id' && e.attempts === 0);
    await assert.rejects(client.listMyReservations(''), (e) => e.code === 'validation_event_id');
    assert.equal(net.calls.length, 0);
  });

  test('an unreadable success answer is invalid_response, not a crash', async () => {
    const { client } = await makeClient({ answers: [{ status: 200, body: '<html>' }] });
    const e = await rejection(client.getEvent('summer'));
    assert.equal(e.code, 'invalid_response');
    assert.equal(e.status, 200);
  });
});

describe('retries (docs/sdk.md)', () => {
  const retryable = [
    ['409 retryable sold_out', problem(409, 'sold_out', { retryable: true }), 'sold_out'],
    ['409 idempotency_key_in_use', problem(409, 'idempotency_key_in_use', { retryable: true }), 'idempotency_key_in_use'],
    ['429', problem(429, 'rate_limited', { retryable: true, retryAfter: 0 }), 'rate_limited'],
    ['500', problem(500, 'internal', { retryable: true }), 'internal'],
    ['502 without a body', { status: 502, body: 'Bad Gateway', headers: { 'Content-Type': 'text/plain' } }, 'bad_gateway'],
    ['503', problem(503, 'unavailable', { retryable: true, retryAfter: 0 }), 'unavailable'],
    ['504 without a body', { status: 504, body: '' }, 'gateway_timeout'],
    ['connection failure', 'network', 'network'],
  ];
  for (const [name, first, reason] of retryable) {
    test(`retries ${name}`, async () => {
      const { client, net, retries } = await makeClient({ answers: [first, json(201, sampleReservation())] });
      const r = await client.reserve(reserveArgs);
      assert.equal(r.status, 'held');
      assert.equal(net.calls.length, 2);
      assert.equal(retries.length, 1);
      assert.equal(retries[0].reason, reason);
      assert.equal(retries[0].attempt, 2);
      assert.equal(retries[0].maxAttempts, 5);
      assert.equal(retries[0].operation, 'reserve');
    });
  }

  const final = [
    [400, 'invalid_request'], [401, 'unauthorized'], [403, 'forbidden'], [404, 'reservation_not_found'],
    [410, 'reservation_expired'], [413, 'payload_too_large'], [415, 'unsupported_media_type'],
    [422, 'idempotency_key_reused'], [409, 'sold_out'], [409, 'user_limit_exceeded'],
  ];
  for (const [status, code] of final) {
    test(`never retries ${status} ${code}`, async () => {
      const { client, net, retries } = await makeClient({
        answers: [problem(status, code, { retryable: false }), json(201, sampleReservation())],
      });
      const e = await rejection(client.reserve(reserveArgs));
      assert.ok(e instanceof sdk.SeatgateError);
      assert.ok(e instanceof Error);
      assert.equal(e.name, 'SeatgateError');
      assert.equal(e.code, code);
      assert.equal(e.status, status);
      assert.equal(e.retryable, false);
      assert.equal(e.attempts, 1);
      assert.equal(e.message, `test: ${code}`);
      assert.equal(net.calls.length, 1);
      assert.equal(retries.length, 0);
    });
  }

  test('a request that times out is retried with reason "timeout"', async () => {
    const { client, net, retries, clock } = await makeClient({
      answers: ['hang', json(200, sampleEvent)], retry: { attemptTimeoutMs: 3000 },
    });
    const t0 = clock.now();
    await client.getEvent('summer');
    assert.equal(net.calls.length, 2);
    assert.equal(retries[0].reason, 'timeout');
    assert.ok(clock.now() - t0 >= 3000);
  });

  test('backoff is full jitter under min(cap, base·2^n); gives up after 5 attempts', async () => {
    const { client, net, retries } = await makeClient({
      answers: [problem(503, 'unavailable', { retryable: true })], random: seededBytes(7),
    });
    const e = await rejection(client.getEvent('summer'));
    assert.equal(e.code, 'unavailable');
    assert.equal(e.status, 503);
    assert.equal(e.retryable, true);
    assert.equal(e.attempts, 5);
    assert.equal(net.calls.length, 5);
    assert.deepEqual(retries.map((r) => r.attempt), [2, 3, 4, 5]);
    retries.forEach((r, n) => {
      assert.ok(r.delayMs >= 0 && r.delayMs <= Math.min(2000, 100 * 2 ** n), `retry ${n}: ${r.delayMs} ms`);
    });
  });

  test('the cap bounds long backoffs', async () => {
    const { client, retries } = await makeClient({
      answers: [problem(503, 'unavailable', { retryable: true })], random: () => 0xff,
      retry: { maxAttempts: 8, deadlineMs: 60_000 },
    });
    await rejection(client.getEvent('summer'));
    assert.equal(retries.length, 7);
    for (const r of retries) assert.ok(r.delayMs <= 2000, `${r.delayMs} ms`);
    assert.equal(retries[0].maxAttempts, 8);
  });

  test('Retry-After is a floor for the next delay', async () => {
    const { client, retries, clock } = await makeClient({
      answers: [problem(409, 'sold_out', { retryable: true, retryAfter: 2 }), json(201, sampleReservation())],
      random: () => 0x00,
    });
    const t0 = clock.now();
    await client.reserve(reserveArgs);
    assert.equal(retries[0].delayMs, 2000);
    assert.ok(clock.now() - t0 >= 2000);
  });

  test('Retry-After is a floor even above the backoff cap', async () => {
    const { client, retries } = await makeClient({
      answers: [problem(429, 'rate_limited', { retryable: true, retryAfter: 3 }), json(200, sampleEvent)],
    });
    await client.getEvent('summer');
    assert.equal(retries[0].delayMs, 3000);
  });

  test('confirm keeps its key across retries too', async () => {
    const res = sampleReservation();
    const { client, net } = await makeClient({
      answers: ['network', problem(502, 'bad_gateway'), json(200, { ...res, status: 'confirmed' })],
    });
    const r = await client.confirm(res.id, {}, { idempotencyKey: 'pay-once' });
    assert.equal(r.status, 'confirmed');
    assert.deepEqual(net.calls.map((c) => c.headers.get('Idempotency-Key')), ['pay-once', 'pay-once', 'pay-once']);
    assert.equal(net.calls[0].body, '{}');
  });

  test('a longer jitter than Retry-After is kept', async () => {
    const { client, retries } = await makeClient({
      answers: [problem(503, 'unavailable', { retryable: true, retryAfter: 0 }), json(200, sampleEvent)],
      random: () => 0xff, retry: { baseDelayMs: 1000 },
    });
    await client.getEvent('summer');
    assert.ok(retries[0].delayMs > 0);
  });

  test('the overall deadline stops retrying', async () => {
    const { client, net } = await makeClient({
      answers: [problem(409, 'sold_out', { retryable: true, retryAfter: 10 })], random: () => 0,
    });
    const e = await rejection(client.reserve(reserveArgs));
    assert.equal(e.code, 'deadline_exceeded');
    assert.equal(e.cause, 'sold_out');
    assert.equal(e.status, 409);
    assert.equal(net.calls.length, 2, 'waits 10 s once; a second 10 s wait would pass 15 s');
  });

  test('the client-wide retry budget stops retry storms', async () => {
    const { client, net } = await makeClient({
      answers: [problem(503, 'unavailable', { retryable: true })],
      retryBudget: { capacity: 2, refillPerSecond: 0 },
    });
    const e = await rejection(client.getEvent('summer'));
    assert.equal(e.code, 'retry_budget_exhausted');
    assert.equal(e.cause, 'unavailable');
    assert.equal(net.calls.length, 3);
    assert.equal(client.retryBudgetTokens(), 0);
    const again = await rejection(client.getEvent('summer'));
    assert.equal(again.code, 'retry_budget_exhausted');
    assert.equal(again.attempts, 1);
  });
});

describe('cancellation', () => {
  test('abort during backoff rejects with "cancelled" and sends nothing more', async () => {
    const ctrl = new AbortController();
    const { client, net } = await makeClient({
      answers: [problem(409, 'sold_out', { retryable: true, retryAfter: 5 })],
    });
    const p = client.reserve(reserveArgs, {
      signal: ctrl.signal, onRetry: () => queueMicrotask(() => ctrl.abort()),
    });
    const e = await rejection(p);
    assert.equal(e.code, 'cancelled');
    assert.equal(e.attempts, 1);
    assert.equal(net.calls.length, 1);
  });

  test('abort during a request rejects with "cancelled"', async () => {
    const ctrl = new AbortController();
    const { client } = await makeClient({ answers: ['hang'] });
    const p = client.getEvent('summer', { signal: ctrl.signal });
    setImmediate(() => ctrl.abort());
    const e = await rejection(p);
    assert.equal(e.code, 'cancelled');
  });

  test('an already aborted signal sends nothing', async () => {
    const { client, net } = await makeClient();
    const e = await rejection(client.getEvent('summer', { signal: AbortSignal.abort() }));
    assert.equal(e.code, 'cancelled');
    assert.equal(e.attempts, 0);
    assert.equal(net.calls.length, 0);
  });
});

describe('validation before the network', () => {
  async function expectInvalid(client, net, call, code) {
    const e = await rejection(call());
    assert.equal(e.code, code);
    assert.equal(e.attempts, 0);
    assert.equal(e.status, 0);
    assert.equal(e.retryable, false);
    assert.ok(e.message.length > 10, 'a sentence a person can read');
    assert.equal(net.calls.length, 0, `${code}: nothing sent`);
  }

  test('ids, quantity range, keys', async () => {
    const { client, net } = await makeClient();
    const r = (over, opts) => () => client.reserve({ ...reserveArgs, ...over }, opts);
    await expectInvalid(client, net, r({ eventId: '' }), 'validation_event_id');
    await expectInvalid(client, net, r({ eventId: 'Summer!' }), 'validation_event_id');
    await expectInvalid(client, net, r({ zoneId: '' }), 'validation_zone_id');
    await expectInvalid(client, net, r({ zoneId: 'a/b' }), 'validation_zone_id');
    await expectInvalid(client, net, r({ quantity: 0 }), 'validation_quantity');
    await expectInvalid(client, net, r({ quantity: 101 }), 'validation_quantity');
    await expectInvalid(client, net, r({ quantity: 2.5 }), 'validation_quantity');
    await expectInvalid(client, net, r({ quantity: '2' }), 'validation_quantity');
    await expectInvalid(client, net, r({}, { idempotencyKey: 'trailing space ' }), 'validation_idempotency_key');
    await expectInvalid(client, net, r({}, { idempotencyKey: 'x'.repeat(256) }), 'validation_idempotency_key');
    await expectInvalid(client, net, () => client.getReservation('nope'), 'validation_reservation_id');
    await expectInvalid(client, net, () => client.confirm('summer.short'), 'validation_reservation_id');
    await expectInvalid(client, net, () => client.release(''), 'validation_reservation_id');
    await expectInvalid(client, net, () => client.getEvent('-x'), 'validation_event_id');
    await expectInvalid(client, net, () => client.joinQueue(''), 'validation_event_id');
  });

  test('against the event snapshot: max per order, unknown zone, availability', async () => {
    const { client, net } = await makeClient({ answers: [json(200, sampleEvent)] });
    await client.getEvent('summer');
    net.calls.length = 0;
    await expectInvalid(client, net, () => client.reserve({ ...reserveArgs, zoneId: 'balcony', quantity: 5 }),
      'validation_above_max_per_order');
    await expectInvalid(client, net, () => client.reserve({ ...reserveArgs, zoneId: 'pit' }), 'validation_unknown_zone');
    await expectInvalid(client, net, () => client.reserve({ ...reserveArgs, quantity: 4 }), 'validation_above_availability');
  });

  test("against the buyer's remaining allowance", async () => {
    const held = sampleReservation({ quantity: 3 });
    const confirmed = sampleReservation({ id: 'summer.BBBBBBBBBBBBBBBBBBBBBB', quantity: 3, status: 'confirmed', zone_id: 'balcony' });
    const { client, net } = await makeClient({
      answers: [json(200, sampleEvent), json(200, { reservations: [held, confirmed] })],
    });
    await client.getEvent('summer');
    await client.listMyReservations('summer');
    net.calls.length = 0;
    await expectInvalid(client, net, () => client.reserve({ ...reserveArgs, zoneId: 'balcony', quantity: 3 }),
      'validation_above_user_allowance');
  });

  test('validate() gives the same verdict without a request', async () => {
    const { client, net } = await makeClient({ answers: [json(200, sampleEvent)] });
    assert.equal(client.validate({ ...reserveArgs, quantity: 50 }), null, 'unknown event: only 1..100');
    await client.getEvent('summer');
    const e = client.validate({ ...reserveArgs, zoneId: 'balcony', quantity: 5 });
    assert.ok(e instanceof sdk.SeatgateError);
    assert.equal(e.code, 'validation_above_max_per_order');
    assert.match(e.message, /At most 4 tickets/);
    assert.equal(client.validate({ ...reserveArgs, quantity: 2 }), null);
    assert.equal(client.validate({ ...reserveArgs, quantity: NaN }).code, 'validation_quantity');
    assert.equal(net.calls.length, 1);
  });

  test('availability follows this client\'s own reservations', async () => {
    const { client } = await makeClient({ answers: [json(200, sampleEvent), json(201, sampleReservation())] });
    await client.getEvent('summer');
    await client.reserve(reserveArgs);
    assert.equal(client.validate({ ...reserveArgs, quantity: 1 }), null);
    assert.equal(client.validate({ ...reserveArgs, quantity: 2 }).code, 'validation_above_availability');
  });

  test('a stale availability snapshot is not used', async () => {
    const { client, net, clock } = await makeClient({ answers: [json(200, sampleEvent), json(201, sampleReservation())] });
    await client.getEvent('summer');
    assert.equal(client.validate({ ...reserveArgs, quantity: 4 }).code, 'validation_above_availability');
    clock.advance(6000);
    assert.equal(client.validate({ ...reserveArgs, quantity: 4 }), null);
    assert.equal(client.validate({ ...reserveArgs, quantity: 5 }).code, 'validation_above_max_per_order');
    await client.reserve({ ...reserveArgs, quantity: 4 });
    assert.equal(net.calls.length, 2);
  });
});

describe('waiting room', () => {
  test('waitForPass polls as told, then reserve carries the pass', async () => {
    const positions = [];
    const { client, net, clock, retries } = await makeClient({
      answers: [
        json(200, { status: 'waiting', position: 2, poll_after_ms: 1500 }),
        json(200, { status: 'waiting', position: 1, poll_after_ms: 1500 }),
        json(200, { status: 'admitted', queue_pass: 'pass-123', pass_expires_at: '2026-06-01T12:05:00Z' }),
        json(201, sampleReservation()),
      ],
    });
    const t0 = clock.now();
    const pass = await client.waitForPass('summer', { onPosition: (q) => positions.push(q) });
    assert.deepEqual(pass, { status: 'admitted', queue_pass: 'pass-123', pass_expires_at: '2026-06-01T12:05:00Z' });
    assert.deepEqual(positions.map((q) => [q.status, q.position, q.poll_after_ms]),
      [['waiting', 2, 1500], ['waiting', 1, 1500]]);
    for (const q of positions) assert.ok(q.next_poll_in_ms >= 1200 && q.next_poll_in_ms <= 1800, `${q.next_poll_in_ms}`);
    assert.equal(clock.now() - t0, positions[0].next_poll_in_ms + positions[1].next_poll_in_ms, 'waits what it reports');
    assert.deepEqual(net.calls.map((c) => `${c.method} ${c.url}`), [
      'POST https://tickets.test/v1/events/summer/queue',
      'GET https://tickets.test/v1/events/summer/queue/me',
      'GET https://tickets.test/v1/events/summer/queue/me',
    ]);
    assert.equal(retries.length, 0, 'polling is not retrying');
    await client.reserve(reserveArgs);
    assert.equal(net.calls[3].headers.get('Queue-Pass'), 'pass-123');
  });

  // Vectors shared with tests/sdk/core_queue_test.cc: the jittered wait is
  // poll_after_ms × (1 − 0.2 + 0.4·u), u from 53 random bits.
  for (const [byte, ms] of [[0x00, 1600], [0xff, 2400]]) {
    test(`waitForPass jitter: random bytes 0x${byte.toString(16)} → ${ms} ms for poll_after_ms 2000`, async () => {
      const { client, clock } = await makeClient({
        random: () => byte,
        answers: [json(200, { status: 'waiting', position: 5, poll_after_ms: 2000 }),
          json(200, { status: 'admitted', queue_pass: 'p', pass_expires_at: 'x' })],
      });
      const t0 = clock.now();
      const seen = [];
      await client.waitForPass('summer', { onPosition: (q) => seen.push(q.next_poll_in_ms) });
      assert.deepEqual(seen, [ms]);
      assert.equal(clock.now() - t0, ms);
    });
  }

  test('waitForPass clamps poll_after_ms to 250 ms..60 s; jitter 0 waits exactly that', async () => {
    const seen = [];
    const { client } = await makeClient({
      answers: [json(200, { status: 'waiting', position: 3, poll_after_ms: 10 }),
        json(200, { status: 'waiting', position: 2, poll_after_ms: 600_000 }),
        json(200, { status: 'waiting', position: 1, poll_after_ms: 1234 }),
        json(200, { status: 'admitted', queue_pass: 'p', pass_expires_at: 'x' })],
    });
    await client.waitForPass('summer', { jitter: 0, onPosition: (q) => seen.push(q.next_poll_in_ms) });
    assert.deepEqual(seen, [250, 60_000, 1234]);
  });

  test('waitForPass without a waiting room resolves not_required at once', async () => {
    const { client, net } = await makeClient({ answers: [json(200, { status: 'not_required' }), json(201, sampleReservation())] });
    assert.deepEqual(await client.waitForPass('summer'), { status: 'not_required' });
    assert.equal(net.calls.length, 1);
    await client.reserve(reserveArgs);
    assert.equal(net.calls[1].headers.get('Queue-Pass'), null);
  });

  test('waitForPass retries transient failures per request, reported through onRetry', async () => {
    const { client, net, retries } = await makeClient({
      answers: [problem(503, 'unavailable', { retryable: true }), 'network',
        json(200, { status: 'waiting', position: 1, poll_after_ms: 500 }),
        problem(502, 'bad_gateway'), json(200, { status: 'admitted', queue_pass: 'p2', pass_expires_at: 'x' })],
    });
    const r = await client.waitForPass('summer');
    assert.equal(r.queue_pass, 'p2');
    assert.equal(net.calls.length, 5);
    assert.deepEqual(retries.map((i) => [i.operation, i.attempt, i.reason]),
      [['waitForPass', 2, 'unavailable'], ['waitForPass', 3, 'network'], ['waitForPass', 2, 'bad_gateway']]);
  });

  test('waitForPass fails at once on queue_limit_exceeded and event_not_found', async () => {
    for (const [answer, code, status] of [[problem(409, 'queue_limit_exceeded', { retryable: false }), 'queue_limit_exceeded', 409],
      [problem(404, 'event_not_found'), 'event_not_found', 404]]) {
      const { client, net } = await makeClient({ answers: [answer] });
      const e = await rejection(client.waitForPass('summer'));
      assert.ok(e instanceof sdk.SeatgateError);
      assert.equal(e.code, code);
      assert.equal(e.status, status);
      assert.equal(e.retryable, false);
      assert.equal(net.calls.length, 1);
    }
  });

  test('waitForPass gives up after deadlineMs', async () => {
    const { client, net, clock } = await makeClient({ answers: [json(200, { status: 'waiting', position: 40, poll_after_ms: 2000 })] });
    const t0 = clock.now();
    const e = await rejection(client.waitForPass('summer', { deadlineMs: 5000, jitter: 0 }));
    assert.equal(e.code, 'deadline_exceeded');
    assert.match(e.message, /position 40/);
    assert.equal(net.calls.length, 3);
    assert.ok(clock.now() - t0 <= 5000);
  });

  test('waitForPass resume reads the position first and joins when not in the room', async () => {
    const { client, net } = await makeClient({
      answers: [json(200, { status: 'not_joined' }), json(200, { status: 'waiting', position: 4, poll_after_ms: 500 }),
        json(200, { status: 'admitted', queue_pass: 'p3', pass_expires_at: 'x' })],
    });
    await client.waitForPass('summer', { resume: true });
    assert.deepEqual(net.calls.map((c) => c.method), ['GET', 'POST', 'GET']);
  });

  test('waitForPass rejects answers it cannot use', async () => {
    const { client } = await makeClient({ answers: [json(200, { status: 'admitted' })] });
    assert.equal((await rejection(client.waitForPass('summer'))).code, 'invalid_response');
    assert.equal((await rejection(client.waitForPass(''))).code, 'validation_event_id');
  });

  test("docs/wasm.md's example (wasm/examples/wait_for_pass.mjs) waits, then reserves with the pass", async () => {
    const { queueThenReserve } = await import('../../wasm/examples/wait_for_pass.mjs');
    const { client, net } = await makeClient({
      answers: [json(200, { status: 'waiting', position: 2, poll_after_ms: 1000 }), problem(503, 'unavailable', { retryable: true }),
        json(200, { status: 'admitted', queue_pass: 'p-doc', pass_expires_at: '2026-06-01T12:05:00Z' }),
        json(201, sampleReservation())],
    });
    const lines = [];
    const held = await queueThenReserve(client, 'summer', 'floor', new AbortController().signal, (l) => lines.push(l));
    assert.equal(held.status, 'held');
    assert.match(lines[0], /^#2 in line, asking again in \d\.\d s$/);
    assert.match(lines[1], /^unavailable: trying again in \d+ ms$/);
    assert.equal(lines[2], 'Your turn until 2026-06-01T12:05:00Z');
    assert.equal(net.calls[3].headers.get('Queue-Pass'), 'p-doc');
  });

  test('waitForPass can be cancelled mid-request', async () => {
    const ctrl = new AbortController();
    const { client, net } = await makeClient({ answers: ['hang'] });
    const p = client.waitForPass('summer', { signal: ctrl.signal });
    setImmediate(() => ctrl.abort());
    assert.equal((await rejection(p)).code, 'cancelled');
    assert.equal(net.calls.length, 1);
  });

  test('an explicit queue pass is sent; queue_pass_invalid is final', async () => {
    const { client, net } = await makeClient({ answers: [problem(403, 'queue_pass_invalid')] });
    const e = await rejection(client.reserve({ ...reserveArgs, queuePass: 'p-1' }));
    assert.equal(e.code, 'queue_pass_invalid');
    assert.equal(net.calls[0].headers.get('Queue-Pass'), 'p-1');
    assert.equal(net.calls.length, 1);
  });

  test('waitForPass can be cancelled while waiting', async () => {
    const ctrl = new AbortController();
    const { client } = await makeClient({ answers: [json(200, { status: 'waiting', position: 9, poll_after_ms: 1000 })] });
    const p = client.waitForPass('summer', { signal: ctrl.signal, onPosition: () => ctrl.abort() });
    assert.equal((await rejection(p)).code, 'cancelled');
  });
});
