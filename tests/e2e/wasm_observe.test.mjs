// Per-call control of the wait for released seats, the onRequest and
// onAttempt hooks and the log callback, and the details every error carries (request id,
// Retry-After, a refused pass's expiry), over a scripted fetch and a fake clock (support/fake.mjs).

import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { json, problem, sampleEvent, sampleReservation, UUID_V4 } from './support/fake.mjs';
import { loadHarness, makeClient, rejection, reserveArgs } from './support/harness.mjs';

before(loadHarness);

function withHeaders(answer, headers) {
  return { ...answer, headers: { ...answer.headers, ...headers } };
}

const soldOut = (retryAfter) => problem(409, 'sold_out', { retryable: true, retryAfter });

describe('soldOutWaitMs', () => {
  test('0 fails at the first sold_out; the message says why', async () => {
    const { client, net, retries } = await makeClient({ answers: [soldOut(1)] });
    const e = await rejection(client.reserve(reserveArgs, { soldOutWaitMs: 0 }));
    assert.equal(e.code, 'sold_out');
    assert.equal(e.attempts, 1);
    assert.equal(net.calls.length, 1);
    assert.equal(retries.length, 0);
    assert.match(e.message, /0 ms/);
  });

  test('bounds the waits after sold_out; unset, the retry policy decides', async () => {
    // Retry-After: 1 and no jitter: each wait is 1000 ms; 2500 ms allow two.
    const bounded = await makeClient({ answers: [soldOut(1)], random: () => 0 });
    const e = await rejection(bounded.client.reserve(reserveArgs, { soldOutWaitMs: 2500 }));
    assert.equal(e.code, 'sold_out');
    assert.equal(bounded.net.calls.length, 3);
    assert.deepEqual(bounded.retries.map((r) => r.delayMs), [1000, 1000]);

    const unbounded = await makeClient({ answers: [soldOut(1)], random: () => 0 });
    await rejection(unbounded.client.reserve(reserveArgs));
    assert.equal(unbounded.net.calls.length, 5, 'the default policy: 5 attempts');
  });

  test('a seat released within the bound is taken', async () => {
    const { client, net } = await makeClient({
      answers: [soldOut(1), json(201, sampleReservation())], random: () => 0,
    });
    const r = await client.reserve(reserveArgs, { soldOutWaitMs: 1000 });
    assert.equal(r.status, 'held');
    assert.equal(net.calls.length, 2);
  });
});

describe('onAttempt and log', () => {
  test('every request is told as it ended, with its request id; retries are logged', async () => {
    const attempts = [];
    const lines = [];
    const { client } = await makeClient({
      answers: [
        withHeaders(problem(503, 'unavailable', { retryable: true, retryAfter: 1 }),
          { 'X-Request-Id': 'rq-1' }),
        json(200, sampleEvent, { 'X-Request-Id': 'rq-2' }),
      ],
      random: () => 0,
      onAttempt: (a) => attempts.push(a),
      log: (level, message) => lines.push([level, message]),
    });
    await client.getEvent('summer');
    assert.deepEqual(attempts, [
      { operation: 'getEvent', method: 'GET', url: 'https://tickets.test/v1/events/summer',
        status: 503, failure: '', elapsedMs: 0, requestId: 'rq-1', attempt: 1, idempotencyKey: '' },
      { operation: 'getEvent', method: 'GET', url: 'https://tickets.test/v1/events/summer',
        status: 200, failure: '', elapsedMs: 0, requestId: 'rq-2', attempt: 2, idempotencyKey: '' },
    ]);
    assert.deepEqual(lines, [
      ['debug', 'GET https://tickets.test/v1/events/summer -> 503 (0 ms, request id rq-1)'],
      ['info', 'retrying (attempt 2) in 1000 ms after unavailable'],
      ['debug', 'GET https://tickets.test/v1/events/summer -> 200 (0 ms, request id rq-2)'],
    ]);
  });

  test('no response: network, timeout (with its elapsed time), cancelled', async () => {
    const attempts = [];
    const lines = [];
    const { client } = await makeClient({
      answers: ['network', 'hang'],
      retry: { maxAttempts: 2, attemptTimeoutMs: 500 },
      onAttempt: (a) => attempts.push(a),
      log: (level, message) => lines.push(message),
    });
    const e = await rejection(client.getEvent('summer'));
    assert.equal(e.code, 'timeout');
    assert.deepEqual(attempts.map((a) => [a.status, a.failure, a.requestId]),
      [[0, 'network', ''], [0, 'timeout', '']]);
    assert.equal(attempts[1].elapsedMs, 500);
    assert.equal(lines.at(-1), 'GET https://tickets.test/v1/events/summer -> timeout (500 ms)');

    const ctrl = new AbortController();
    const p = client.getEvent('summer', { signal: ctrl.signal });
    queueMicrotask(() => ctrl.abort());  // while the request is out
    await rejection(p);
    assert.equal(attempts.at(-1).failure, 'cancelled');
  });
});

