// A seat map as SVG (docs/seating.md): draws the response of
// GET /v1/events/{id}/zones/{zone}/seats, rows front first, aisles as gaps,
// each state in its own colour AND shape (colour-blind buyers), and lets the
// buyer pick available seats by click, tap or keyboard. Standalone: no SDK
// calls, no timers. seatMapModel and seatMapSvg are pure (tested under Node);
// mountSeatMap wires one into the page.

const PITCH = 28; // px between seat centres
const AISLE = 14; // extra px for an aisle
const LABEL = 32; // px for the row labels on the left
const R = 10; // seat radius

export const STATES = {
  a: { name: 'available', shape: 'circle', colour: '#2e7d32' },
  h: { name: 'held', shape: 'diamond', colour: '#f9a825' },
  s: { name: 'sold', shape: 'square', colour: '#616161' },
  u: { name: 'unavailable', shape: 'cross', colour: '#9e9e9e' },
  picked: { name: 'selected', shape: 'check', colour: '#1565c0' },
  mine: { name: 'yours', shape: 'star', colour: '#6a1b9a' },
};

// Seats with positions: [{id, row, number, state, x, y, category}], plus the
// drawing's size. `picked` is a Set of seat ids chosen by this buyer;
// `mine` a Set of seat ids this buyer holds (drawn as theirs, whatever the
// map's letter).
export function seatMapModel(map, picked = new Set(), mine = new Set()) {
  const category = new Map();
  for (const [name, ids] of Object.entries(map.categories ?? {})) {
    for (const id of ids) category.set(id, name);
  }
  const seats = [];
  let width = 0;
  map.rows.forEach((row, r) => {
    const aisles = new Set(row.aisles_after ?? []);
    let x = LABEL + PITCH / 2;
    for (let n = 1; n <= row.seats; n++) {
      const id = `${row.id}-${n}`;
      const letter = row.states?.[n - 1] ?? 'u';
      const state = mine.has(id) ? 'mine' : picked.has(id) && letter === 'a' ? 'picked' : letter;
      seats.push({ id, row: row.id, number: n, state, x, y: PITCH / 2 + r * PITCH,
                   category: category.get(id) ?? null });
      x += PITCH + (aisles.has(n) ? AISLE : 0);
    }
    width = Math.max(width, x - PITCH / 2);
  });
  return { seats, width, height: map.rows.length * PITCH };
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function shape(kind, x, y, colour) {
  switch (kind) {
    case 'circle':
      return `<circle cx="${x}" cy="${y}" r="${R}" fill="${colour}"/>`;
    case 'diamond':
      return `<path d="M${x} ${y - R}L${x + R} ${y}L${x} ${y + R}L${x - R} ${y}Z" fill="${colour}"/>`;
    case 'square':
      return `<rect x="${x - R + 1}" y="${y - R + 1}" width="${2 * R - 2}" height="${2 * R - 2}" fill="${colour}"/>`;
    case 'cross':
      return `<path d="M${x - 6} ${y - 6}L${x + 6} ${y + 6}M${x + 6} ${y - 6}L${x - 6} ${y + 6}" stroke="${colour}" stroke-width="3"/>`;
    case 'star': {
      const pts = [];
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const r = i % 2 ? R * 0.45 : R + 1;
        pts.push(`${(x + r * Math.cos(a)).toFixed(1)} ${(y + r * Math.sin(a)).toFixed(1)}`);
      }
      return `<path d="M${pts.join('L')}Z" fill="${colour}"/>`;
    }
    default: // check: a ring with a tick
      return `<circle cx="${x}" cy="${y}" r="${R}" fill="${colour}"/>` +
        `<path d="M${x - 5} ${y}L${x - 1} ${y + 4}L${x + 6} ${y - 4}" stroke="#fff" stroke-width="3" fill="none"/>`;
  }
}

