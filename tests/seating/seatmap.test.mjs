// web-demo/js/seatmap.js under Node: the model's positions, aisles and
// states, and the SVG's shapes, labels and buttons (pure parts; no DOM).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { seatMapModel, seatMapSvg, STATES } from '../../web-demo/js/seatmap.js';

const map = {
  event_id: 'gala', zone_id: 'stalls', available: 7,
  rows: [{ id: 'A', seats: 6, aisles_after: [3], states: 'uaaaha' },
         { id: 'B', seats: 4, aisles_after: [], states: 'asaa' }],
  unavailable: ['A-1'], categories: { wheelchair: ['B-1', 'B-2'] }, category_prices: {},
};

test('model: one seat per letter, rows front first, aisles as wider gaps', () => {
  const m = seatMapModel(map);
  assert.equal(m.seats.length, 10);
  const a = m.seats.filter((s) => s.row === 'A');
  assert.deepEqual(a.map((s) => s.state), ['u', 'a', 'a', 'a', 'h', 'a']);
  const gap = (i) => a[i + 1].x - a[i].x;
  assert.equal(gap(0), gap(1));
  assert.ok(gap(2) > gap(1), 'the aisle after seat 3 is wider');
  assert.ok(m.seats.find((s) => s.id === 'B-1').y > a[0].y, 'row B behind row A');
  assert.equal(m.seats.find((s) => s.id === 'B-1').category, 'wheelchair');
});

test('model: a picked seat shows as picked only while it is available', () => {
  const m = seatMapModel(map, new Set(['A-2', 'A-5']));
  assert.equal(m.seats.find((s) => s.id === 'A-2').state, 'picked');
  assert.equal(m.seats.find((s) => s.id === 'A-5').state, 'h');
});

test('svg: each state has its own shape and a label naming it', () => {
  const svg = seatMapSvg(map, { picked: new Set(['B-3']) });
  const shapes = new Set(Object.values(STATES).map((s) => s.shape));
  assert.equal(shapes.size, Object.keys(STATES).length, 'no two states share a shape');
  assert.match(svg, /aria-label="Row A seat 1, unavailable"/);
  assert.match(svg, /aria-label="Row A seat 5, held"/);
  assert.match(svg, /aria-label="Row B seat 2, sold, wheelchair"/);
  assert.match(svg, /aria-label="Row B seat 3, selected" aria-pressed="true"|aria-pressed="true" aria-label="Row B seat 3, selected"/);
  // Only available and picked seats are buttons; exactly one is tabbable.
  assert.equal((svg.match(/role="button"/g) ?? []).length, 7);
  assert.equal((svg.match(/tabindex="0"/g) ?? []).length, 1);
  assert.match(svg, /data-seat="A-2" role="button" tabindex="0"/);
  assert.match(svg, /viewBox="0 0 \d+ 56"/);
});

test('svg: ids and titles are escaped', () => {
  const odd = { ...map, rows: [{ id: '<b>', seats: 1, states: 'a' }], categories: {} };
  const svg = seatMapSvg(odd, { title: 'a"b' });
  assert.ok(!svg.includes('<b>'));
  assert.match(svg, /aria-label="a&#34;b"/);
});

test('model and svg: the buyer\'s own seats are drawn as theirs; a read-only map has no buttons', () => {
  const m = seatMapModel(map, new Set(), new Set(['A-5', 'B-3']));
  assert.equal(m.seats.find((s) => s.id === 'A-5').state, 'mine');
  assert.equal(m.seats.find((s) => s.id === 'B-3').state, 'mine');
  const svg = seatMapSvg(map, { mine: new Set(['A-5']), readOnly: true });
  assert.match(svg, /data-state="yours"[^>]*aria-label="Row A seat 5, yours"/);
  assert.equal((svg.match(/role="button"/g) ?? []).length, 0);
  assert.equal((svg.match(/data-state="available"/g) ?? []).length, 7);
});

test('legend: one entry per state, each with its own shape', async () => {
  const { legendItems } = await import('../../web-demo/js/seatmap.js');
  const items = legendItems();
  assert.deepEqual(items.map((i) => i.name), ['available', 'held', 'sold', 'unavailable', 'selected', 'yours']);
  assert.equal(new Set(items.map((i) => i.svg)).size, items.length);
});
