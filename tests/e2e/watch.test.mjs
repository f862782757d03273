// watchAvailability() under Node against a real seatgate-server (its
// embedded Redis): the stream's snapshot, a change after a reservation made
// elsewhere, abort ending the iterator, the polling fallback when the server
// refuses streams, and an unknown event's error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadSdk } from './support/fake.mjs';
import { startServer } from './support/server.mjs';

const event = {
  name: 'Watch Arena', currency: 'EUR', status: 'on_sale', hold_ttl_s: 600,
  max_per_order: 10, max_per_user: 10,
  zones: [{ id: 'floor', name: 'Floor', capacity: 50, price: 1000 }],
  waiting_room: { enabled: false },
};

let sdk, wasmBinary, live, refusing;
before(async () => {
  ({ sdk, wasmBinary } = await loadSdk());
  live = await startServer({ extraArgs: ['--stream-interval-ms', '20'] });
  refusing = await startServer({ extraArgs: ['--max-stream-subscribers', '0'] });
  await live.putEvent('watched', event);
  await refusing.putEvent('watched', event);
});
after(async () => {
  await live?.stop();
  await refusing?.stop();
});

// The next value of `it` whose floor availability is `want` (bounded by the test's timeout).
async function until(it, want) {
  for (;;) {
    const { value, done } = await it.next();
    assert.equal(done, false, 'the iterator ended early');
    if (value.event.zones[0].available === want) return value;
  }
}

test('the stream gives the snapshot, then a change made elsewhere; abort ends it', async () => {
  const client = await sdk.createClient({ baseUrl: live.baseUrl, wasmBinary });
  const buyer = await sdk.createClient({ baseUrl: live.baseUrl, wasmBinary, token: await live.userToken('w1') });
  const ctrl = new AbortController();
  const it = client.watchAvailability('watched', { signal: ctrl.signal });
  const first = await it.next();
  assert.equal(first.value.live, true);
  assert.equal(first.value.event.id, 'watched');
  assert.equal(first.value.event.zones[0].capacity, 50);
  const before = first.value.event.zones[0].available;
  await buyer.reserve({ eventId: 'watched', zoneId: 'floor', quantity: 4 });
  const seen = await until(it, before - 4);
  assert.equal(seen.live, true);
  assert.equal(seen.event.zones[0].name, 'Floor');  // the rest of the event is kept
  ctrl.abort();
  assert.deepEqual(await it.next(), { value: undefined, done: true });
  client.close();
  buyer.close();
});

test('a refused stream falls back to polling getEvent', async () => {
  const client = await sdk.createClient({ baseUrl: refusing.baseUrl, wasmBinary });
  const buyer = await sdk.createClient({ baseUrl: refusing.baseUrl, wasmBinary, token: await refusing.userToken('w2') });
  const it = client.watchAvailability('watched', { pollIntervalMs: 50 });
  const first = await it.next();
  assert.equal(first.value.live, false);
  const before = first.value.event.zones[0].available;
  await buyer.reserve({ eventId: 'watched', zoneId: 'floor', quantity: 2 });
  const seen = await until(it, before - 2);
  assert.equal(seen.live, false);
  await it.return();  // breaking out of for-await does the same
  client.close();
  buyer.close();
});

test('an unknown event rejects with event_not_found', async () => {
  const client = await sdk.createClient({ baseUrl: live.baseUrl, wasmBinary });
  const it = client.watchAvailability('no-such-event');
  await assert.rejects(it.next(), (e) => e instanceof sdk.SeatgateError && e.code === 'event_not_found');
  client.close();
});
