// seatgate WebAssembly SDK — TypeScript declarations for seatgate.mjs.
//
// The module wraps the same sans-IO C++ core as the native SDK: the core
// decides what to send, whether a failure is retryable and how long to wait;
// this layer performs the requests with fetch(), waits with setTimeout() and
// draws randomness from crypto.getRandomValues(). Every method returns a
// Promise; failures reject with a SeatgateError.
//
// Names: what the SDK defines (methods, options, arguments, callback info,
// error fields) is camelCase; the server's resources (results: events,
// reservations, queue answers) keep the wire's snake_case field names of
// docs/openapi.yaml, the same objects every face of the SDK returns.

/**
 * Every error code a call can report, as constants (frozen at run time):
 * `ErrorCodes.sold_out === "sold_out"`, typed as that literal. The key is the
 * code itself, as in C++ (`seatgate::errc::sold_out`) and C
 * (`SEATGATE_CODE_SOLD_OUT`); the three faces hold the same set.
 */
export declare const ErrorCodes: Readonly<{
  // the SDK's own
  // ("tls", a refused certificate, comes from the native SDK only: fetch()
  // reports TLS failures as network errors; nor does this face report
  // "cancelled": an aborted signal rejects with its reason.)
  network: "network"; timeout: "timeout"; tls: "tls"; cancelled: "cancelled";
  deadline_exceeded: "deadline_exceeded"; retry_budget_exhausted: "retry_budget_exhausted";
  invalid_response: "invalid_response"; http_error: "http_error"; bad_gateway: "bad_gateway";
  gateway_timeout: "gateway_timeout"; invalid_state: "invalid_state";
  // validation before the network (no request sent)
  validation_event_id: "validation_event_id"; validation_zone_id: "validation_zone_id";
  validation_unknown_zone: "validation_unknown_zone";
  validation_reservation_id: "validation_reservation_id";
  validation_quantity: "validation_quantity";
  validation_above_max_per_order: "validation_above_max_per_order";
  validation_above_availability: "validation_above_availability";
  validation_above_user_allowance: "validation_above_user_allowance";
  validation_idempotency_key: "validation_idempotency_key";
  validation_payment_ref: "validation_payment_ref";
  validation_queue_pass: "validation_queue_pass";
  validation_unknown_seat: "validation_unknown_seat";
  validation_duplicate_seat: "validation_duplicate_seat";
  validation_seat_taken: "validation_seat_taken";
  validation_seat_selection: "validation_seat_selection";
  // the server's (docs/openapi.yaml, Problem.code)
  invalid_json: "invalid_json"; invalid_request: "invalid_request";
  missing_idempotency_key: "missing_idempotency_key";
  invalid_idempotency_key: "invalid_idempotency_key"; unauthorized: "unauthorized";
  forbidden: "forbidden"; queue_pass_required: "queue_pass_required";
  queue_pass_invalid: "queue_pass_invalid"; not_found: "not_found";
  event_not_found: "event_not_found"; zone_not_found: "zone_not_found";
  reservation_not_found: "reservation_not_found"; method_not_allowed: "method_not_allowed";
  request_timeout: "request_timeout"; sold_out: "sold_out";
  user_limit_exceeded: "user_limit_exceeded"; event_not_on_sale: "event_not_on_sale";
  already_confirmed: "already_confirmed"; reservation_released: "reservation_released";
  capacity_below_committed: "capacity_below_committed";
  idempotency_key_in_use: "idempotency_key_in_use"; queue_limit_exceeded: "queue_limit_exceeded";
  reservation_expired: "reservation_expired"; payload_too_large: "payload_too_large";
  headers_too_large: "headers_too_large"; unsupported_media_type: "unsupported_media_type";
  invalid_quantity: "invalid_quantity"; idempotency_key_reused: "idempotency_key_reused";
  rate_limited: "rate_limited"; unavailable: "unavailable"; internal: "internal";
  zone_not_seated: "zone_not_seated"; seats_taken: "seats_taken"; invalid_seats: "invalid_seats";
  no_adjacent_seats: "no_adjacent_seats"; event_not_closed: "event_not_closed";
  holds_live: "holds_live"; outbox_not_drained: "outbox_not_drained";
}>;

/** An error code: one of ErrorCodes, or a code a newer server added. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes] | (string & {});

/**
 * Every failure of an SDK call, except an aborted signal: that rejects with
 * the signal's reason (see CallOptions.signal).
 */
