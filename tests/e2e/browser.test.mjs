// The demo checkout site in headless Chromium against a real seatgate-server
// (demo mode, embedded Redis), driven with playwright-core.
//
//   node --test --test-concurrency=1 tests/e2e/browser.test.mjs
//
// Needs: npm ci (playwright-core), scripts/build-wasm.sh (web-demo/sdk/),
// a built seatgate-server (build/server/ or SEATGATE_SERVER_BIN), and
// Debian's chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
// Screenshots go to test-artifacts/e2e/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, sdkDir } from './support/fake.mjs';
import { launchChromium } from './support/chromium.mjs';
import { startServer } from './support/server.mjs';

const artifacts = process.env.SEATGATE_ARTIFACTS_DIR ?? path.join(repoRoot, 'test-artifacts/e2e');
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const run = Date.now().toString(36);

let server;
let browser;
const pageErrors = [];

before(async () => {
  for (const f of ['seatgate.mjs', 'seatgate.wasm']) {
    if (!fs.existsSync(path.join(sdkDir, f))) throw new Error(`${sdkDir}/${f} missing: run scripts/build-wasm.sh`);
  }
  fs.mkdirSync(artifacts, { recursive: true });
  server = await startServer({ logFile: path.join(artifacts, 'server.log') });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true, animations: 'disabled' });
}

