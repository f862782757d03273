// The WebAssembly SDK loaded once per test file, and a client over a
// scripted fetch, a fake clock and seeded randomness (support/fake.mjs).

import assert from 'node:assert/strict';
import { loadSdk, fakeEnvironment, seededBytes, scriptedFetch, json, sampleEvent } from './fake.mjs';

export const loaded = {};

/** Loads the module into `loaded` ({sdk, wasmBinary}); call from before(). */
export async function loadHarness() {
  Object.assign(loaded, await loadSdk());
}

// `options`: further createClient options (e.g. getToken).
export async function makeClient({ answers, random, retry, retryBudget, token = 'user-token', ...options } = {}) {
  const { sdk, wasmBinary } = loaded;
  const clock = fakeEnvironment({ randomByte: random ?? seededBytes() });
  const net = scriptedFetch(answers ?? [json(200, sampleEvent)]);
  const retries = [];
  const client = await sdk.createClient({
    wasmBinary, baseUrl: 'https://tickets.test', token, fetch: net.fetch,
    environment: clock.env, retry, retryBudget, onRetry: (i) => retries.push(i), ...options,
  });
  return { client, net, clock, retries };
}

export async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to fail');
}

export const reserveArgs = { eventId: 'summer', zoneId: 'floor', quantity: 2 };
