// Every face of the SDK names the same error codes: the JS module's frozen
// ErrorCodes (and its declaration in seatgate.d.ts), C's SEATGATE_CODE_*
// macros (seatgate.h) and C++'s seatgate::errc constants (error.h), and the
// set covers every code of the server's problems (docs/openapi.yaml,
// Problem.code).
//
//   node --test tests/e2e/error_codes.test.mjs   (needs scripts/build-wasm.sh first)

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './support/fake.mjs';
import { loaded, loadHarness, makeClient, rejection } from './support/harness.mjs';

before(loadHarness);

const read = (rel) => fs.readFileSync(path.join(repoRoot, rel), 'utf8');

// [name, value] of every match of `re` (two groups) in `text`.
const pairs = (text, re) => [...text.matchAll(re)].map((m) => [m[1], m[2]]);

// Each code once, and its constant named after it (`name(code)`).
function codeSet(entries, name, face) {
  const codes = new Set();
  for (const [n, code] of entries) {
    assert.equal(n, name(code), `${face}: ${n} names "${code}"`);
    assert.ok(!codes.has(code), `${face}: "${code}" twice`);
    codes.add(code);
  }
  assert.ok(codes.size > 0, `${face}: no codes found`);
  return codes;
}

const sorted = (set) => [...set].sort();

function cCodes() {
  const entries = pairs(read('sdk/include/seatgate.h'), /^#define (SEATGATE_CODE_\w+) "([^"]*)"/gm);
  return codeSet(entries, (c) => `SEATGATE_CODE_${c.toUpperCase()}`, 'seatgate.h');
}

function cppCodes() {
  const h = read('sdk/include/seatgate/error.h');
  const ns = h.slice(h.indexOf('namespace errc {'), h.indexOf('}  // namespace errc'));
  const entries = pairs(ns, /^inline constexpr const char\* (\w+) = "([^"]*)";/gm);
  // Nothing else in the namespace escaped the pattern.
  const declared = ns.split('\n').filter((l) => l.startsWith('inline '));
  assert.equal(entries.length, declared.length, 'error.h: a constant the test cannot read');
  return codeSet(entries, (c) => c, 'error.h');
}

function dtsCodes() {
  const d = read('wasm/seatgate.d.ts');
  const start = d.indexOf('export declare const ErrorCodes: Readonly<{');
  assert.ok(start >= 0, 'seatgate.d.ts declares ErrorCodes');
  const body = d.slice(start, d.indexOf('}>;', start));
  return codeSet(pairs(body, /(\w+): "([^"]*)";/g), (c) => c, 'seatgate.d.ts');
}

// Problem.code's enum, a flow sequence in the Problem schema.
function openapiCodes() {
  const y = read('docs/openapi.yaml');
  const problem = y.slice(y.indexOf('\n    Problem:'));
  const m = /\n {8}code:\n {10}type: string\n {10}enum: \[([^\]]*)\]/.exec(problem);
  assert.ok(m, 'openapi.yaml: Problem.code has an enum');
  return new Set(m[1].split(',').map((s) => s.trim()));
}

test('ErrorCodes is frozen and each key is its code', () => {
  const { ErrorCodes } = loaded.sdk;
  assert.ok(Object.isFrozen(ErrorCodes));
  for (const [k, v] of Object.entries(ErrorCodes)) assert.equal(v, k);
  assert.equal(ErrorCodes.sold_out, 'sold_out');
  assert.throws(() => { 'use strict'; ErrorCodes.sold_out = 'x'; }, TypeError);
  assert.equal(ErrorCodes.sold_out, 'sold_out');
});

test('JS, TypeScript, C and C++ name the same codes', () => {
  const js = new Set(Object.keys(loaded.sdk.ErrorCodes));
  const c = cCodes();
  assert.deepEqual(sorted(c), sorted(js), 'seatgate.h vs ErrorCodes');
  assert.deepEqual(sorted(cppCodes()), sorted(js), 'error.h vs ErrorCodes');
  assert.deepEqual(sorted(dtsCodes()), sorted(js), 'seatgate.d.ts vs ErrorCodes');
});

test('every code of the server\'s problems has its constant', () => {
  const js = new Set(Object.keys(loaded.sdk.ErrorCodes));
  const server = openapiCodes();
  for (const code of ['sold_out', 'seats_taken', 'invalid_seats', 'no_adjacent_seats',
    'event_not_closed', 'holds_live', 'outbox_not_drained']) assert.ok(server.has(code), code);
  assert.deepEqual(sorted(server).filter((code) => !js.has(code)), []);
});

test('a call\'s error code compares equal to its constant', async () => {
  const { ErrorCodes, SeatgateError } = loaded.sdk;
  const { client, net } = await makeClient();
  const e = await rejection(client.reserve({ eventId: 'summer', zoneId: 'floor', quantity: 0 }));
  assert.ok(e instanceof SeatgateError);
  assert.equal(e.code, ErrorCodes.validation_quantity);
  assert.equal(net.calls.length, 0, 'nothing sent');
  client.close();
  const closed = await rejection(client.getEvent('summer'));
  assert.equal(closed.code, ErrorCodes.invalid_state);
});
