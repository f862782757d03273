// DOM rendering: takes data, updates elements. No SDK calls, no timers.

import { formatMoney, formatCount, formatClock, formatTime, plural } from './format.js';

export const $ = (id) => document.getElementById(id);

const SCREENS = ['loading', 'fatal', 'login', 'queue', 'event', 'hold', 'expired', 'confirmed'];

export function showScreen(name) {
  for (const s of SCREENS) $(`screen-${s}`).hidden = s !== name;
  document.body.dataset.screen = name;
  window.scrollTo({ top: 0 });
}

export function setText(id, text) {
  const el = $(id);
  el.textContent = text ?? '';
  return el;
}

// Show a message element, or hide it when text is empty.
export function setMessage(id, text) {
  const el = $(id);
  el.textContent = text ?? '';
  el.hidden = !text;
  return el;
}

export function setBusy(button, busy, busyLabel) {
  if (busy) {
    button.dataset.label ??= button.textContent;
    button.textContent = busyLabel;
    button.classList.add('busy');
  } else if (button.dataset.label) {
    button.textContent = button.dataset.label;
    delete button.dataset.label;
    button.classList.remove('busy');
  }
  button.disabled = busy;
}

export function renderUser(session) {
  $('user-chip').hidden = !session;
  if (!session) return;
  setText('user-name', session.user);
  setText('user-avatar', session.user.slice(0, 1).toUpperCase());
}

const STATUS_LABEL = { on_sale: 'On sale', paused: 'Paused', closed: 'Closed' };

export function renderEventHead(event) {
  setText('event-name', event.name);
  const pill = setText('event-status', STATUS_LABEL[event.status] ?? event.status);
  pill.className = `pill ${event.status === 'on_sale' ? '' : event.status}`;
  setText('event-rules',
    `Up to ${plural(event.max_per_order, 'ticket', 'tickets')} per order, ` +
    `${plural(event.max_per_user, 'ticket', 'tickets')} per person. ` +
    `Seats are held for ${formatHoldTime(event.hold_ttl_s)} while you pay.`);
  document.title = `${event.name} — seatgate`;
}

function formatHoldTime(s) {
  if (s % 60 === 0 && s >= 60) return plural(s / 60, 'minute', 'minutes');
  return plural(s, 'second', 'seconds');
}

// Zones are updated in place so a refresh never steals focus or selection.
export function renderZones(event, selectedId, onSelect) {
  const list = $('zone-list');
  const seen = new Set();
  for (const zone of event.zones) {
    seen.add(zone.id);
    let label = list.querySelector(`label[data-zone="${CSS.escape(zone.id)}"]`);
    if (!label) {
      label = document.createElement('label');
      label.className = 'zone';
      label.dataset.zone = zone.id;
      label.dataset.testid = `zone-${zone.id}`;
      label.innerHTML =
        '<input type="radio" name="zone">' +
        '<span class="zone-name"></span><span class="zone-price"></span>' +
        '<span class="zone-meta"><span class="meter"><i></i></span><span class="zone-available"></span></span>';
      const input = label.querySelector('input');
      input.value = zone.id;
      input.addEventListener('change', () => onSelect(zone.id));
      label.querySelector('.zone-available').dataset.testid = `zone-available-${zone.id}`;
      list.append(label);
    }
    const available = zone.available ?? 0;
    const ratio = zone.capacity > 0 ? available / zone.capacity : 0;
    const level = available === 0 ? 'none' : ratio <= 0.1 ? 'low' : '';
    label.classList.toggle('soldout', available === 0);
    label.querySelector('input').checked = zone.id === selectedId;
    label.querySelector('.zone-name').textContent = zone.name;
    label.querySelector('.zone-price').textContent = formatMoney(zone.price, event.currency);
    const meter = label.querySelector('.meter');
    meter.className = `meter ${level}`;
    meter.firstElementChild.style.width = `${Math.round(ratio * 100)}%`;
    const avail = label.querySelector('.zone-available');
    avail.className = `zone-available ${level}`;
    avail.textContent = available === 0 ? 'Sold out'
      : level === 'low' ? `Only ${formatCount(available)} left` : `${formatCount(available)} left`;
  }
  for (const label of list.querySelectorAll('label[data-zone]')) {
    if (!seen.has(label.dataset.zone)) label.remove();
  }
}

