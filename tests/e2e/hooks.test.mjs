// The request and response hooks (onRequest, onAttempt) under Node against a
// real seatgate-server (its embedded Redis), on a call the server makes
// retry: 409 sold_out while another buyer holds the only seat, released
// during the backoff. The X-Request-Id the hook adds reaches the server,
// which answers with it; the hook's error does not break the call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadSdk, UUID_V4 } from './support/fake.mjs';
import { startServer } from './support/server.mjs';

const event = {
  name: 'Hooks Hall', currency: 'EUR', status: 'on_sale', hold_ttl_s: 600,
  max_per_order: 4, max_per_user: 4,
  zones: [{ id: 'floor', name: 'Floor', capacity: 1, price: 1000 }],
  waiting_room: { enabled: false },
};

let sdk, wasmBinary, server;
before(async () => {
  ({ sdk, wasmBinary } = await loadSdk());
  server = await startServer();
  await server.putEvent('hooks', event);
});
after(async () => {
  await server?.stop();
});

test('every attempt is told before and after; the hook\'s header reaches the server', async () => {
  const order = { eventId: 'hooks', zoneId: 'floor', quantity: 1 };
  const bob = await sdk.createClient({ baseUrl: server.baseUrl, wasmBinary, token: await server.userToken('bob') });
  const bobs = await bob.reserve(order);

  const requests = [];
  const answers = [];
  const thrown = [];
  let released = null;
  const alice = await sdk.createClient({
    baseUrl: server.baseUrl, wasmBinary, token: await server.userToken('alice'),
    onRequest: (r) => {
      const forged = r.addHeader('Idempotency-Key', 'forged') || r.addHeader('Authorization', 'Bearer x');
      requests.push({ operation: r.operation, method: r.method, url: r.url, attempt: r.attempt,
        key: r.idempotencyKey, forged });
      assert.equal(r.addHeader('X-Request-Id', `js-hook-${r.attempt}`), true);
      if (requests.length === 1) throw new Error('tracing backend down');  // the first request only
    },
    onAttempt: (a) => answers.push({ attempt: a.attempt, status: a.status, requestId: a.requestId, key: a.idempotencyKey }),
    onRetry: () => {
      // The seat frees during alice's backoff (Retry-After: 1 s).
      if (answers.length === 1) released = bob.release(bobs.id);
    },
  });
  // What the hook throws is rethrown outside the call, in a microtask:
  // collected here instead of failing the run.
  const original = globalThis.queueMicrotask;
  globalThis.queueMicrotask = (task) => original(() => {
    try {
      task();
    } catch (e) {
      thrown.push(e.message);
    }
  });
  let hold;
  try {
    hold = await alice.reserve(order);
  } finally {
    globalThis.queueMicrotask = original;
  }
  assert.equal((await released).status, 'released');
  assert.equal(hold.status, 'held');
  assert.deepEqual(thrown, ['tracing backend down']);

  const key = requests[0].key;
  assert.match(key, UUID_V4);
  assert.deepEqual(requests, [1, 2].map((attempt) => ({
    operation: 'reserve', method: 'POST', url: `${server.baseUrl}/v1/reservations`, attempt, key, forged: false,
  })));
  assert.deepEqual(answers, [
    { attempt: 1, status: 409, requestId: 'js-hook-1', key },
    { attempt: 2, status: 201, requestId: 'js-hook-2', key },
  ]);

  // The SDK's key went out, not a forged one: reserving with it replays alice's hold.
  const again = await alice.reserve(order, { idempotencyKey: key });
  assert.equal(again.replayed, true);
  assert.equal(again.id, hold.id);
  const audit = await server.audit('hooks');
  assert.equal(audit.consistent, true);
  assert.deepEqual(audit.zones.map((z) => [z.id, z.held, z.sold]), [['floor', 1, 0]]);
  alice.close();
  bob.close();
});