// A buyer: a fresh browser context (own storage), logged in on the event page.
async function buyer(name, eventId, { install } = {}) {
  const context = await browser.newContext({ ...PHONE, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
  if (install) await install(page);
  await page.goto(`${server.baseUrl}/?event=${eventId}`);
  await page.getByTestId('login-user').fill(name);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('screen-event').waitFor();
  await assertText(page, 'user-name', name);
  return { context, page };
}

async function assertText(page, testId, expected, timeout = 5000) {
  const el = page.getByTestId(testId);
  await el.waitFor({ timeout });
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = (await el.textContent()) ?? '';
    if (expected instanceof RegExp ? expected.test(text) : text.includes(expected)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${testId}: ${JSON.stringify(text)} does not match ${expected}`);
}

async function order(page, zoneId, quantity) {
  await page.getByTestId(`zone-${zoneId}`).click();
  await page.getByTestId('qty-input').fill(String(quantity));
}

// Runs a test body with its contexts closed and a screenshot of every open
// page kept when it fails.
async function scenario(name, body) {
  const contexts = [];
  const track = async (p) => {
    const b = await p;
    contexts.push(b);
    return b;
  };
  const before = pageErrors.length;
  try {
    await body(track);
    assert.deepEqual(pageErrors.slice(before), [], 'no uncaught errors in the page');
  } catch (e) {
    for (const [i, { page }] of contexts.entries()) await shot(page, `${name}-FAILED-${i}`).catch(() => {});
    throw e;
  } finally {
    for (const { context } of contexts) await context.close().catch(() => {});
  }
}

test('a full checkout: login, pick seats, hold, confirm', { timeout: 90_000 }, async () => {
  await scenario('checkout', async (track) => {
    const ev = await (await fetch(`${server.baseUrl}/v1/events/demo-arena`)).json();
    const zone = ev.zones.find((z) => z.price > 0 && z.available >= 2);
    const { page } = await track(buyer(`alice-${run}`, 'demo-arena'));

    await assertText(page, 'event-name', ev.name);
    const money = (minor) => new Intl.NumberFormat('en-US', { style: 'currency', currency: ev.currency }).format(minor / 100);
    await assertText(page, `zone-${zone.id}`, money(zone.price));
    await assertText(page, `zone-available-${zone.id}`, /\d+ left/);
    await order(page, zone.id, 2);
    await assertText(page, 'order-total', money(zone.price * 2));
    await shot(page, 'checkout-1-event');

    await page.getByTestId('reserve').click();
    await page.getByTestId('screen-hold').waitFor();
    const clock = await assertText(page, 'hold-countdown', /^\d+:\d\d$/);
    const [m, s] = clock.split(':').map(Number);
    assert.ok(m * 60 + s <= ev.hold_ttl_s && m * 60 + s >= ev.hold_ttl_s - 30, `countdown ${clock}`);
    await assertText(page, 'hold-summary', money(zone.price * 2));
    await shot(page, 'checkout-2-hold');

    await page.getByTestId('confirm').click();
    await page.getByTestId('screen-confirmed').waitFor();
    await assertText(page, 'ticket-amount', money(zone.price * 2));
    const id = await assertText(page, 'confirmed-id', /^demo-arena\.[A-Za-z0-9_-]{22}$/);
    await shot(page, 'checkout-3-confirmed');

    const audit = await server.audit('demo-arena');
    assert.equal(audit.consistent, true);
    assert.ok(audit.zones.find((z) => z.id === zone.id).sold >= 2);

    await page.getByTestId('confirmed-again').click();
    await page.getByTestId('screen-event').waitFor();
    await page.getByTestId('ticket-confirmed').first().waitFor();
    assert.ok(id);
  });
});

test('the SDK refuses a quantity above the maximum and says why', { timeout: 60_000 }, async () => {
  await scenario('validation', async (track) => {
    const ev = await (await fetch(`${server.baseUrl}/v1/events/demo-arena`)).json();
    const { page } = await track(buyer(`dave-${run}`, 'demo-arena'));
    const zone = ev.zones.find((z) => z.available > ev.max_per_order) ?? ev.zones[0];
    await order(page, zone.id, ev.max_per_order + 1);
    await assertText(page, 'qty-error',
      `At most ${ev.max_per_order} tickets can be bought in one order; you asked for ${ev.max_per_order + 1}.`);
    assert.equal(await page.getByTestId('reserve').isDisabled(), true);
    assert.equal(await page.getByTestId('qty-input').getAttribute('aria-invalid'), 'true');
    await shot(page, 'validation-above-max');

    await page.getByTestId('qty-input').fill('0');
    await assertText(page, 'qty-error', 'whole number from 1 to 100');
    await page.getByTestId('qty-input').fill(String(ev.max_per_order));
    await page.getByTestId('qty-error').waitFor({ state: 'hidden' });
    assert.equal(await page.getByTestId('reserve').isDisabled(), false);
    assert.equal(await page.getByTestId('qty-plus').isDisabled(), true, 'the stepper stops at the maximum');
  });
});

test('two buyers race for the last seats: one wins, the other waits and wins after the release', { timeout: 120_000 }, async () => {
  const eventId = `race-${run}`;
  await server.putEvent(eventId, {
    name: 'Last Two Seats', currency: 'EUR', status: 'on_sale', hold_ttl_s: 600, max_per_order: 2, max_per_user: 4,
    zones: [{ id: 'pit', name: 'Front pit', capacity: 2, price: 9900 }], waiting_room: { enabled: false },
  });
  await scenario('race', async (track) => {
    const a = await track(buyer(`ana-${run}`, eventId));
    const b = await track(buyer(`ben-${run}`, eventId));
    for (const { page } of [a, b]) await order(page, 'pit', 2);

    await Promise.all([a.page.getByTestId('reserve').click(), b.page.getByTestId('reserve').click()]);
    const held = (p) => p.getByTestId('screen-hold').waitFor({ timeout: 20_000 }).then(() => p);
    const winnerPage = await Promise.race([held(a.page), held(b.page)]);
    const [winner, loser] = winnerPage === a.page ? [a, b] : [b, a];

    // The loser sees why it waits, in words.
    await assertText(loser.page, 'retry-text', /^Held by others — retrying in \d+\.\d s, attempt [2-5] of 5$/);
    assert.equal(await loser.page.getByTestId('screen-hold').isVisible(), false, 'only one buyer holds the seats');
    await shot(winner.page, 'race-1-winner-hold');
    await shot(loser.page, 'race-2-loser-retrying');
    let audit = await server.audit(eventId);
    assert.deepEqual(audit.zones.map((z) => [z.id, z.held, z.available]), [['pit', 2, 0]]);

    await winner.page.getByTestId('release').click();
    await winner.page.getByTestId('screen-event').waitFor();
    await assertText(winner.page, 'event-flash', 'back on sale');

    // Still retrying: the released seats are picked up. Gave up already:
    // it says sold out, and a second try succeeds.
    const outcome = await Promise.race([
      held(loser.page).then(() => 'won while retrying'),
      loser.page.getByTestId('event-error').waitFor({ timeout: 20_000 }).then(() => 'saw sold out'),
    ]);
    if (outcome === 'saw sold out') {
      await assertText(loser.page, 'event-error', /held by other buyers|Sold out/);
      await shot(loser.page, 'race-3-loser-sold-out');
      await loser.page.waitForFunction(() => !document.getElementById('reserve-btn').disabled, null, { timeout: 10_000 });
      await loser.page.getByTestId('reserve').click();
      await held(loser.page);
    }
    await shot(loser.page, 'race-4-loser-holds');
    audit = await server.audit(eventId);
    assert.equal(audit.consistent, true);
    assert.deepEqual(audit.zones.map((z) => [z.id, z.held, z.available, z.sold]), [['pit', 2, 0, 0]]);
    assert.equal(audit.reservations.held, 1);
    assert.equal(audit.reservations.released, 1);
  });
});

// Live availability: a reserve made by another client (not this page)
// shows up without a reload, pushed by the stream: the page sends no
// GET /v1/events/{id} while it waits.
test('availability moves on the page when another client reserves, without polling', { timeout: 90_000 }, async () => {
  const eventId = `live-${run}`;
  await server.putEvent(eventId, {
    name: 'Live Hall', currency: 'EUR', status: 'on_sale', hold_ttl_s: 600, max_per_order: 10, max_per_user: 10,
    zones: [{ id: 'stalls', name: 'Stalls', capacity: 40, price: 2500 }], waiting_room: { enabled: false },
  });
  await scenario('live', async (track) => {
    const { page } = await track(buyer(`lia-${run}`, eventId));
    await assertText(page, 'zone-available-stalls', '40 left');
    await page.waitForFunction(() => document.getElementById('event-live').dataset.source === 'stream', null, { timeout: 10_000 });
    const polls = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === `/v1/events/${eventId}`) polls.push(r.url());
    });

    const token = await server.userToken(`other-${run}`);
    const res = await fetch(`${server.baseUrl}/v1/reservations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ event_id: eventId, zone_id: 'stalls', quantity: 3 }),
    });
    assert.equal(res.status, 201, await res.text());

    await assertText(page, 'zone-available-stalls', '37 left', 20_000);
    assert.equal(await page.getByTestId('event-live').getAttribute('data-source'), 'stream');
    assert.deepEqual(polls, [], 'the page did not poll the event');
    await shot(page, 'live-1-moved');
  });
});

