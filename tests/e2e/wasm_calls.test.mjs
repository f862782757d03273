// The WebAssembly SDK with a fake transport, clock and randomness:
// cancellation and validation before the network (docs/sdk.md).
//
//   node --test tests/e2e/wasm_calls.test.mjs   (needs scripts/build-wasm.sh first)

import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { json, problem, sampleEvent, sampleReservation } from './support/fake.mjs';
import { loaded, loadHarness, makeClient, rejection, reserveArgs } from './support/harness.mjs';

before(loadHarness);

describe('cancellation', () => {
  test('abort during backoff rejects with the signal\'s reason and sends nothing more', async () => {
    const ctrl = new AbortController();
    const { client, net } = await makeClient({
      answers: [problem(409, 'sold_out', { retryable: true, retryAfter: 5 })],
    });
    const p = client.reserve(reserveArgs, {
      signal: ctrl.signal, onRetry: () => queueMicrotask(() => ctrl.abort()),
    });
    const e = await rejection(p);
    assert.equal(e, ctrl.signal.reason);
    assert.equal(e.name, 'AbortError');
    assert.equal(net.calls.length, 1);
  });

  test('abort during a request rejects with the signal\'s reason', async () => {
    const ctrl = new AbortController();
    const { client } = await makeClient({ answers: ['hang'] });
    const p = client.getEvent('summer', { signal: ctrl.signal });
    setImmediate(() => ctrl.abort());
    const e = await rejection(p);
    assert.equal(e, ctrl.signal.reason);
    assert.equal(e.name, 'AbortError');
  });

  test('an already aborted signal sends nothing', async () => {
    const { client, net } = await makeClient();
    const signal = AbortSignal.abort();
    const e = await rejection(client.getEvent('summer', { signal }));
    assert.equal(e, signal.reason);
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
    assert.ok(e instanceof loaded.sdk.SeatgateError);
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