export declare class SeatgateError extends Error {
  readonly name: "SeatgateError";
  /** Machine-readable code; branch on this, not on message. */
  readonly code: ErrorCode;
  /** HTTP status of the last response, or 0 when there was none. */
  readonly status: number;
  /** Whether the same call may succeed later (the SDK already retried it). */
  readonly retryable: boolean;
  /** Requests sent for this call, 0 when none was (validation, or a signal aborted before sending). */
  readonly attempts: number;
  /** For deadline_exceeded, retry_budget_exhausted: the code of the last failure. */
  readonly cause?: string;
  /** X-Request-Id of the last response, when there was one (quote it in support requests). */
  readonly requestId?: string;
  /**
   * Retry-After of the last response in milliseconds, when it had one (also on
   * deadline_exceeded and retry_budget_exhausted: the last failure's).
   */
  readonly retryAfterMs?: number;
  /**
   * queue_pass_invalid: when the refused queue pass expired (RFC 3339), as the
   * waiting room reported it when it admitted the user.
   */
  readonly passExpiresAt?: string;
  /**
   * seats_taken: the seat ids the server named as taken; validation_seat_taken:
   * the picked seats the last seat map shows taken.
   */
  readonly taken?: string[];
}

/** Reported before each retry, so a page can say what is happening. */
export interface RetryInfo {
  /** Operation name, e.g. "reserve". */
  operation: string;
  /** The attempt that is about to be made (2 for the first retry). */
  attempt: number;
  /** Maximum attempts for this call. */
  maxAttempts: number;
  /** How long the SDK waits before that attempt, in milliseconds. */
  delayMs: number;
  /** Why: the error code that caused the retry (e.g. "sold_out", "network"). */
  reason: string;
  /** HTTP status of the failed attempt, 0 if none. */
  status: number;
}

/** One request as it ended (ClientOptions.onAttempt). */
export interface AttemptInfo {
  /** Operation name, e.g. "reserve". */
  operation: string;
  method: string;
  /** baseUrl + path. */
  url: string;
  /** HTTP status, 0 when no response came. */
  status: number;
  /** "" when a response came; else "network", "timeout" or "cancelled". */
  failure: "" | "network" | "timeout" | "cancelled";
  /** From handing the request to fetch to its end (the environment's clock). */
  elapsedMs: number;
  /** The response's X-Request-Id, "" if none. */
  requestId: string;
  /** Which attempt of the request it was: 1 = first (RetryInfo's numbering). */
  attempt: number;
  /** The Idempotency-Key every attempt of the call sends; "" for calls without one. */
  idempotencyKey: string;
}

/**
 * One attempt about to be sent, told to the request hook (ClientOptions.onRequest).
 * Valid during the hook's call (and until the Promise it returns settles).
 * Not named RequestInfo, which would shadow the DOM's type of that name.
 */
export interface OutgoingRequest {
  /** Operation name, e.g. "reserve" (as AttemptInfo.operation). */
  operation: string;
  method: string;
  /** baseUrl + path. */
  url: string;
  /** 1 = first; each retry of the call (same key, same body) counts up. */
  attempt: number;
  /** The Idempotency-Key every attempt of the call sends; "" for calls without one. */
  idempotencyKey: string;
  /**
   * Adds a header to this attempt (tracing, A/B tags). Returns false and adds
   * nothing for a name the SDK or fetch owns (Authorization, Content-Type,
   * Idempotency-Key, Queue-Pass, Accept, User-Agent, Host, ...), a name
   * already set, a name that is not an HTTP token, or CR/LF/NUL in the value.
   * A cross-origin server must allow the name (Access-Control-Allow-Headers).
   */
  addHeader(name: string, value: string): boolean;
}

export interface RetryPolicy {
  /** Total attempts including the first (default 5). */
  maxAttempts?: number;
  /** Backoff base in ms (default 100). */
  baseDelayMs?: number;
  /** Backoff cap in ms (default 2000). */
  maxDelayMs?: number;
  /** Overall deadline per call in ms, retries included (default 15000). */
  deadlineMs?: number;
  /** Per-attempt timeout in ms (default 10000; clipped to the deadline). */
  attemptTimeoutMs?: number;
}

