// The JS verifier (wasm/js/webhook.js) against the vector file the server's
// and the C/C++ SDK's tests read (tests/vectors/webhook_signature.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { verifyWebhook, webhookSignature } from '../../../wasm/js/webhook.js';

const vectors = JSON.parse(readFileSync(
  fileURLToPath(new URL('../../vectors/webhook_signature.json', import.meta.url)), 'utf8'));

test('the signature of the vector', async () => {
  assert.equal(await webhookSignature(vectors.secret, vectors.timestamp, vectors.body), vectors.v1);
  assert.equal(await webhookSignature(vectors.secret, vectors.timestamp,
                                      new TextEncoder().encode(vectors.body)), vectors.v1);
});

for (const c of vectors.cases) {
  test(`verify: ${c.name}`, async () => {
    const verdict = await verifyWebhook(c.secret, c.header, c.body,
                                        { nowSeconds: c.now, toleranceSeconds: vectors.tolerance_s });
    assert.equal(verdict === 'valid', c.valid, verdict);
  });
}