test('a hold expires in view, and confirming after expiry is refused', { timeout: 120_000 }, async () => {
  const eventId = `expiry-${run}`;
  await server.putEvent(eventId, {
    name: 'Ten-Second Holds', currency: 'EUR', status: 'on_sale', hold_ttl_s: 10, max_per_order: 4, max_per_user: 8,
    zones: [{ id: 'ga', name: 'General admission', capacity: 10, price: 2500 }], waiting_room: { enabled: false },
  });
  await scenario('expiry', async (track) => {
    // Erin watches her countdown run out. Frank's tab is frozen (a laptop lid
    // closed: timers stop) and he clicks Confirm after the hold is gone.
    const erin = await track(buyer(`erin-${run}`, eventId));
    const frank = await track(buyer(`frank-${run}`, eventId, { install: (p) => p.clock.install() }));
    for (const { page } of [erin, frank]) await order(page, 'ga', 1);

    const t0 = Date.now();
    await Promise.all([erin.page.getByTestId('reserve').click(), frank.page.getByTestId('reserve').click()]);
    await Promise.all([erin.page.getByTestId('screen-hold').waitFor(), frank.page.getByTestId('screen-hold').waitFor()]);
    await frank.page.clock.pauseAt(Date.now() + 500);
    await assertText(erin.page, 'hold-countdown', /^0:(10|0\d)$/);
    await shot(erin.page, 'expiry-1-counting-down');

    await assertText(erin.page, 'hold-countdown', /^0:0[0-3]$/, 15_000);
    await erin.page.getByTestId('screen-expired').waitFor({ timeout: 15_000 });
    await assertText(erin.page, 'expired-text', 'went back on sale');
    await shot(erin.page, 'expiry-2-expired-in-view');

    const frozen = await frank.page.getByTestId('hold-countdown').textContent();
    assert.match(frozen, /^0:0[5-9]|0:10$/, 'the frozen tab still shows time left');
    const wait = t0 + 12_000 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    await frank.page.getByTestId('confirm').click();
    await frank.page.getByTestId('screen-expired').waitFor({ timeout: 15_000 });
    await assertText(frank.page, 'expired-text', 'The hold ran out before the payment reached us');
    await shot(frank.page, 'expiry-3-confirm-refused');

    const audit = await server.audit(eventId);
    assert.equal(audit.consistent, true);
    assert.deepEqual(audit.zones.map((z) => [z.id, z.held, z.available, z.sold]), [['ga', 0, 10, 0]]);
    assert.equal(audit.reservations.confirmed, 0);
  });
});