export interface ClientOptions {
  /** Server origin + optional path prefix, e.g. "https://tickets.example". Default: the page's origin. */
  baseUrl?: string;
  /** Bearer token (a JWT issued by your site's login). Can be changed later with setToken(). */
  token?: string;
  /**
   * Token provider, asked before every call (cache the token: it should
   * answer at once while the token is fresh). When the server answers 401,
   * it is asked once more with forceRefresh: true and the call is repeated
   * once, with the same idempotency key. Replaces `token`/setToken().
   */
  getToken?: TokenProvider;
  /** Retry policy overrides. */
  retry?: RetryPolicy;
  /** Called before every retry of every call (per-call onRetry is called too). */
  onRetry?: (info: RetryInfo) => void;
  /** Told after every request, as it ended (a response or a failure): the response hook. */
  onAttempt?: (attempt: AttemptInfo) => void;
  /**
   * The request hook: told before every request is sent, each attempt of a
   * retried call included; may add headers (OutgoingRequest.addHeader). A Promise
   * it returns is awaited before the request goes out. What it throws (or
   * rejects with) never reaches the call: it is rethrown outside it, in a
   * microtask, and the request is sent with the headers added until then.
   */
  onRequest?: (request: OutgoingRequest) => void | Promise<void>;
  /**
   * One line of text per event: "debug" for every request
   * ("GET https://…/v1/events/e -> 200 (12 ms, request id …)"), "info" for
   * every retry ("retrying (attempt 2) in 1000 ms after sold_out").
   */
  log?: (level: "debug" | "info", message: string) => void;
  /** fetch implementation (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** The compiled seatgate.wasm bytes (Node, or pages that load it themselves). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** URL of seatgate.wasm when it is not next to seatgate.mjs. */
  wasmUrl?: string | URL;
  /** Client-wide retry budget (token bucket): default 20 tokens, +2 per second. capacity <= 0 disables it. */
  retryBudget?: { capacity?: number; refillPerSecond?: number };
  /** How long getEvent()'s availability counts as fresh for validation (default 5000 ms). */
  snapshotMaxAgeMs?: number;
  /**
   * Injected effects, for tests and unusual hosts. Defaults: performance.now,
   * crypto.getRandomValues, setTimeout, clearTimeout.
   */
  environment?: Environment;
}

/** Returns the bearer token to send, or a Promise of it. */
export type TokenProvider = (request: { forceRefresh: boolean }) => string | null | Promise<string | null>;

export interface Environment {
  /** Monotonic milliseconds. */
  now?: () => number;
  /** Fill the array with cryptographically secure random bytes. */
  randomBytes?: (bytes: Uint8Array) => void;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: any) => void;
}

export interface CallOptions {
  /**
   * Abort the call (and any pending retry), mid-request or mid-backoff. The
   * call rejects with the signal's reason, as fetch() does: a DOMException
   * named "AbortError" for abort(), "TimeoutError" for AbortSignal.timeout().
   */
  signal?: AbortSignal;
  /** Called before each retry of this call. */
  onRetry?: (info: RetryInfo) => void;
}

export interface MutatingCallOptions extends CallOptions {
  /**
   * Idempotency key for this logical operation (printable ASCII, 1..255
   * bytes). Default: a fresh UUID v4. Pass the same key again to resume an
   * operation whose outcome you did not see. reserve() with your own key
   * skips the checks against getEvent()'s snapshot (availability, allowance):
   * the server replays the stored reservation.
   */
  idempotencyKey?: string;
}

export interface Zone {
  id: string;
  name: string;
  capacity: number;
  /** Price in minor units of the event's currency (e.g. cents). */
  price: number;
  /** Live availability at the time of the response. */
  available: number;
  /** Present for a seated zone ("seated": draw it with getSeatMap). */
  kind?: "seated";
}

export interface WaitingRoomConfig {
  enabled: boolean;
  capacity?: number;
  admit_per_s?: number;
  pass_ttl_s?: number;
  max_queues_per_user?: number;
}

/** An event as GET /v1/events/{id} returns it. */
export interface EventInfo {
  id: string;
  name: string;
  /** ISO 4217 code, e.g. "EUR". */
  currency: string;
  status: "on_sale" | "paused" | "closed";
  hold_ttl_s: number;
  max_per_order: number;
  max_per_user: number;
  waiting_room: WaitingRoomConfig;
  zones: Zone[];
}

export type ReservationStatus = "held" | "confirmed" | "released" | "expired";

export interface Reservation {
  id: string;
  event_id: string;
  zone_id: string;
  user_id: string;
  quantity: number;
  /** price × quantity, in minor units. */
  amount: number;
  currency: string;
  status: ReservationStatus;
  /** RFC 3339 UTC. */
  created_at: string;
  expires_at: string | null;
  confirmed_at: string | null;
  payment_ref: string | null;
  /** True when the server answered from its idempotency record (a repeat of a request it already did). */
  replayed: boolean;
  /** A seated zone's hold: the seat ids ("A-12"). Absent for a general zone. */
  seats?: string[];
}