// What hooks throw is rethrown in a microtask, outside the call: collected
// here (same timing) instead of failing the test run.
async function collectingHookErrors(fn) {
  const original = globalThis.queueMicrotask;
  const thrown = [];
  globalThis.queueMicrotask = (task) => original(() => {
    try {
      task();
    } catch (e) {
      thrown.push(e);
    }
  });
  try {
    await fn();
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    globalThis.queueMicrotask = original;
  }
  return thrown;
}

describe('onRequest', () => {
  test('told before every attempt, with one key; its headers are sent, never over the SDK\'s', async () => {
    const requests = [];
    const attempts = [];
    const { client, net } = await makeClient({
      answers: [problem(503, 'unavailable', { retryable: true, retryAfter: 0 }),
        problem(409, 'sold_out', { retryable: true, retryAfter: 0 }), json(201, sampleReservation())],
      onRequest: (r) => {
        const refused = ['Idempotency-Key', 'authorization', 'Content-Type', 'Accept', 'Queue-Pass', 'X Bad']
          .filter((name) => !r.addHeader(name, 'forged'));
        const split = r.addHeader('X-Trace', 'a\r\nIdempotency-Key: forged');
        const { addHeader, ...info } = r;
        requests.push({ ...info, refused: refused.length, split });
        assert.equal(r.addHeader('traceparent', `00-${'a'.repeat(32)}-${'b'.repeat(15)}${r.attempt}-01`), true);
        assert.equal(r.addHeader('TraceParent', 'again'), false);
      },
      onAttempt: (a) => attempts.push([a.attempt, a.status, a.idempotencyKey]),
    });
    const hold = await client.reserve(reserveArgs);
    assert.equal(hold.status, 'held');
    assert.equal(requests.length, 3);
    const key = requests[0].idempotencyKey;
    assert.match(key, UUID_V4);
    requests.forEach((r, i) => assert.deepEqual(r, {
      operation: 'reserve', method: 'POST', url: 'https://tickets.test/v1/reservations',
      attempt: i + 1, idempotencyKey: key, refused: 6, split: false,
    }));
    assert.deepEqual(attempts, [[1, 503, key], [2, 409, key], [3, 201, key]]);
    net.calls.forEach((c, i) => {
      assert.equal(c.headers.get('traceparent'), `00-${'a'.repeat(32)}-${'b'.repeat(15)}${i + 1}-01`);
      assert.equal(c.headers.get('idempotency-key'), key);
      assert.equal(c.headers.get('authorization'), 'Bearer user-token');
      assert.equal(c.headers.get('content-type'), 'application/json');
      assert.equal(c.headers.get('x-trace'), null);
    });
  });

  test('a hook that throws or rejects does not break the call; what it added is sent', async () => {
    let client, net;
    const thrown = await collectingHookErrors(async () => {
      ({ client, net } = await makeClient({
        answers: [problem(503, 'unavailable', { retryable: true, retryAfter: 0 }), json(200, sampleEvent)],
        onRequest: (r) => {
          r.addHeader('X-Request-Id', `hook-${r.attempt}`);
          if (r.attempt === 1) throw new Error('tracing backend down');
          return Promise.reject(new Error('async tracing down'));
        },
      }));
      const ev = await client.getEvent('summer');
      assert.equal(ev.id, 'summer');
    });
    assert.deepEqual(thrown.map((e) => e.message), ['tracing backend down', 'async tracing down']);
    assert.deepEqual(net.calls.map((c) => c.headers.get('x-request-id')), ['hook-1', 'hook-2']);
  });

  test('an async hook is awaited; addHeader after it settled is refused', async () => {
    let late = null;
    const { client, net } = await makeClient({
      onRequest: async (r) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        r.addHeader('X-Tenant', 'blue');
        late = r;
      },
    });
    await client.getEvent('summer');
    assert.equal(net.calls[0].headers.get('x-tenant'), 'blue');
    assert.equal(late.addHeader('X-Later', '1'), false);
  });

  test('an abort while an async hook runs sends nothing (attempts 0)', async () => {
    const ctrl = new AbortController();
    const { client, net } = await makeClient({
      onRequest: async () => {
        ctrl.abort();
        await Promise.resolve();
      },
    });
    const e = await rejection(client.getEvent('summer', { signal: ctrl.signal }));
    assert.equal(e.name, 'AbortError');
    assert.equal(net.calls.length, 0);
  });
});

