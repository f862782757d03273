// The npm package as an app gets it: `npm pack` the package that
// scripts/build-wasm.sh assembles (build-wasm/wasm/npm/), `npm install` the
// tarball into a scratch project (offline: it has no dependencies), then use
// it under Node and, from a bundler-free page, in headless Chromium, both
// against a real seatgate-server with its embedded Redis.
//
//   node --test --test-concurrency=1 tests/e2e/npm_pack.test.mjs
//
// Needs: scripts/build-wasm.sh, npm, a built seatgate-server (build/server/ or
// SEATGATE_SERVER_BIN), npm ci (playwright-core, typescript) and Debian's
// chromium (CHROMIUM_PATH overrides /usr/bin/chromium). SEATGATE_NPM_DIR
// overrides the package folder.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './support/fake.mjs';
import { launchChromium } from './support/chromium.mjs';
import { startServer } from './support/server.mjs';

const pkgDir = process.env.SEATGATE_NPM_DIR ?? path.join(repoRoot, 'build-wasm/wasm/npm');
const npm = process.env.NPM ?? 'npm';
const run = Date.now().toString(36);
const eventId = `npm-${run}`;

let tmp;
let app;
let packed;
let server;

// npm with no registry within reach: a fresh cache, --offline, and a registry
// address that refuses connections.
function npmRun(args, cwd) {
  return execFileSync(npm, [...args, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_cache: path.join(tmp, 'npm-cache'), npm_config_registry: 'http://127.0.0.1:9/' },
  });
}

before(async () => {
  if (!fs.existsSync(path.join(pkgDir, 'package.json'))) {
    throw new Error(`${pkgDir}/package.json missing: run scripts/build-wasm.sh (or set SEATGATE_NPM_DIR)`);
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seatgate-npm-'));
  [packed] = JSON.parse(npmRun(['pack', '--json', '--pack-destination', tmp], pkgDir));
  app = path.join(tmp, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
  npmRun(['install', path.join(tmp, packed.filename)], app);

  server = await startServer({ webRoot: app });
  await server.putEvent(eventId, {
    name: 'Packed', currency: 'EUR', status: 'on_sale', hold_ttl_s: 600, max_per_order: 4, max_per_user: 8,
    zones: [{ id: 'ga', name: 'General admission', capacity: 10, price: 1500 }], waiting_room: { enabled: false },
  });
});

after(async () => {
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the tarball holds the module, the binary, the types and the Node entry', () => {
  assert.equal(packed.name, '@seatgate/sdk');
  assert.deepEqual(packed.files.map((f) => f.path).sort(),
    ['node.mjs', 'package.json', 'seatgate.d.ts', 'seatgate.mjs', 'seatgate.wasm']);
  const installed = JSON.parse(fs.readFileSync(path.join(app, 'node_modules/@seatgate/sdk/package.json'), 'utf8'));
  assert.equal(installed.version, packed.version);
  const deps = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')).dependencies;
  assert.match(deps['@seatgate/sdk'], /^file:.*\.tgz$/, 'installed from the tarball');
});

test('under Node: import by package name, an expired token refreshed on 401, checkout, close', { timeout: 60_000 }, async () => {
  const script = path.join(app, 'checkout.mjs');
  fs.writeFileSync(script, `
import { createClient, ErrorCodes, SeatgateError, version } from '@seatgate/sdk';
const [baseUrl, eventId, expired] = process.argv.slice(2);
const asked = [];
let token = expired;
const login = async () => {
  const res = await fetch(baseUrl + '/v1/demo/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 'nora' }),
  });
  return (await res.json()).token;
};
const client = await createClient({
  baseUrl,
  getToken: async ({ forceRefresh }) => { asked.push(forceRefresh); if (forceRefresh) token = await login(); return token; },
});
const ev = await client.getEvent(eventId);
const hold = await client.reserve({ eventId, zoneId: ev.zones[0].id, quantity: 2 });
const done = await client.confirm(hold.id, { paymentRef: 'psp_node' });
client.close();
const after = await client.getEvent(eventId).then(() => 'resolved', (e) => e instanceof SeatgateError && e.code);
const closedCode = after === ErrorCodes.invalid_state && Object.isFrozen(ErrorCodes);
console.log(JSON.stringify({ version, asked, status: done.status, after, closedCode }));
`);
  const { stdout } = await promisify(execFile)(process.execPath, [script, server.baseUrl, eventId, server.expiredToken('nora')], { cwd: app });
  const out = JSON.parse(stdout);
  assert.match(out.version, /^\d+\.\d+\.\d+$/);
  assert.deepEqual(out.asked, [false, false, true, false], 'reserve was refused (401) once, then repeated with a fresh token');
  assert.equal(out.status, 'confirmed');
  assert.equal(out.after, 'invalid_state');
  assert.equal(out.closedCode, true, 'ErrorCodes from the Node entry names it');
  const audit = await server.audit(eventId);
  assert.equal(audit.consistent, true);
  assert.equal(audit.reservations.confirmed, 1, 'one reservation: the refused attempt held nothing');
  assert.deepEqual(audit.zones.map((z) => [z.id, z.sold, z.held]), [['ga', 2, 0]]);
});

test('under Node: a missing binary fails with its path named', async () => {
  const broken = path.join(tmp, 'broken');
  fs.mkdirSync(broken);
  for (const f of ['node.mjs', 'seatgate.mjs']) fs.copyFileSync(path.join(app, 'node_modules/@seatgate/sdk', f), path.join(broken, f));
  const { createClient } = await import(path.join(broken, 'node.mjs'));
  await assert.rejects(createClient({ baseUrl: server.baseUrl }), (e) => {
    assert.ok(e.message.includes(path.join(broken, 'seatgate.wasm')), e.message);
    assert.match(e.message, /ENOENT/);
    return true;
  });
});

test('TypeScript resolves the package\'s types by name (strict, node16)', () => {
  fs.writeFileSync(path.join(app, 'typed.ts'), `
import { createClient, ErrorCodes, type EventInfo, type Client } from '@seatgate/sdk';
export const soldOut: 'sold_out' = ErrorCodes.sold_out;
export async function first(baseUrl: string): Promise<string> {
  const client: Client = await createClient({ baseUrl, getToken: async () => 'jwt' });
  const ev: EventInfo = await client.getEvent('e', { signal: AbortSignal.timeout(1000) });
  client.close();
  return ev.zones[0].name;
}
`);
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, types: [] },
    files: ['typed.ts'],
  }));
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', path.join(app, 'tsconfig.json')], { stdio: 'pipe' });
});

