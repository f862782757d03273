// The checkout flow: login → (waiting room) → event → hold → confirmed.
// Every call to seatgate goes through the WebAssembly SDK, which validates,
// retries and keys requests; this file decides what the buyer sees.

import { loadSession, clearSession, login } from './session.js';
import { errorText, retryText, seatList } from './messages.js';
import { formatTime, formatMoney, plural } from './format.js';
import {
  $, showScreen, setText, setMessage, setBusy, renderUser, renderEventHead, renderZones,
  renderTotal, renderSummary, renderCountdown, renderTickets, renderTicket, seatsText,
} from './views.js';
import { mountSeatMap, legendItems } from './seatmap.js';

const REFRESH_MS = 3000;
const params = new URLSearchParams(location.search);
const apiBase = (params.get('api') ?? location.origin).replace(/\/+$/, '');

const state = {
  sdk: null,
  client: null,
  session: null,
  eventId: params.get('event') || 'demo-arena',
  event: null,
  zoneId: null,
  pass: null,            // { status: 'admitted', queue_pass, pass_expires_at } from waitForPass
  hold: null,            // the held reservation
  holdTotalMs: 0,
  confirmKey: null,      // one idempotency key per hold's confirmation
  pendingReserve: null,  // { key, signature } of a reserve whose outcome is unknown
  reserveAbort: null,
  queueAbort: null,
  timers: { refresh: 0, countdown: 0, seats: 0 },
  liveAbort: null,       // ends watchAvailability()
  // A seated zone: its last seat map, the seats this buyer picked, the drawn map.
  seats: { zoneId: null, map: null, picked: new Set(), view: null },
};

// ---------------------------------------------------------------- start-up

async function boot() {
  showScreen('loading');
  try {
    state.sdk = await import('../sdk/seatgate.mjs');
    state.client = await state.sdk.createClient({ baseUrl: apiBase });
    setText('sdk-version', `v${state.sdk.version}`);
  } catch (e) {
    console.error(e);
    return fatal('The checkout could not start',
      'The seatgate SDK did not load. If you run this site yourself, build it first with scripts/build-wasm.sh.');
  }
  state.session = loadSession();
  if (!state.session) return showLogin();
  await startSession();
}

async function startSession() {
  renderUser(state.session);
  state.client.setToken(state.session.token);
  await openEvent();
}

function fatal(title, text) {
  stopTimers();
  setText('fatal-title', title);
  setText('fatal-text', text);
  showScreen('fatal');
}

function stopTimers() {
  state.liveAbort?.abort();
  state.liveAbort = null;
  clearInterval(state.timers.refresh);
  clearInterval(state.timers.countdown);
  clearInterval(state.timers.seats);
  state.timers.refresh = state.timers.countdown = state.timers.seats = 0;
}

// Any call may find the session gone; send the buyer back to log in.
function sessionEnded() {
  clearSession();
  state.session = null;
  state.client.setToken(null);
  renderUser(null);
  showLogin('Your session ended. Please log in again.');
}

// ---------------------------------------------------------------- login

function showLogin(message) {
  stopTimers();
  setMessage('login-error', message);
  showScreen('login');
  $('login-user').focus();
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const input = $('login-user');
  const user = input.value.trim();
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(user)) {
    setMessage('login-error', 'Use 1 to 32 letters, digits, dots, dashes or underscores.');
    return;
  }
  const btn = $('login-submit');
  setBusy(btn, true, 'Logging in…');
  setMessage('login-error', '');
  try {
    state.session = await login(apiBase, user);
    await startSession();
  } catch (e) {
    setMessage('login-error', e.message);
  } finally {
    setBusy(btn, false);
  }
});

$('logout-btn').addEventListener('click', () => {
  state.reserveAbort?.abort();
  state.queueAbort?.abort();
  clearSession();
  state.session = null;
  state.pass = null;
  state.client.setToken(null);
  renderUser(null);
  showLogin();
});

$('fatal-retry').addEventListener('click', () => location.reload());

// ---------------------------------------------------------------- event