describe('error details', () => {
  test('requestId and retryAfterMs from the last response', async () => {
    const { client } = await makeClient({
      answers: [withHeaders(problem(429, 'rate_limited', { retryable: true, retryAfter: 3 }),
        { 'X-Request-Id': 'rq-9' })],
      retry: { maxAttempts: 1 },
    });
    const e = await rejection(client.getEvent('summer'));
    assert.equal(e.code, 'rate_limited');
    assert.equal(e.requestId, 'rq-9');
    assert.equal(e.retryAfterMs, 3000);
  });

  test('deadline_exceeded and retry_budget_exhausted keep the last failure\'s', async () => {
    const answer = withHeaders(soldOut(10), { 'X-Request-Id': 'rq-last' });
    const late = await makeClient({ answers: [answer], random: () => 0 });
    const d = await rejection(late.client.reserve(reserveArgs));
    assert.equal(d.code, 'deadline_exceeded');
    assert.equal(d.requestId, 'rq-last');
    assert.equal(d.retryAfterMs, 10000);

    const poor = await makeClient({
      answers: [answer], random: () => 0, retryBudget: { capacity: 0.5, refillPerSecond: 0 },
    });
    const b = await rejection(poor.client.reserve(reserveArgs));
    assert.equal(b.code, 'retry_budget_exhausted');
    assert.equal(b.requestId, 'rq-last');
    assert.equal(b.retryAfterMs, 10000);
  });

  test('a refused queue pass carries its expiry, as the waiting room reported it', async () => {
    const expires = '2026-01-01T00:05:00.000Z';
    const { client } = await makeClient({
      answers: [
        json(200, { status: 'admitted', queue_pass: 'qp-old', pass_expires_at: expires }),
        withHeaders(problem(403, 'queue_pass_invalid'), { 'X-Request-Id': 'rq-pass', 'Retry-After': '2' }),
      ],
    });
    assert.equal((await client.waitForPass(reserveArgs.eventId)).status, 'admitted');
    const e = await rejection(client.reserve(reserveArgs));
    assert.equal(e.code, 'queue_pass_invalid');
    assert.equal(e.requestId, 'rq-pass');
    assert.equal(e.retryAfterMs, 2000);
    assert.equal(e.passExpiresAt, expires);
  });

  test('without a response (validation, network) both are undefined', async () => {
    const { client } = await makeClient({ answers: ['network'], retry: { maxAttempts: 1 } });
    for (const e of [await rejection(client.reserve({ ...reserveArgs, quantity: 0 })),
      await rejection(client.getEvent('summer'))]) {
      assert.equal(e.requestId, undefined, e.code);
      assert.equal(e.retryAfterMs, undefined, e.code);
    }
  });
});
