// Compile-only check of wasm/seatgate.d.ts (npm run test:types): a page
// written against the declarations, as a TypeScript user would write it.
import { createClient, ErrorCodes, SeatgateError, version } from '../../wasm/seatgate.js';
import type { ErrorCode } from '../../wasm/seatgate.js';
import type { Client, EventInfo, Reservation, RetryInfo, QueueStatus, PassResult, QueuePosition } from '../../wasm/seatgate.js';
import type { AttemptInfo } from '../../wasm/seatgate.js';
import type { OutgoingRequest } from '../../wasm/seatgate.js';

export async function checkout(signal: AbortSignal): Promise<Reservation | string> {
  const client: Client = await createClient({
    baseUrl: 'https://tickets.example',
    token: 'jwt',
    retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2000, deadlineMs: 15_000 },
    onRetry: (i: RetryInfo) => console.log(`${i.reason}: retry ${i.attempt}/${i.maxAttempts} in ${i.delayMs} ms`),
    onAttempt: (a: AttemptInfo) => console.log(a.operation, a.method, a.url, a.status || a.failure, a.elapsedMs, a.requestId,
      a.attempt, a.idempotencyKey),
    log: (level: 'debug' | 'info', message: string) => console.log(level, message),
    onRequest: (r: OutgoingRequest) => {
      const added: boolean = r.addHeader('traceparent', `00-${r.idempotencyKey}-${r.attempt}-01`);
      console.log(r.operation, r.method, r.url, added);
    },
  });
  const ev: EventInfo = await client.getEvent('summer', { signal });
  const zone = ev.zones[0];
  const available: number = zone.available;
  const problem = client.validate({ eventId: ev.id, zoneId: zone.id, quantity: 2 });
  if (problem) return `${problem.code}: ${problem.message}`;
  let pass: string | undefined;
  if (ev.waiting_room.enabled) {
    const r: PassResult = await client.waitForPass(ev.id, {
      signal, deadlineMs: 10 * 60_000, jitter: 0.1, resume: false,
      onPosition: (q: QueuePosition) => console.log(q.position, q.poll_after_ms, q.next_poll_in_ms),
    });
    if (r.status === 'admitted') pass = r.queue_pass;  // also remembered by the client

  }
  try {
    const hold = await client.reserve(
      { eventId: ev.id, zoneId: zone.id, quantity: Math.min(2, available), queuePass: pass },
      { signal, idempotencyKey: client.newIdempotencyKey(), soldOutWaitMs: 0 });
    const expires: string | null = hold.expires_at;
    console.log(expires, hold.replayed);
    return await client.confirm(hold.id, { paymentRef: 'pay_123' });
  } catch (e) {
    if (e instanceof SeatgateError) {
      const retryable: boolean = e.retryable;
      const status: number = e.status;
      const attempts: number = e.attempts;
      const support: string | undefined = e.requestId;
      const retryAfterMs: number | undefined = e.retryAfterMs;
      const passExpiresAt: string | undefined = e.passExpiresAt;
      console.log(support, retryAfterMs, passExpiresAt);
      if (e.code === ErrorCodes.sold_out || e.code.startsWith('validation_')) return `${e.code} ${status} ${retryable} ${attempts}`;
    }
    throw e;
  } finally {
    const mine: Reservation[] = await client.listMyReservations(ev.id);
    const q: QueueStatus = await client.queueStatus(ev.id);
    if (q.status === 'waiting') console.log(q.position, q.poll_after_ms);
    else if (q.status === 'admitted') console.log(q.queue_pass, mine.length, version);
    else console.log(q.status === 'not_required' || q.status === 'not_joined');
    await client.leaveQueue(ev.id);
  }
}

// @ts-expect-error quantity is a number
createClient().then((c) => c.reserve({ eventId: 'e', zoneId: 'z', quantity: '2' }));

// @ts-expect-error a PassResult may be "not_required", without a pass
createClient().then(async (c) => (await c.waitForPass('e')).queue_pass);

// A token provider (async, told when the server refused the last token) and close().
export async function withProvider(login: () => Promise<string>): Promise<boolean> {
  let cached: string | null = null;
  const client = await createClient({
    baseUrl: 'https://tickets.example',
    getToken: async ({ forceRefresh }) => (cached && !forceRefresh ? cached : (cached = await login())),
  });
  try {
    await client.getEvent('summer', { signal: AbortSignal.timeout(5000) });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'TimeoutError') return false;
    throw e;
  } finally {
    client.close();
  }
  return client.closed;
}

// Assigned seating: the seat map, a pick, best available, the taken seats.
import type { SeatMap, SeatRow, SeatState } from '../../wasm/seatgate.js';

export async function pickSeats(client: Client): Promise<string[]> {
  const map: SeatMap = await client.getSeatMap('gala', 'stalls');
  const row: SeatRow = map.rows[0];
  const first = row.states[0] as SeatState;
  const fresh: boolean = map.not_modified !== true;
  if (first === 'a' && fresh) {
    try {
      const r: Reservation = await client.reserve({ eventId: 'gala', zoneId: 'stalls', seats: [`${row.id}-1`] },
        { soldOutWaitMs: 0 });
      return r.seats ?? [];
    } catch (e) {
      if (e instanceof SeatgateError && e.code === 'seats_taken') return e.taken ?? [];
    }
  }
  const best = await client.reserve({ eventId: 'gala', zoneId: 'stalls', quantity: 2, bestAvailable: true, allowSplit: false });
  const err = client.validate({ eventId: 'gala', zoneId: 'stalls', seats: ['A-1', 'A-1'] });
  if (err?.code === 'validation_duplicate_seat') console.log(err.message);
  return best.seats ?? [];
}

// ErrorCodes: each constant has its literal type, and is read-only.
const soldOut: 'sold_out' = ErrorCodes.sold_out;
const archive: ErrorCode[] = [ErrorCodes.event_not_closed, ErrorCodes.holds_live, ErrorCodes.outbox_not_drained];
const seat: 'seats_taken' | 'no_adjacent_seats' = ErrorCodes.no_adjacent_seats;
console.log(soldOut, archive, seat, ErrorCodes.validation_quantity satisfies ErrorCode);
// @ts-expect-error the constants are read-only
ErrorCodes.sold_out = 'sold_out';
// @ts-expect-error no such code
console.log(ErrorCodes.soldOut);
