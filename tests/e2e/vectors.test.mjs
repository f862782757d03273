// The operation vectors (tests/sdk/vectors/operations.json) through the
// WebAssembly module's public API, with a scripted fetch and a fake clock.
// tests/sdk/vectors_test.cc runs the same file through the native client:
// both must match each vector's result, so the faces agree on every operation.
//
//   node --test tests/e2e/vectors.test.mjs   (needs scripts/build-wasm.sh first)

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './support/fake.mjs';
import { loaded, loadHarness, makeClient } from './support/harness.mjs';

const vectorsFile = path.join(repoRoot, 'tests/sdk/vectors/operations.json');
const { vectors } = JSON.parse(fs.readFileSync(vectorsFile, 'utf8'));

before(loadHarness);

// Each operation through its public method; results as the core serialises
// them (a list is {"reservations": [...]}, the method returns the array).
const faces = {
  get_event: (c, p) => c.getEvent(p.event_id),
  reserve: (c, p) => c.reserve(
    { eventId: p.event_id, zoneId: p.zone_id, quantity: p.quantity, queuePass: p.queue_pass,
      seats: p.seats, bestAvailable: p.best_available, allowSplit: p.allow_split },
    { idempotencyKey: p.idempotency_key }),
  get_reservation: (c, p) => c.getReservation(p.reservation_id),
  confirm: (c, p) => c.confirm(p.reservation_id, { paymentRef: p.payment_ref },
    { idempotencyKey: p.idempotency_key }),
  release: (c, p) => c.release(p.reservation_id),
  list_reservations: async (c, p) => ({ reservations: await c.listMyReservations(p.event_id) }),
  join_queue: (c, p) => c.joinQueue(p.event_id),
  queue_status: (c, p) => c.queueStatus(p.event_id),
  leave_queue: (c, p) => c.leaveQueue(p.event_id),
  wait_for_pass: (c, p) => c.waitForPass(p.event_id, { resume: p.join === false }),
  get_seat_map: (c, p) => c.getSeatMap(p.event_id, p.zone_id),
};

function answer(a) {
  const body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
  return { status: a.status, body, headers: { 'Content-Type': 'application/json', ...(a.headers ?? {}) } };
}

test('every operation has a face and a vector', () => {
  const seen = new Set(vectors.map((v) => v.operation));
  assert.deepEqual([...seen].sort(), Object.keys(faces).sort());
});

for (const v of vectors) {
  test(v.name, async () => {
    // One more answer than foreseen, so an extra request shows as a failure.
    const { client, net } = await makeClient({
      answers: [...v.responses.map(answer), { status: 599, body: '' }],
    });
    let got;
    let failure;
    try {
      got = await faces[v.operation](client, v.params);
    } catch (e) {
      failure = e;
    }
    assert.equal(net.calls.length, v.responses.length, 'requests sent');
    if (v.error) {
      assert.ok(failure instanceof loaded.sdk.SeatgateError, `expected an error, got ${JSON.stringify(got)}`);
      // The details every face reports, where the vector states them.
      const details = { request_id: 'requestId', retry_after_ms: 'retryAfterMs', pass_expires_at: 'passExpiresAt' };
      const seen = { code: failure.code, status: failure.status, attempts: failure.attempts, retryable: failure.retryable };
      for (const [field, prop] of Object.entries(details)) if (field in v.error) seen[field] = failure[prop];
      assert.deepEqual(seen, v.error);
    } else {
      assert.equal(failure, undefined, failure && `${failure.code}: ${failure.message}`);
      assert.deepEqual(got, v.result);
    }
  });
}