async function openEvent() {
  setText('loading-text', 'Loading the event…');
  showScreen('loading');
  try {
    state.event = await state.client.getEvent(state.eventId);
  } catch (e) {
    if (e.code === 'event_not_found' || e.code === 'validation_event_id') {
      return fatal('No such event', `There is no event called “${state.eventId}”. Check the link.`);
    }
    return fatal('The box office is not answering', errorText(e));
  }
  if (state.event.waiting_room?.enabled && !passValid()) return enterQueue();
  showEvent();
}

function passValid() {
  return !!state.pass && Date.parse(state.pass.pass_expires_at) > Date.now();
}

function showEvent(flash) {
  stopTimers();
  const ev = state.event;
  renderEventHead(ev);
  if (!ev.zones.some((z) => z.id === state.zoneId)) {
    state.zoneId = (ev.zones.find((z) => z.available > 0) ?? ev.zones[0])?.id ?? null;
  }
  renderZones(ev, state.zoneId, selectZone);
  $('qty').max = String(ev.max_per_order);
  setMessage('event-flash', flash);
  setMessage('event-error', '');
  $('pass-notice').hidden = !passValid();
  if (passValid()) {
    setText('pass-notice', `It's your turn! You can buy until ${formatTime(state.pass.pass_expires_at)}.`);
  }
  $('resume-notice').hidden = true;
  syncSeatPicker();
  updateOrder();
  showScreen('event');
  watchEvent();
  refreshTickets();
}

// Availability moves on the page as the server pushes it (the SDK's
// watchAvailability: the event's stream, or its own polling while the
// server refuses streams). Should the watch itself fail, poll here.
async function watchEvent() {
  const abort = new AbortController();
  state.liveAbort = abort;
  const badge = $('event-live');
  try {
    const updates = state.client.watchAvailability(state.eventId, {
      signal: abort.signal, pollIntervalMs: REFRESH_MS,
    });
    for await (const { event, live } of updates) {
      state.event = event;
      badge.classList.remove('stale');
      badge.dataset.source = live ? 'stream' : 'poll';
      if ($('screen-event').hidden) continue;
      renderEventHead(event);
      renderZones(event, state.zoneId, selectZone);
      updateOrder();
      loadSeatMap();  // a seated zone's seats moved: fetch its map (ETag: free when unchanged)
    }
  } catch (e) {
    if (abort.signal.aborted) return;
    console.warn('live availability stopped, polling instead', e);
    badge.dataset.source = 'poll';
    if (state.liveAbort === abort) state.timers.refresh = setInterval(refreshEvent, REFRESH_MS);
  }
}

function selectZone(id) {
  state.zoneId = id;
  syncSeatPicker();
  updateOrder();
}

function currentZone() {
  return state.event?.zones.find((z) => z.id === state.zoneId) ?? null;
}

function readQuantity() {
  const raw = $('qty').value.trim();
  return raw === '' ? NaN : Number(raw);
}

// Validation is the SDK's: the same rules (and messages) reserve() applies,
// against the availability and allowance it last saw.
function updateOrder() {
  const zone = currentZone();
  if (isSeated(zone)) return updateSeatOrder(zone);
  const qty = readQuantity();
  const max = state.event.max_per_order;
  $('qty-minus').disabled = !(qty > 1);
  $('qty-plus').disabled = !(qty < max);
  let problem = null;
  if (!zone) problem = 'Choose where to sit first.';
  else {
    const err = state.client.validate({ eventId: state.eventId, zoneId: zone.id, quantity: qty });
    if (err) problem = err.message;
  }
  renderTotal(state.event, problem ? null : zone, qty);
  setMessage('qty-error', problem);
  $('qty').setAttribute('aria-invalid', problem ? 'true' : 'false');
  if (!state.reserveAbort) $('reserve-btn').disabled = !!problem || state.event.status !== 'on_sale';
  return !problem;
}

$('qty').addEventListener('input', updateOrder);
$('qty-minus').addEventListener('click', () => stepQuantity(-1));
$('qty-plus').addEventListener('click', () => stepQuantity(+1));