// docs/waiting-room.md end to end: a real event whose waiting room admits one buyer at a
// time. Hana gets the one pass; Ivan waits in line (his page polls as told)
// until Hana's reservation consumes her pass and frees the slot; then Ivan is
// admitted and checks out too.
test('the waiting room: a buyer waits in line, is admitted when the slot frees, and checks out', { timeout: 120_000 }, async () => {
  const eventId = `room-${run}`;
  await server.putEvent(eventId, {
    name: 'Queue Night', currency: 'EUR', status: 'on_sale', hold_ttl_s: 600, max_per_order: 4, max_per_user: 4,
    zones: [{ id: 'floor', name: 'Floor', capacity: 100, price: 3000 }],
    waiting_room: { enabled: true, capacity: 1, admit_per_s: 5, pass_ttl_s: 30 },
  });
  // Logs in on the event page and ends on the queue screen or, once
  // admitted, the event screen.
  const queued = async (name) => {
    const context = await browser.newContext({ ...PHONE, locale: 'en-US', timezoneId: 'UTC' });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
    const seen = { polls: 0, passes: [] };
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === `/v1/events/${eventId}/queue/me` && r.method() === 'GET') seen.polls++;
      if (u.pathname === '/v1/reservations' && r.method() === 'POST') seen.passes.push(r.headers()['queue-pass']);
    });
    await page.goto(`${server.baseUrl}/?event=${eventId}`);
    await page.getByTestId('login-user').fill(name);
    await page.getByTestId('login-submit').click();
    return { context, page, seen };
  };
  const checkout = async ({ page, seen }, quantity, label) => {
    await page.getByTestId('screen-event').waitFor({ timeout: 30_000 });
    await assertText(page, 'pass-notice', "It's your turn!");
    await order(page, 'floor', quantity);
    await page.getByTestId('reserve').click();
    await page.getByTestId('screen-hold').waitFor({ timeout: 20_000 });
    assert.equal(seen.passes.length, 1);
    assert.match(seen.passes[0] ?? '', /^\S{16,}$/, 'the reserve carried the queue pass');
    await shot(page, `${label}-hold`);
    await page.getByTestId('confirm').click();
    await page.getByTestId('screen-confirmed').waitFor({ timeout: 20_000 });
  };

  await scenario('waiting-room', async (track) => {
    const hana = await track(queued(`hana-${run}`));
    await hana.page.getByTestId('screen-event').waitFor({ timeout: 30_000 });
    await assertText(hana.page, 'pass-notice', "It's your turn!");
    await shot(hana.page, 'waiting-room-1-first-admitted');

    // Ivan waits while Hana holds the room's one pass: first in line, and
    // his page keeps asking as poll_after_ms says.
    const ivan = await track(queued(`ivan-${run}`));
    await ivan.page.getByTestId('screen-queue').waitFor();
    await assertText(ivan.page, 'queue-position', '#1', 10_000);
    await assertText(ivan.page, 'queue-text', "You're next");
    const t0 = Date.now();
    while (ivan.seen.polls < 2 && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 100));
    assert.ok(ivan.seen.polls >= 2, `Ivan's page polled ${ivan.seen.polls} times`);
    assert.equal(await ivan.page.getByTestId('screen-event').isVisible(), false, 'no pass while the slot is taken');
    await shot(ivan.page, 'waiting-room-2-second-in-line');
    let audit = await server.audit(eventId);
    assert.equal(audit.waiting_room.live_passes, 1);
    assert.equal(audit.waiting_room.waiting, 1);

    // Hana checks out; her reservation consumes the pass and frees the slot.
    await checkout(hana, 2, 'waiting-room-3-first');
    await checkout(ivan, 1, 'waiting-room-4-second');
    await shot(ivan.page, 'waiting-room-5-second-confirmed');

    audit = await server.audit(eventId);
    assert.equal(audit.consistent, true);
    assert.deepEqual(audit.zones.map((z) => [z.id, z.sold]), [['floor', 3]]);
    assert.equal(audit.reservations.confirmed, 2);
    const until = Date.now() + 10_000;  // the pass deletion after a reserve is detached
    while (audit.waiting_room.live_passes !== 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      audit = await server.audit(eventId);
    }
    assert.deepEqual(audit.waiting_room, { waiting: 0, live_passes: 0, capacity: 1 });
  });
});