export type QueueStatus =
  | { status: "waiting"; position: number; poll_after_ms: number }
  | { status: "admitted"; queue_pass: string; pass_expires_at: string }
  /** The event's waiting room is off: reserve needs no pass. */
  | { status: "not_required" }
  /** queueStatus only: you are not in this waiting room. */
  | { status: "not_joined" };

/** What leaveQueue resolves with, as every face of the SDK returns. */
export interface LeftQueue {
  status: "left";
}

/** Options of watchAvailability(). */
export interface WatchOptions {
  signal?: AbortSignal;
  /** Polling period when the stream is not available (default 3000 ms). */
  pollIntervalMs?: number;
  /** How long to poll before trying the stream again (default 30000 ms). */
  streamRetryMs?: number;
}

/** One value of watchAvailability(): the event now, and whether it came by the stream. */
export interface AvailabilityUpdate {
  event: EventInfo;
  live: boolean;
}

/** How waitForPass ends: admitted with a pass, or no waiting room at all. */
export type PassResult =
  | { status: "admitted"; queue_pass: string; pass_expires_at: string }
  | { status: "not_required" };

/** A "waiting" answer as waitForPass reports it. */
export interface QueuePosition {
  status: "waiting";
  /** 1 = the next to be admitted. */
  position: number;
  /** What the server asked for. */
  poll_after_ms: number;
  /** What the SDK waits before asking again: poll_after_ms (clamped to 250 ms..60 s) ±20%. */
  next_poll_in_ms: number;
}

export interface ReserveOptions extends MutatingCallOptions {
  /**
   * How long this call may wait for released seats while the server answers
   * a retryable sold_out, in ms: 0 fails at the first sold_out; unset: the
   * retry policy alone decides (about 4 s by default).
   */
  soldOutWaitMs?: number;
}

export interface ReserveRequest {
  eventId: string;
  zoneId: string;
  /** Tickets in a general zone, or seats wanted with bestAvailable. Not used with seats. */
  quantity?: number;
  /** Required when the event's waiting room is on (see waitForPass). */
  queuePass?: string;
  /** A seated zone: hold exactly these seats ("A-12"), all or nothing. */
  seats?: string[];
  /** A seated zone: let the server pick `quantity` adjacent seats. */
  bestAvailable?: boolean;
  /** With bestAvailable: split the seats when no row has a block of `quantity`. */
  allowSplit?: boolean;
}

export interface ValidationInput {
  eventId: string;
  zoneId: string;
  quantity?: number;
  seats?: string[];
  bestAvailable?: boolean;
  allowSplit?: boolean;
}

/** State letters of a seat map row: available, held, sold, unavailable. */
export type SeatState = "a" | "h" | "s" | "u";

export interface SeatRow {
  id: string;
  seats: number;
  /** An aisle after each of these seat numbers. */
  aisles_after: number[];
  /** One SeatState letter per seat, seat 1 first. */
  states: string;
}

/** A seated zone's seat map, as GET /v1/events/{id}/zones/{zone}/seats returns it. */
export interface SeatMap {
  event_id: string;
  zone_id: string;
  /** Seats in state "a". */
  available: number;
  /** Front row first. */
  rows: SeatRow[];
  unavailable: string[];
  categories: Record<string, string[]>;
  category_prices: Record<string, number>;
  /** The answer's ETag, sent back as If-None-Match by the next getSeatMap of the zone. */
  etag?: string;
  /** True when the server answered 304: this is the client's unchanged copy. */
  not_modified?: boolean;
}

export interface WaitForPassOptions extends CallOptions {
  /** Called with every "waiting" answer, before the SDK waits to ask again. */
  onPosition?: (position: QueuePosition) => void;
  /** Give up with "deadline_exceeded" after this long (default 1,800,000 = 30 minutes; <= 0: never). */
  deadlineMs?: number;
  /** Spread of each wait around poll_after_ms, 0..1 (default 0.2 = ±20%). */
  jitter?: number;
  /** Read the position first and join only if not in the room (default: join first; joining keeps your place). */
  resume?: boolean;
}

export interface ConfirmOptions {
  paymentRef?: string;
}

export declare class Client {
  /** Use createClient(). */
  private constructor();
  /** Replace the bearer token (e.g. after the site's login refreshed it). */
  setToken(token: string | null): void;
  /**
   * Free the client's WebAssembly state. Calls in flight and every later
   * call reject with code "invalid_state". Closing again does nothing.
   */
  close(): void;
  /** True once close() was called. */
  readonly closed: boolean;