function stepQuantity(delta) {
  const q = readQuantity();
  const next = Number.isInteger(q) ? q + delta : 1;
  $('qty').value = String(Math.max(1, Math.min(state.event.max_per_order, next)));
  updateOrder();
}

async function refreshEvent() {
  if (document.hidden) return;
  try {
    state.event = await state.client.getEvent(state.eventId);
    $('event-live').classList.remove('stale');
    if ($('screen-event').hidden) return;
    renderEventHead(state.event);
    renderZones(state.event, state.zoneId, selectZone);
    updateOrder();
  } catch {
    $('event-live').classList.add('stale');
  }
}

async function refreshTickets() {
  try {
    const list = await state.client.listMyReservations(state.eventId);
    if ($('screen-event').hidden) return;
    renderTickets(state.event, list);
    const held = list.find((r) => r.status === 'held' && Date.parse(r.expires_at) > Date.now());
    $('resume-notice').hidden = !held;
    $('resume-btn').onclick = held ? () => enterHold(held, false) : null;
    updateOrder();  // the SDK now knows this buyer's remaining allowance
  } catch (e) {
    if (e.code === 'unauthorized') sessionEnded();
  }
}

// ---------------------------------------------------------------- reserve

$('reserve-btn').addEventListener('click', reserve);
$('retry-cancel').addEventListener('click', () => state.reserveAbort?.abort());

async function reserve() {
  if (!updateOrder() || state.reserveAbort) return;
  const zone = currentZone();
  if (isSeated(zone)) {
    // Picked seats: a seat another buyer holds is their choice now; say so at
    // once (no waiting for it to come back) so this buyer picks another.
    const request = { eventId: state.eventId, zoneId: zone.id, seats: [...state.seats.picked] };
    return placeOrder(request, zone, $('reserve-btn'), { soldOutWaitMs: 0 });
  }
  const quantity = readQuantity();
  const request = { eventId: state.eventId, zoneId: zone.id, quantity };
  return placeOrder(request, zone, $('reserve-btn'));
}

// Holds what `request` asks for; `button` shows the progress.
async function placeOrder(request, zone, btn, extra = {}) {
  // With a waiting room, the SDK sends the pass waitForPass got by itself.

  // Same order again after an unknown outcome (lost connection, timeout):
  // reuse its key, so the server answers with the hold it may have made.
  const signature = JSON.stringify(request);
  const key = state.pendingReserve?.signature === signature ? state.pendingReserve.key
    : state.client.newIdempotencyKey();
  state.pendingReserve = { key, signature };

  const ctrl = new AbortController();
  state.reserveAbort = ctrl;
  setBusy(btn, true, 'Holding seats…');
  setMessage('event-error', '');
  setMessage('event-flash', '');
  try {
    const r = await state.client.reserve(request, {
      idempotencyKey: key, signal: ctrl.signal, onRetry: showRetry, ...extra,
    });
    state.pendingReserve = null;
    state.pass = null;  // the server consumes the pass with the reservation
    enterHold(r, true);
  } catch (e) {
    // Stopped (the SDK rejects with the signal's AbortError) or unknown outcome: keep the key.
    if (e?.name !== 'AbortError' && !['network', 'timeout', 'deadline_exceeded'].includes(e.code)) {
      state.pendingReserve = null;
    }
    reserveFailed(e, zone, request);
  } finally {
    state.reserveAbort = null;
    hideRetry();
    setBusy(btn, false);
    if (!$('screen-event').hidden) updateOrder();
  }
}

function reserveFailed(e, zone, request) {
  if (e?.name === 'AbortError') {
    setMessage('event-flash', 'Stopped. No seats were held.');
    return;
  }
  switch (e.code) {
    case 'seats_taken':
    case 'validation_seat_taken':
      for (const id of e.taken ?? []) state.seats.picked.delete(id);
      setMessage('event-error', errorText({ ...e, code: 'seats_taken' }));
      drawSeats();
      return loadSeatMap();
    case 'no_adjacent_seats':
      setMessage('event-error', errorText(e, { zone, quantity: request.quantity }));
      return loadSeatMap();
    case 'unauthorized': return sessionEnded();
    case 'queue_pass_required':
    case 'queue_pass_invalid':
      state.pass = null;
      return enterQueue();
    default:
      setMessage('event-error', errorText(e, { zone, event: state.event }));
      refreshEvent();
  }
}