export function renderTotal(event, zone, quantity) {
  const ok = zone && Number.isInteger(quantity) && quantity > 0;
  setText('order-total', ok ? formatMoney(zone.price * quantity, event.currency) : '—');
}

export function renderSummary(dl, event, zone, reservation) {
  const rows = [
    ['Event', event?.name ?? reservation.event_id],
    ['Zone', zone?.name ?? reservation.zone_id],
    ['Tickets', formatCount(reservation.quantity)],
  ];
  if (reservation.seats?.length) rows.push(['Seats', seatsText(reservation.seats)]);
  if (zone) rows.push(['Price each', formatMoney(zone.price, reservation.currency)]);
  rows.push(['Total', formatMoney(reservation.amount, reservation.currency)]);
  dl.replaceChildren();
  for (const [k, v] of rows) {
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    dt.textContent = k;
    dd.textContent = v;
    if (k === 'Total') dd.className = 'total';
    dl.append(dt, dd);
  }
}

const RING = 2 * Math.PI * 52;

export function renderCountdown(remainingMs, totalMs) {
  setText('hold-countdown', formatClock(remainingMs));
  const frac = totalMs > 0 ? Math.min(1, Math.max(0, remainingMs / totalMs)) : 0;
  $('hold-ring').style.strokeDashoffset = String(RING * (1 - frac));
  $('hold-timer').classList.toggle('urgent', remainingMs <= Math.min(60_000, totalMs * 0.25));
}

const TAG = { held: 'On hold', confirmed: 'Confirmed', released: 'Released', expired: 'Expired' };

export function renderTickets(event, reservations) {
  const shown = reservations.filter((r) => r.status === 'held' || r.status === 'confirmed');
  $('my-tickets').hidden = shown.length === 0;
  const ul = $('my-tickets-list');
  ul.replaceChildren();
  for (const r of shown) {
    const zone = event.zones.find((z) => z.id === r.zone_id);
    const li = document.createElement('li');
    li.dataset.testid = `ticket-${r.status}`;
    const what = document.createElement('span');
    what.textContent = `${plural(r.quantity, 'ticket', 'tickets')} · ${zone?.name ?? r.zone_id}` +
      (r.seats?.length ? ` · ${seatsText(r.seats)}` : '');
    const tag = document.createElement('span');
    tag.className = `tag ${r.status}`;
    tag.textContent = r.status === 'held' && r.expires_at ? `${TAG.held} until ${formatTime(r.expires_at)}` : TAG[r.status];
    li.append(what, tag);
    ul.append(li);
  }
}

export function renderTicket(event, zone, r) {
  setText('ticket-event', event?.name ?? r.event_id);
  setText('ticket-zone', zone?.name ?? r.zone_id);
  setText('ticket-qty', plural(r.quantity, 'ticket', 'tickets') +
    (r.seats?.length ? ` · ${seatsText(r.seats)}` : ''));
  setText('ticket-amount', formatMoney(r.amount, r.currency));
  setText('confirmed-id', r.id);
}

// "Row A: 12, 13 · Row B: 4" (seats grouped by row, in the given order).
export function seatsText(ids) {
  const rows = new Map();
  for (const id of ids) {
    const dash = id.lastIndexOf('-');
    const row = id.slice(0, dash);
    if (!rows.has(row)) rows.set(row, []);
    rows.get(row).push(id.slice(dash + 1));
  }
  return [...rows].map(([row, nums]) => `Row ${row}: ${nums.join(', ')}`).join(' · ');
}
