// The client object as app code holds it: close(), framework proxies, abort
// reasons and the async token provider, over a scripted fetch (support/fake.mjs).

import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { json, problem, sampleEvent, sampleReservation } from './support/fake.mjs';
import { loaded, loadHarness, makeClient, rejection, reserveArgs } from './support/harness.mjs';

before(loadHarness);

describe('close', () => {
  test('later calls reject with invalid_state and say why; closing twice is harmless', async () => {
    const { client, net } = await makeClient();
    assert.equal(client.closed, false);
    client.close();
    client.close();
    assert.equal(client.closed, true);
    const e = await rejection(client.getEvent('summer'));
    assert.ok(e instanceof loaded.sdk.SeatgateError);
    assert.equal(e.code, 'invalid_state');
    assert.match(e.message, /closed/);
    await assert.rejects(client.reserve(reserveArgs), { code: 'invalid_state' });
    assert.throws(() => client.newIdempotencyKey(), { code: 'invalid_state' });
    assert.throws(() => client.validate(reserveArgs), { code: 'invalid_state' });
    assert.equal(net.calls.length, 0);
  });

  test('a call in flight rejects when the client closes, and other clients go on', async () => {
    const { client } = await makeClient({ answers: ['hang'] });
    const other = await makeClient();
    const p = client.getEvent('summer');
    setImmediate(() => client.close());
    assert.equal((await rejection(p)).code, 'invalid_state');
    assert.equal((await other.client.getEvent('summer')).id, 'summer');
  });

  test('a call waiting out a backoff rejects when the client closes', async () => {
    const { client, net } = await makeClient({ answers: [problem(503, 'unavailable', { retryable: true, retryAfter: 5 })] });
    const p = client.getEvent('summer', { onRetry: () => queueMicrotask(() => client.close()) });
    assert.equal((await rejection(p)).code, 'invalid_state');
    assert.equal(net.calls.length, 1);
  });
});

// Vue's reactive(), Pinia stores and MobX wrap objects in a Proxy and call
// methods with the proxy as `this`; class private fields throw there.
function reactive(target) {
  return new Proxy(target, {
    get(t, key, receiver) {
      const v = Reflect.get(t, key, receiver);
      const wrap = v !== null && typeof v === 'object' && !v.__v_skip && !ArrayBuffer.isView(v);
      return wrap ? reactive(v) : v;
    },
    set(t, key, value, receiver) {
      return Reflect.set(t, key, value, receiver);
    },
  });
}

describe('framework proxies', () => {
  test('a client wrapped in a deep reactive proxy works', async () => {
    const { client, net } = await makeClient({ answers: [json(200, sampleEvent), json(201, sampleReservation())] });
    const store = reactive({ client });
    const ev = await store.client.getEvent('summer');
    assert.equal(ev.id, 'summer');
    assert.equal(store.client.validate({ ...reserveArgs, quantity: 9 }).code, 'validation_above_max_per_order');
    assert.equal((await store.client.reserve(reserveArgs)).status, 'held');
    assert.match(store.client.newIdempotencyKey(), /^[0-9a-f-]{36}$/);
    store.client.close();
    assert.equal(client.closed, true);
    assert.equal(net.calls.length, 2);
  });
});

describe('abort reasons', () => {
  test('AbortSignal.timeout() rejects with its TimeoutError', async () => {
    const { client } = await makeClient({ answers: ['hang'] });
    const signal = AbortSignal.timeout(1);
    const e = await rejection(client.getEvent('summer', { signal }));
    assert.equal(e.name, 'TimeoutError');
    assert.ok(e instanceof DOMException);
    assert.equal(e, signal.reason);
  });

  test('a reason given to abort() is what the call rejects with', async () => {
    const { client } = await makeClient({ answers: [problem(409, 'sold_out', { retryable: true, retryAfter: 5 })] });
    const ctrl = new AbortController();
    const reason = new Error('the buyer left the page');
    const p = client.reserve(reserveArgs, { signal: ctrl.signal, onRetry: () => ctrl.abort(reason) });
    assert.equal(await rejection(p), reason);
  });
});

describe('token provider', () => {
  test('asked before each call; a 401 refreshes once and repeats with the same key', async () => {
    const asked = [];
    const tokens = ['stale', 'fresh'];
    const { client, net } = await makeClient({
      token: null,
      getToken: async ({ forceRefresh }) => {
        asked.push(forceRefresh);
        if (forceRefresh) tokens.shift();
        return tokens[0];
      },
      answers: [json(200, sampleEvent), problem(401, 'unauthorized'), json(201, sampleReservation())],
    });
    await client.getEvent('summer');
    const r = await client.reserve(reserveArgs);
    assert.equal(r.status, 'held');
    assert.deepEqual(asked, [false, false, true]);
    const auth = net.calls.map((c) => c.headers.get('Authorization'));
    assert.deepEqual(auth, [null, 'Bearer stale', 'Bearer fresh'], 'events are public: no token sent');
    const keys = net.calls.slice(1).map((c) => c.headers.get('Idempotency-Key'));
    assert.ok(keys[0]);
    assert.equal(keys[1], keys[0], 'the repeat resumes the same operation');
  });

  test('a second 401 rejects with unauthorized; a provider that throws rejects with its error', async () => {
    let n = 0;
    const { client, net } = await makeClient({
      token: null,
      getToken: () => `t${n++}`, answers: [problem(401, 'unauthorized')],
    });
    const e = await rejection(client.getEvent('summer'));
    assert.equal(e.code, 'unauthorized');
    assert.equal(net.calls.length, 2);
    const boom = new Error('login expired');
    const { client: c2, net: net2 } = await makeClient({ token: null, getToken: async () => { throw boom; } });
    assert.equal(await rejection(c2.getEvent('summer')), boom);
    assert.equal(net2.calls.length, 0);
  });
});