// The SVG text. Available and picked seats are buttons (role, label,
// aria-pressed); one of them is in the tab order (roving tabindex: `focusId`,
// else the first). `readOnly`: no buttons (the hold's map of the buyer's seats).
export function seatMapSvg(map, { picked = new Set(), mine = new Set(), focusId = null, title = 'Seat map',
  readOnly = false } = {}) {
  const m = seatMapModel(map, picked, mine);
  const pickable = readOnly ? [] : m.seats.filter((s) => s.state === 'a' || s.state === 'picked');
  const focus = pickable.some((s) => s.id === focusId) ? focusId : pickable[0]?.id;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="seatmap" viewBox="0 0 ${m.width} ${m.height}"` +
      ` width="100%" style="min-width:${Math.ceil(m.width * 0.8)}px" role="group" aria-label="${escape(title)}">`,
  ];
  map.rows.forEach((row, r) => {
    parts.push(`<text x="4" y="${PITCH / 2 + r * PITCH + 5}" font-size="14" aria-hidden="true">${escape(row.id)}</text>`);
  });
  for (const s of m.seats) {
    const st = STATES[s.state];
    const label = `Row ${s.row} seat ${s.number}, ${st.name}${s.category ? `, ${s.category}` : ''}`;
    const button = !readOnly && (s.state === 'a' || s.state === 'picked');
    const attrs = button
      ? ` role="button" tabindex="${s.id === focus ? 0 : -1}" aria-pressed="${s.state === 'picked'}"`
      : ' role="img"';
    parts.push(`<g data-state="${st.name}" class="seat seat-${st.name}" data-seat="${escape(s.id)}"${attrs} aria-label="${escape(label)}">` +
      `<title>${escape(label)}</title>${shape(st.shape, s.x, s.y, st.colour)}</g>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

// A legend of every state's colour and shape, as SVG text per entry.
export function legendItems() {
  return Object.values(STATES).map((st) => ({
    name: st.name,
    svg: `<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">${shape(st.shape, 12, 12, st.colour)}</svg>`,
  }));
}

// Draws `map` into `container` and calls onToggle(seatId) when the buyer
// picks or drops an available seat (click, tap, Enter or Space). Arrow keys
// move between pickable seats: left/right along the row order, up/down to
// the nearest pickable seat of the row in front or behind. Returns
// {update(map, {picked, mine})}. `readOnly`: drawn only (no buttons).
export function mountSeatMap(container, map, { picked = new Set(), mine = new Set(), onToggle, title,
  readOnly = false } = {}) {
  let state = { map, picked, mine, focusId: null };
  const draw = (keepFocus) => {
    container.innerHTML = seatMapSvg(state.map, {
      picked: state.picked, mine: state.mine, focusId: state.focusId, title, readOnly,
    });
    if (keepFocus && state.focusId) container.querySelector(`[data-seat="${state.focusId}"]`)?.focus();
  };
  const pickable = () => seatMapModel(state.map, state.picked, state.mine).seats
    .filter((s) => s.state === 'a' || s.state === 'picked');
  const nextId = (id, key) => {
    const seats = pickable();
    const i = seats.findIndex((s) => s.id === id);
    if (i < 0) return null;
    if (key === 'ArrowRight') return seats[i + 1]?.id ?? null;
    if (key === 'ArrowLeft') return seats[i - 1]?.id ?? null;
    const here = seats[i];
    const rows = [...new Set(seats.map((s) => s.y))].sort((a, b) => a - b);
    const y = rows[rows.indexOf(here.y) + (key === 'ArrowDown' ? 1 : -1)];
    if (y === undefined) return null;
    let best = null;
    for (const s of seats) {
      if (s.y === y && (!best || Math.abs(s.x - here.x) < Math.abs(best.x - here.x))) best = s;
    }
    return best?.id ?? null;
  };
  const toggle = (id) => {
    state.focusId = id;
    onToggle?.(id);
  };
  if (!readOnly) {
    // Focus that arrives by Tab or a screen reader stays on that seat across redraws.
    container.addEventListener('focusin', (e) => {
      const g = e.target.closest?.('[role="button"][data-seat]');
      if (g) state.focusId = g.dataset.seat;
    });
    container.addEventListener('click', (e) => {
      const g = e.target.closest('[role="button"][data-seat]');
      if (g) toggle(g.dataset.seat);
    });
    container.addEventListener('keydown', (e) => {
      const g = e.target.closest('[role="button"][data-seat]');
      if (!g) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        toggle(g.dataset.seat);
        return;
      }
      if (!['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown'].includes(e.key)) return;
      e.preventDefault();
      const next = nextId(g.dataset.seat, e.key);
      if (next) {
        state.focusId = next;
        draw(true);
      }
    });
  }
  draw(false);
  return {
    update(newMap, { picked: p = state.picked, mine: m = state.mine } = {}) {
      const hadFocus = container.contains(document.activeElement);
      state = { ...state, map: newMap, picked: p, mine: m };
      draw(hadFocus);
    },
  };
}