function showRetry(info) {
  setText('retry-text', retryText(info));
  $('retry-banner').hidden = false;
  const bar = $('retry-progress');
  bar.style.transition = 'none';
  bar.style.width = '0';
  void bar.offsetWidth;  // restart the transition
  bar.style.transition = `width ${info.delayMs}ms linear`;
  bar.style.width = '100%';
}

function hideRetry() {
  $('retry-banner').hidden = true;
}

// ---------------------------------------------------------------- waiting room

async function enterQueue() {
  stopTimers();
  setText('queue-event-name', state.event.name);
  setText('queue-position', '…');
  setText('queue-text', 'Keep this page open. When it is your turn, the sale opens for you automatically.');
  setMessage('queue-error', '');
  $('queue-leave').textContent = 'Leave the line';
  showScreen('queue');
  const ctrl = new AbortController();
  state.queueAbort = ctrl;
  try {
    // Joins, then asks again as the server says (with jitter), retrying
    // blips, until the pass comes; the SDK then sends it with the reserve.
    const r = await state.client.waitForPass(state.eventId, {
      signal: ctrl.signal,
      onPosition: (q) => {
        setText('queue-position', `#${q.position}`);
        setText('queue-text', q.position <= 1
          ? "You're next. Keep this page open."
          : `${q.position - 1} ${q.position - 1 === 1 ? 'person is' : 'people are'} ahead of you. Keep this page open.`);
      },
    });
    state.pass = r.status === 'admitted' ? r : null;  // "not_required": the room was turned off
    state.queueAbort = null;
    state.event = await state.client.getEvent(state.eventId).catch(() => state.event);
    showEvent();
  } catch (e) {
    state.queueAbort = null;
    if (e.code === 'unauthorized') return sessionEnded();
    if (e?.name === 'AbortError') return;
    setMessage('queue-error', errorText(e));
    $('queue-leave').textContent = 'Try again';
  }
}

$('queue-leave').addEventListener('click', async () => {
  if (state.queueAbort) {
    state.queueAbort.abort();
    state.queueAbort = null;
    await state.client.leaveQueue(state.eventId).catch(() => {});
    setText('queue-position', '—');
    setText('queue-text', 'You left the line.');
    $('queue-leave').textContent = 'Rejoin the line';
  } else {
    enterQueue();
  }
});

// ---------------------------------------------------------------- hold

// Client clocks drift; when this reservation was just made, its created_at
// tells us how far off the local clock is.
let clockSkewMs = 0;

function enterHold(r, fresh) {
  stopTimers();
  if (fresh && r.created_at) {
    const skew = Date.parse(r.created_at) - Date.now();
    clockSkewMs = Math.abs(skew) > 2000 ? skew : 0;
  }
  state.hold = r;
  state.seats.picked = new Set();  // held now; a later order starts afresh
  state.confirmKey = state.client.newIdempotencyKey();
  const ttl = Date.parse(r.expires_at) - Date.parse(r.created_at);
  state.holdTotalMs = ttl > 0 ? ttl : (state.event?.hold_ttl_s ?? 600) * 1000;
  const zone = state.event?.zones.find((z) => z.id === r.zone_id);
  renderSummary($('hold-summary'), state.event, zone, r);
  showHoldSeats(r);
  setMessage('hold-error', '');
  $('hold-retry').hidden = true;
  $('confirm-btn').disabled = false;
  $('release-btn').disabled = false;
  showScreen('hold');
  tickHold();
  state.timers.countdown = setInterval(tickHold, 250);
}

function holdRemainingMs() {
  return Date.parse(state.hold.expires_at) - (Date.now() + clockSkewMs);
}

function tickHold() {
  if (!state.hold) return;
  const left = holdRemainingMs();
  renderCountdown(left, state.holdTotalMs);
  if (left <= 0) holdExpired();
}