test('in Chromium: a page without a bundler imports the browser entry and checks out', { timeout: 90_000 }, async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(app, 'node_modules/@seatgate/sdk/package.json'), 'utf8'));
  const entry = `/node_modules/@seatgate/sdk/${pkg.exports['.'].browser.replace(/^\.\//, '')}`;
  fs.writeFileSync(path.join(app, 'index.html'), `<!doctype html>
<meta charset="utf-8">
<title>scratch</title>
<script type="importmap">${JSON.stringify({ imports: { '@seatgate/sdk': entry } })}</script>
<script type="module">
import { createClient, ErrorCodes, version } from '@seatgate/sdk';
const eventId = new URLSearchParams(location.search).get('event');
try {
  const login = await fetch('/v1/demo/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 'olga' }),
  });
  const client = await createClient({ token: (await login.json()).token });
  const ev = await client.getEvent(eventId);
  const hold = await client.reserve({ eventId, zoneId: ev.zones[0].id, quantity: 1 });
  const done = await client.confirm(hold.id);
  client.close();
  window.result = { version, status: done.status, closed: client.closed, soldOut: Object.isFrozen(ErrorCodes) && ErrorCodes.sold_out };
} catch (e) {
  window.result = { error: String(e?.code ?? e?.message ?? e) };
}
</script>
`);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const wasm = [];
    page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasm.push([new URL(r.url()).pathname, r.status()]); });
    await page.goto(`${server.baseUrl}/?event=${eventId}`);
    await page.waitForFunction(() => window.result, null, { timeout: 60_000 });
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(result, { version: pkg.version, status: 'confirmed', closed: true, soldOut: 'sold_out' });
    assert.deepEqual(wasm, [['/node_modules/@seatgate/sdk/seatgate.wasm', 200]], 'the binary came from beside the module');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
  const audit = await server.audit(eventId);
  assert.equal(audit.consistent, true);
  assert.equal(audit.reservations.confirmed, 2);
});