// Assigned seating on the SVG seat map: two buyers click the same seat;
// exactly one holds it, the other sees it taken (state and words) and picks
// another; best available holds adjacent front-row seats and the hold's map
// shows them as the buyer's. Then nothing is double-booked.
test('seated: two buyers click the same seat, one holds it, the other picks another; best available shows its seats', { timeout: 120_000 }, async () => {
  const eventId = `seats-${run}`;
  await server.putEvent(eventId, {
    name: 'Seated Gala', currency: 'EUR', status: 'on_sale', hold_ttl_s: 600, max_per_order: 4, max_per_user: 8,
    zones: [
      { id: 'floor', name: 'Floor', capacity: 10, price: 1000 },
      { id: 'stalls', name: 'Stalls', kind: 'seated', price: 4500,
        rows: [{ id: 'A', seats: 8, aisles_after: [4] }, { id: 'B', seats: 8 }], unavailable: ['B-8'] },
    ],
    waiting_room: { enabled: false },
  });
  const seat = (page, id) => page.getByTestId('seatmap').locator(`[data-seat="${id}"]`);
  const openStalls = async (page) => {
    await page.getByTestId('zone-stalls').click();
    await page.getByTestId('seat-picker').waitFor();
    await seat(page, 'A-4').waitFor();
    assert.equal(await page.getByTestId('qty-input').isVisible(), false, 'a seated zone has no count');
  };
  const held = (p) => p.getByTestId('screen-hold').waitFor({ timeout: 20_000 }).then(() => p);
  const yours = (page) => page.getByTestId('hold-seatmap').locator('[data-state="yours"]')
    .evaluateAll((gs) => gs.map((g) => g.dataset.seat));

  await scenario('seats', async (track) => {
    const a = await track(buyer(`sam-${run}`, eventId));
    const b = await track(buyer(`kim-${run}`, eventId));
    for (const { page } of [a, b]) {
      await openStalls(page);
      assert.equal(await seat(page, 'B-8').getAttribute('data-state'), 'unavailable');
      assert.equal(await seat(page, 'B-8').getAttribute('role'), 'img', 'an unavailable seat is no button');
      await seat(page, 'A-4').click();
      assert.equal(await seat(page, 'A-4').getAttribute('aria-pressed'), 'true');
      await assertText(page, 'seat-picked', 'Row A: 4');
      await assertText(page, 'order-total', '€45.00');
    }
    await shot(a.page, 'seats-1-picked');

    // Both hold at once (clicked in the pages, not through Playwright's
    // actionability wait: a page that already learned the seat is gone has
    // disabled its button, which is one of the outcomes under test).
    await Promise.all([a, b].map(({ page }) => page.getByTestId('reserve').evaluate((btn) => btn.click())));
    const winnerPage = await Promise.race([held(a.page), held(b.page)]);
    const [winner, loser] = winnerPage === a.page ? [a, b] : [b, a];
    await assertText(winner.page, 'hold-summary', 'Row A: 4');
    assert.deepEqual(await yours(winner.page), ['A-4']);

    // The loser is told, and its map shows the seat taken (colour and shape: held).
    await assertText(loser.page, 'event-error', /A-4 was just taken by someone else/);
    await loser.page.waitForFunction(
      () => document.querySelector('#seatmap [data-seat="A-4"]')?.dataset.state === 'held', null, { timeout: 10_000 });
    assert.equal(await seat(loser.page, 'A-4').getAttribute('role'), 'img');
    assert.equal(await loser.page.getByTestId('screen-hold').isVisible(), false, 'only one buyer holds A-4');
    await shot(loser.page, 'seats-2-loser-sees-taken');

    // It picks another seat, with the keyboard: from A-4's neighbour A-5.
    await seat(loser.page, 'A-5').focus();
    await loser.page.keyboard.press('Enter');
    await assertText(loser.page, 'seat-picked', 'Row A: 5');
    await loser.page.getByTestId('reserve').click();
    await held(loser.page);
    await assertText(loser.page, 'hold-summary', 'Row A: 5');
    await loser.page.getByTestId('hold-seatmap').locator('[data-state="yours"]').first().waitFor();
    assert.deepEqual(await yours(loser.page), ['A-5']);
    await shot(loser.page, 'seats-3-loser-holds-another');

    // Best available for 3: adjacent seats of the front row, shown as the buyer's.
    const c = await track(buyer(`lou-${run}`, eventId));
    await openStalls(c.page);
    await c.page.waitForFunction(
      () => document.querySelector('#seatmap [data-seat="A-5"]')?.dataset.state === 'held', null, { timeout: 10_000 });
    await c.page.getByTestId('best-qty').fill('3');
    await c.page.getByTestId('best-available').click();
    await held(c.page);
    await c.page.getByTestId('hold-seatmap').locator('[data-state="yours"]').first().waitFor();
    const best = await yours(c.page);
    assert.equal(best.length, 3, `best available: ${best}`);
    const nums = best.map((id) => Number(id.split('-')[1])).sort((x, y) => x - y);
    assert.ok(best.every((id) => id.startsWith('A-')), `front row: ${best}`);
    assert.deepEqual(nums, [nums[0], nums[0] + 1, nums[0] + 2], `adjacent: ${best}`);
    assert.ok(nums[2] <= 4 || nums[0] >= 5, `no aisle crossed: ${best}`);
    await assertText(c.page, 'hold-summary', `Row A: ${nums.join(', ')}`);
    await shot(c.page, 'seats-4-best-available');

    const audit = await server.audit(eventId);
    assert.equal(audit.consistent, true);
    if ('double_booked_seats' in audit) assert.deepEqual(audit.double_booked_seats, []);
    const stalls = audit.zones.find((z) => z.id === 'stalls');
    assert.equal(stalls.held, 5);
    assert.equal(stalls.available, 15 - 5);
  });
});