function holdExpired(message) {
  stopTimers();
  setText('expired-text', message ?? 'Time ran out before payment, so the seats went back on sale for others.');
  showScreen('expired');
}

$('confirm-btn').addEventListener('click', async () => {
  const r = state.hold;
  const btn = $('confirm-btn');
  setBusy(btn, true, 'Confirming…');
  $('release-btn').disabled = true;
  setMessage('hold-error', '');
  try {
    const done = await state.client.confirm(r.id, { paymentRef: `demo-${state.confirmKey.slice(0, 8)}` }, {
      idempotencyKey: state.confirmKey,
      onRetry: (info) => {
        setText('hold-retry-text', retryText(info));
        $('hold-retry').hidden = false;
      },
    });
    showConfirmed(done);
  } catch (e) {
    if (e.code === 'unauthorized') return sessionEnded();
    if (e.code === 'reservation_expired') return holdExpired(errorText(e));
    if (e.code === 'already_confirmed') {
      const now = await state.client.getReservation(r.id).catch(() => null);
      if (now?.status === 'confirmed') return showConfirmed(now);
    }
    if (e.code === 'reservation_released' || e.code === 'reservation_not_found') {
      return showEvent(errorText(e));
    }
    setMessage('hold-error', errorText(e));
  } finally {
    $('hold-retry').hidden = true;
    setBusy(btn, false);
    $('release-btn').disabled = false;
  }
});

$('release-btn').addEventListener('click', async () => {
  const btn = $('release-btn');
  setBusy(btn, true, 'Releasing…');
  $('confirm-btn').disabled = true;
  try {
    await state.client.release(state.hold.id);
    stopTimers();  // the countdown must not tick on a hold that is gone
    state.hold = null;
    state.event = await state.client.getEvent(state.eventId).catch(() => state.event);
    showEvent('Released. Those seats are back on sale.');
  } catch (e) {
    if (e.code === 'unauthorized') return sessionEnded();
    if (e.code === 'reservation_expired') return holdExpired();
    setMessage('hold-error', errorText(e));
  } finally {
    setBusy(btn, false);
    $('confirm-btn').disabled = false;
  }
});

$('expired-restart').addEventListener('click', () => openEvent());

// ---------------------------------------------------------------- confirmed

function showConfirmed(r) {
  stopTimers();
  state.hold = null;
  const zone = state.event?.zones.find((z) => z.id === r.zone_id);
  renderTicket(state.event, zone, r);
  showScreen('confirmed');
}

$('confirmed-again').addEventListener('click', () => openEvent());

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && !$('screen-event').hidden) refreshEvent();
  if (!document.hidden && !$('screen-hold').hidden) tickHold();
});

// ---------------------------------------------------------------- seated zones

const SEAT_POLL_MS = 3000;

function isSeated(zone) {
  return zone?.kind === 'seated';
}

// Shows the seat map for a seated zone (and the count for a general one);
// keeps the map fresh: on every availability change, and by polling with
// the map's ETag (an unchanged map costs the server one read, no transfer).
function syncSeatPicker() {
  const zone = currentZone();
  const seated = isSeated(zone);
  $('seat-picker').hidden = !seated;
  $('qty-row').hidden = seated;
  if (!seated) {
    clearInterval(state.timers.seats);
    state.timers.seats = 0;
    return;
  }
  if (state.seats.zoneId !== zone.id) {
    state.seats = { zoneId: zone.id, map: null, picked: new Set(), view: null };
    $('seatmap').replaceChildren();
  }
  loadSeatMap();
  if (!state.timers.seats) state.timers.seats = setInterval(loadSeatMap, SEAT_POLL_MS);
}

async function loadSeatMap() {
  const zoneId = state.seats.zoneId;
  if (!zoneId || !isSeated(currentZone()) || $('screen-event').hidden || document.hidden) return;
  try {
    const map = await state.client.getSeatMap(state.eventId, zoneId);
    if (zoneId !== state.seats.zoneId) return;
    $('event-live').classList.remove('stale');
    if (map.not_modified && state.seats.map) return;
    state.seats.map = map;
    // Seats this buyer picked that someone else took meanwhile.
    const lost = [...state.seats.picked].filter((id) => seatState(map, id) !== 'a');
    for (const id of lost) state.seats.picked.delete(id);
    if (lost.length) {
      setMessage('event-error', errorText({ code: 'seats_taken', taken: lost }));
    }
    drawSeats();
  } catch (e) {
    if (e.code === 'unauthorized') return sessionEnded();
    $('event-live').classList.add('stale');
  }
}

