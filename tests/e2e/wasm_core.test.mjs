// The sans-IO core compiled to WebAssembly, driven by its JS layer with a
// fake transport, clock and randomness: docs/sdk.md behaviour, vector by vector.
// This file: the module, keys, request shapes and retries; cancellation and
// validation in wasm_calls.test.mjs, the waiting room in wasm_queue.test.mjs.
//
//   node --test tests/e2e/wasm_core.test.mjs   (needs scripts/build-wasm.sh first)

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { seededBytes, json, problem, UUID_V4, sampleEvent, sampleReservation } from './support/fake.mjs';
import { loaded, loadHarness, makeClient, rejection, reserveArgs } from './support/harness.mjs';

before(loadHarness);

describe('module', () => {
  test('exports the API and a version', () => {
    assert.equal(typeof loaded.sdk.createClient, 'function');
    assert.equal(typeof loaded.sdk.SeatgateError, 'function');
    assert.match(loaded.sdk.version, /^\d+\.\d+\.\d+/);
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
    const client = await loaded.sdk.createClient({ wasmBinary: loaded.wasmBinary, baseUrl: 'https://x.test' });
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

describe('retries (docs/loaded.sdk.md)', () => {
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
      assert.ok(e instanceof loaded.sdk.SeatgateError);
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
