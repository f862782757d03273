// The WebAssembly SDK's own cost per call in Chromium: every call goes
// through the real module (JSON and strings across the boundary, the core's
// work) while fetch() is an in-page fake answering at once, so what is
// measured is the SDK, not the network. Builds are measured side by side in
// the same page, rounds interleaved, and the median of the rounds reported.
//
//   node bench/wasm_call_cost.mjs [label=dir ...]     default: new=web-demo/sdk
//   node bench/wasm_call_cost.mjs old=/tmp/old-sdk new=web-demo/sdk
//
// Each dir holds seatgate.mjs and seatgate.wasm. ROUNDS (default 7) and
// CALLS (default 2000 per operation per round) tune it. Needs npm ci
// (playwright-core) and Debian's chromium (CHROMIUM_PATH).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../tests/e2e/support/chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builds = (process.argv.slice(2).length ? process.argv.slice(2) : ['new=web-demo/sdk']).map((a) => {
  const [label, dir] = a.split('=');
  return { label, dir: path.resolve(root, dir) };
});
const rounds = Number(process.env.ROUNDS ?? 7);
const calls = Number(process.env.CALLS ?? 2000);

const page = `<!doctype html><meta charset="utf-8"><script type="module">
const event = JSON.stringify({
  id: 'summer', name: 'Summer Arena', currency: 'EUR', status: 'on_sale', hold_ttl_s: 600,
  max_per_order: 4, max_per_user: 8, waiting_room: { enabled: false },
  zones: Array.from({ length: 6 }, (_, i) => ({ id: 'zone' + i, name: 'Zone ' + i, capacity: 1000, price: 4500 + i, available: 900 })),
});
const reservation = JSON.stringify({
  id: 'summer.AAAAAAAAAAAAAAAAAAAAAA', event_id: 'summer', zone_id: 'zone1', user_id: 'alice', quantity: 2,
  amount: 9002, currency: 'EUR', status: 'held', created_at: '2026-06-01T12:00:00Z',
  expires_at: '2026-06-01T12:10:00Z', confirmed_at: null, payment_ref: null,
});
// A response-like object built once per kind: no stream to read, so the
// browser's own Response machinery stays out of the numbers.
const headers = new Headers({ 'content-type': 'application/json', 'x-request-id': 'req-0123456789abcdef', 'cache-control': 'no-store' });
const answer = (status, body) => ({ status, headers, text: () => Promise.resolve(body) });
const got = answer(200, event);
const created = answer(201, reservation);
const fetch = (url, init) => Promise.resolve(init.method === 'POST' ? created : got);
window.bench = async (url, calls) => {
  const sdk = await import(url);
  const client = await sdk.createClient({ baseUrl: 'https://tickets.test', token: 'jwt', fetch });
  await client.getEvent('summer');
  const time = async (f) => {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await f();
    return (performance.now() - t0) / calls * 1000;
  };
  const baseline = await time(async () => { const r = await fetch('x', { method: 'GET' }); JSON.parse(await r.text()); });
  const getEvent = await time(() => client.getEvent('summer'));
  // Own keys: the core skips its checks against the snapshot, which these holds would use up.
  const reserve = await time(() => client.reserve({ eventId: 'summer', zoneId: 'zone1', quantity: 2 },
    { idempotencyKey: client.newIdempotencyKey() }));
  const validate = await time(() => client.validate({ eventId: 'summer', zoneId: 'zone1', quantity: 2 }));
  client.close?.();
  return { baseline, getEvent, reserve, validate };
};
</script>`;

const browser = await launchChromium();
try {
  const tab = await browser.newPage();
  await tab.route('http://bench.test/**', (route) => {
    const p = new URL(route.request().url()).pathname;
    if (p === '/') return route.fulfill({ contentType: 'text/html', body: page });
    const [, label, file] = p.split('/');
    const b = builds.find((x) => x.label === label);
    if (!b) return route.fulfill({ status: 404 });
    const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    return route.fulfill({ contentType: type, body: fs.readFileSync(path.join(b.dir, file)) });
  });
  await tab.goto('http://bench.test/');
  await tab.waitForFunction(() => window.bench);
  const results = Object.fromEntries(builds.map((b) => [b.label, []]));
  for (const b of builds) await tab.evaluate(([u, n]) => window.bench(u, n), [`/${b.label}/seatgate.mjs`, 200]);  // warm up
  for (let r = 0; r < rounds; r++) {
    for (const b of builds) {
      results[b.label].push(await tab.evaluate(([u, n]) => window.bench(u, n), [`/${b.label}/seatgate.mjs`, calls]));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`µs per call, median of ${rounds} rounds of ${calls} calls (in-page fake fetch; baseline = that fetch + JSON.parse of the body)`);
  console.log(['build', 'baseline', 'getEvent', 'reserve', 'validate'].map((s) => s.padStart(10)).join(''));
  for (const b of builds) {
    const row = ['baseline', 'getEvent', 'reserve', 'validate'].map((k) => median(results[b.label].map((x) => x[k])).toFixed(1));
    console.log([b.label, ...row].map((s) => String(s).padStart(10)).join(''));
  }
} finally {
  await browser.close();
}