function seatState(map, id) {
  const dash = id.lastIndexOf('-');
  const row = map.rows.find((r) => r.id === id.slice(0, dash));
  return row?.states[Number(id.slice(dash + 1)) - 1];
}

function drawSeats() {
  const { map, picked } = state.seats;
  if (!map || !isSeated(currentZone())) return;
  if (!state.seats.view) {
    const host = document.createElement('div');
    $('seatmap').replaceChildren(host);
    state.seats.view = mountSeatMap(host, map, {
      picked, onToggle: toggleSeat, title: `Seats of ${currentZone().name}, stage at the top`,
    });
  } else {
    state.seats.view.update(map, { picked });
  }
  updateOrder();
}

function toggleSeat(id) {
  const picked = state.seats.picked;
  if (picked.has(id)) picked.delete(id);
  else picked.add(id);
  setMessage('event-error', '');
  drawSeats();
}

// A seat's price: its category's when it has one, else the zone's.
function seatPrice(zone, map, id) {
  for (const [cat, ids] of Object.entries(map?.categories ?? {})) {
    if (ids.includes(id) && map.category_prices?.[cat] != null) return map.category_prices[cat];
  }
  return zone.price;
}

// The seated order: the picked seats, checked by the SDK against the last
// seat map (unknown, duplicate, taken) and the event's limits.
function updateSeatOrder(zone) {
  const ids = [...state.seats.picked];
  setText('seat-picked', ids.length
    ? `Your seats: ${seatsText(ids)} (${plural(ids.length, 'seat', 'seats')})`
    : 'No seats chosen yet.');
  let problem = null;
  if (ids.length) {
    const err = state.client.validate({ eventId: state.eventId, zoneId: zone.id, seats: ids });
    if (err) problem = err.message;
  }
  const total = ids.reduce((sum, id) => sum + seatPrice(zone, state.seats.map, id), 0);
  setText('order-total', ids.length && !problem ? formatMoney(total, state.event.currency) : '—');
  setMessage('qty-error', problem);
  const selling = state.event.status === 'on_sale';
  if (!state.reserveAbort) {
    $('reserve-btn').disabled = !!problem || !ids.length || !selling;
    $('best-btn').disabled = !selling;
  }
  $('best-qty').max = String(state.event.max_per_order);
  return !problem && ids.length > 0;
}

$('best-btn').addEventListener('click', () => {
  const zone = currentZone();
  if (!isSeated(zone) || state.reserveAbort) return;
  const quantity = Number($('best-qty').value);
  const request = { eventId: state.eventId, zoneId: zone.id, quantity, bestAvailable: true };
  const err = state.client.validate(request);
  if (err) {
    setMessage('event-error', err.message);
    return;
  }
  placeOrder(request, zone, $('best-btn'));
});

for (const item of legendItems()) {
  const li = document.createElement('li');
  li.innerHTML = item.svg;
  li.append(item.name);
  $('seat-legend').append(li);
}

// The hold's seats on the zone's map, drawn as the buyer's.
async function showHoldSeats(r) {
  const box = $('hold-seatmap');
  box.hidden = true;
  box.replaceChildren();
  if (!r.seats?.length) return;
  try {
    const map = await state.client.getSeatMap(r.event_id, r.zone_id);
    if (state.hold?.id !== r.id) return;
    const host = document.createElement('div');
    box.replaceChildren(host);
    mountSeatMap(host, map, {
      mine: new Set(r.seats), readOnly: true, title: `Your seats: ${seatList(r.seats)}`,
    });
    box.hidden = false;
  } catch {
    // The summary lists the seats; the picture is a bonus.
  }
}

boot();
