// The WebAssembly SDK with a fake transport, clock and randomness: the
// waiting room (waitForPass, the pass sent with reserve; docs/waiting-room.md).
//
//   node --test tests/e2e/wasm_queue.test.mjs   (needs scripts/build-wasm.sh first)

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { json, problem, sampleReservation } from './support/fake.mjs';
import { loaded, loadHarness, makeClient, rejection, reserveArgs } from './support/harness.mjs';

before(loadHarness);

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
      assert.ok(e instanceof loaded.sdk.SeatgateError);
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
    assert.equal((await rejection(p)).name, 'AbortError');
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
    assert.equal((await rejection(p)).name, 'AbortError');
  });
});
