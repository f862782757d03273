// Assigned seating through the WebAssembly client: getSeatMap() and its ETag
// reuse, reserve() with seats or bestAvailable, every seat validation code
// (reserve() and validate(), nothing sent), the taken seats of an error, and
// which seat answers are retried — over a scripted fetch (support/fake.mjs).

import { test, before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { json, problem, sampleReservation } from './support/fake.mjs';
import { loadHarness, makeClient, rejection } from './support/harness.mjs';

before(loadHarness);

const map = {
  event_id: 'gala', zone_id: 'stalls', available: 7,
  rows: [
    { id: 'A', seats: 6, aisles_after: [3], states: 'uaaaha' },
    { id: 'B', seats: 4, aisles_after: [], states: 'asaa' },
  ],
  unavailable: ['A-1'], categories: { wheelchair: ['B-1'] }, category_prices: { wheelchair: 2000 },
};
const mapAnswer = json(200, map, { ETag: '"v1"' });

function held(seats) {
  return json(201, {
    ...sampleReservation(), id: 'gala.AAAAAAAAAAAAAAAAAAAAAA', event_id: 'gala', zone_id: 'stalls',
    quantity: seats.length, seats,
  });
}

function seatsTaken(retryable, taken) {
  const a = problem(409, 'seats_taken', { retryable });
  a.body = JSON.stringify({ ...JSON.parse(a.body), taken });
  return a;
}

const pick = (seats, extra = {}) => ({ eventId: 'gala', zoneId: 'stalls', seats, ...extra });

describe('seat map', () => {
  test('getSeatMap decodes the map; the next call sends If-None-Match and a 304 is the copy', async () => {
    const { client, net } = await makeClient({ answers: [mapAnswer, { status: 304, headers: {} }] });
    const m = await client.getSeatMap('gala', 'stalls');
    assert.equal(net.calls[0].url, 'https://tickets.test/v1/events/gala/zones/stalls/seats');
    assert.equal(net.calls[0].headers.get('if-none-match'), null);
    assert.deepEqual(m, { ...map, etag: '"v1"' });
    const again = await client.getSeatMap('gala', 'stalls');
    assert.equal(net.calls[1].headers.get('if-none-match'), '"v1"');
    assert.equal(again.not_modified, true);
    assert.deepEqual(again.rows, map.rows);
  });

  test('a general zone answers zone_not_seated, not retried; bad ids never leave the client', async () => {
    const { client, net } = await makeClient({ answers: [problem(409, 'zone_not_seated')] });
    const e = await rejection(client.getSeatMap('gala', 'floor'));
    assert.equal(e.code, 'zone_not_seated');
    assert.equal(e.attempts, 1);
    assert.equal((await rejection(client.getSeatMap('gala', 'Bad Zone'))).code, 'validation_zone_id');
    assert.equal(net.calls.length, 1);
  });
});

describe('reserve in a seated zone', () => {
  test('picked seats are sent as seats and the hold carries them', async () => {
    const { client, net } = await makeClient({ answers: [held(['A-2', 'A-3'])] });
    const r = await client.reserve(pick(['A-2', 'A-3']));
    assert.deepEqual(JSON.parse(net.calls[0].body), { event_id: 'gala', zone_id: 'stalls', seats: ['A-2', 'A-3'] });
    assert.deepEqual(r.seats, ['A-2', 'A-3']);
    assert.equal(r.quantity, 2);
  });

  test('best available sends the quantity and the flags', async () => {
    const { client, net } = await makeClient({ answers: [held(['B-3', 'B-4'])] });
    const r = await client.reserve({ eventId: 'gala', zoneId: 'stalls', quantity: 2, bestAvailable: true, allowSplit: true });
    assert.deepEqual(JSON.parse(net.calls[0].body),
      { event_id: 'gala', zone_id: 'stalls', quantity: 2, best_available: true, allow_split: true });
    assert.deepEqual(r.seats, ['B-3', 'B-4']);
  });

  test('every seat validation code, before the network', async () => {
    const { client, net } = await makeClient({ answers: [mapAnswer] });
    const code = async (req) => (await rejection(client.reserve(req))).code;
    assert.equal(await code(pick(['A-2', 'A-2'])), 'validation_duplicate_seat');
    assert.equal(await code(pick(['twelve'])), 'validation_unknown_seat');
    assert.equal(await code(pick(['A-2'], { bestAvailable: true })), 'validation_seat_selection');
    assert.equal(await code(pick([])), 'validation_quantity');
    assert.equal(net.calls.length, 0);
    await client.getSeatMap('gala', 'stalls');
    assert.equal(await code(pick(['C-1'])), 'validation_unknown_seat');
    const taken = await rejection(client.reserve(pick(['A-2', 'A-5', 'B-2'])));
    assert.equal(taken.code, 'validation_seat_taken');
    assert.deepEqual(taken.taken, ['A-5', 'B-2']);
    assert.equal(taken.attempts, 0);
    assert.match(taken.message, /A-5 and B-2/);
    assert.equal(await code({ eventId: 'gala', zoneId: 'stalls', quantity: 8, bestAvailable: true }),
      'validation_above_availability');
    // validate() says the same without a promise.
    assert.equal(client.validate(pick(['A-5'])).code, 'validation_seat_taken');
    assert.equal(client.validate(pick(['A-2', 'A-3'])), null);
    assert.equal(net.calls.length, 1);  // the map only
  });

  test('seats_taken is retried while the server says retryable, with the same key', async () => {
    const { client, net } = await makeClient({ answers: [seatsTaken(true, ['A-2']), held(['A-2'])] });
    const retries = [];
    const r = await client.reserve(pick(['A-2']), { onRetry: (i) => retries.push(i.reason) });
    assert.deepEqual(r.seats, ['A-2']);
    assert.deepEqual(retries, ['seats_taken']);
    assert.equal(net.calls[0].headers.get('idempotency-key'), net.calls[1].headers.get('idempotency-key'));
  });

  test('seats_taken not retryable fails at once with the taken seats, and the map copy learns them', async () => {
    const { client, net } = await makeClient({ answers: [mapAnswer, seatsTaken(false, ['B-4'])] });
    await client.getSeatMap('gala', 'stalls');
    const e = await rejection(client.reserve(pick(['B-3', 'B-4'])));
    assert.equal(e.code, 'seats_taken');
    assert.equal(e.status, 409);
    assert.equal(e.retryable, false);
    assert.deepEqual(e.taken, ['B-4']);
    assert.equal(e.attempts, 1);
    assert.equal((await rejection(client.reserve(pick(['B-4'])))).code, 'validation_seat_taken');
    assert.equal(net.calls.length, 2);
  });

  test('soldOutWaitMs: 0 ends the call at the first retryable seats_taken', async () => {
    const { client, net } = await makeClient({ answers: [seatsTaken(true, ['A-2']), held(['A-2'])] });
    const e = await rejection(client.reserve(pick(['A-2']), { soldOutWaitMs: 0 }));
    assert.equal(e.code, 'seats_taken');
    assert.equal(e.retryable, true);
    assert.equal(net.calls.length, 1);
  });

  test('no_adjacent_seats and invalid_seats are never retried', async () => {
    for (const answer of [problem(409, 'no_adjacent_seats', { retryable: true }), problem(422, 'invalid_seats')]) {
      const { client, net } = await makeClient({ answers: [answer, held(['A-2', 'A-3'])] });
      const e = await rejection(client.reserve({ eventId: 'gala', zoneId: 'stalls', quantity: 2, bestAvailable: true }));
      assert.equal(e.code, JSON.parse(answer.body).code);
      assert.equal(e.retryable, false);
      assert.equal(net.calls.length, 1);
    }
  });
});