  /** GET /v1/events/{id}. Also remembers limits and availability for validate(). */
  getEvent(eventId: string, options?: CallOptions): Promise<EventInfo>;
  /**
   * POST /v1/reservations: hold seats. Retries sold_out while others hold
   * seats. In a seated zone, pass `seats` (picked, all or nothing) or
   * `bestAvailable` with `quantity`; a retryable seats_taken (a picked seat
   * held, not sold) is retried like sold_out, no_adjacent_seats never.
   */
  reserve(request: ReserveRequest, options?: ReserveOptions): Promise<Reservation>;
  getReservation(reservationId: string, options?: CallOptions): Promise<Reservation>;
  confirm(reservationId: string, body?: ConfirmOptions, options?: MutatingCallOptions): Promise<Reservation>;
  /** DELETE /v1/reservations/{id}: give the seats back; repeating is harmless. */
  release(reservationId: string, options?: CallOptions): Promise<Reservation>;
  /** GET /v1/users/me/reservations?event_id=: your reservations of one event (required). */
  listMyReservations(eventId: string, options?: CallOptions): Promise<Reservation[]>;

  /** POST /v1/events/{id}/queue: join the waiting room (repeat keeps your place). */
  joinQueue(eventId: string, options?: CallOptions): Promise<QueueStatus>;
  /** GET /v1/events/{id}/queue/me. */
  queueStatus(eventId: string, options?: CallOptions): Promise<QueueStatus>;
  /** DELETE /v1/events/{id}/queue/me: resolves with {status: "left"} (repeating answers the same). */
  leaveQueue(eventId: string, options?: CallOptions): Promise<LeftQueue>;
  /**
   * Wait in the event's waiting room until admitted: join, then poll as
   * poll_after_ms says (with jitter), reporting each position. Each request
   * is retried like any call; errors that are not retryable
   * (event_not_found, queue_limit_exceeded, ...) reject at once; the signal's reason
   * when the signal aborts (also mid-wait); "deadline_exceeded" after
   * deadlineMs. The pass is remembered: the next reserve() of the event
   * sends it without queuePass.
   */
  waitForPass(eventId: string, options?: WaitForPassOptions): Promise<PassResult>;

  /**
   * GET /v1/events/{id}/zones/{zone}/seats: a seated zone's seat map. The
   * client keeps the last map of each zone: the next call sends its ETag and
   * an unchanged map costs no transfer (not_modified: true); reserve() and
   * validate() check picked seats against it (validation_unknown_seat,
   * validation_duplicate_seat, validation_seat_taken while it is fresh).
   */
  getSeatMap(eventId: string, zoneId: string, options?: CallOptions): Promise<SeatMap>;

  /**
   * Check an order without the network, against what the client last saw of
   * the event. Returns null when it may be sent, or the SeatgateError
   * (code "validation_*", attempts 0) that reserve() would reject with.
   */
  validate(order: ValidationInput): SeatgateError | null;
  /** A fresh UUID v4 from crypto.getRandomValues (usable as an idempotency key). */
  newIdempotencyKey(): string;
  /**
   * Live availability: yields {event, live} with the event as getEvent()
   * answers it, first at once, then each time it changes. Reads
   * GET /v1/events/{id}/stream (live: true); when the stream is refused or
   * unavailable, polls getEvent() every pollIntervalMs (live: false) and tries
   * the stream again after streamRetryMs. Ends when the signal aborts or the
   * loop breaks; rejects with getEvent()'s error (e.g. event_not_found).
   */
  watchAvailability(eventId: string, options?: WatchOptions): AsyncIterableIterator<AvailabilityUpdate>;
  /** Tokens left in the client-wide retry budget. */
  retryBudgetTokens(): number;
}

/** Load the WebAssembly core and make a client. */
export declare function createClient(options?: ClientOptions): Promise<Client>;

/** SDK version, e.g. "0.1.0". */
export declare const version: string;

/** Checks a webhook delivery's Seatgate-Signature against its raw body (docs/webhooks.md). */
export declare function verifyWebhook(
  secret: string, header: string, body: string | Uint8Array,
  options?: { nowSeconds?: number; toleranceSeconds?: number },
): Promise<'valid' | 'malformed_header' | 'bad_signature' | 'too_old'>;
/** The hex HMAC-SHA256(secret, "<t>.<body>") of a delivery (the v1 value). */
export declare function webhookSignature(
  secret: string, t: number, body: string | Uint8Array): Promise<string>;

/** The raw Emscripten module factory (internal; use createClient). */
declare function createSeatgateModule(moduleArgs?: object): Promise<unknown>;
export default createSeatgateModule;
