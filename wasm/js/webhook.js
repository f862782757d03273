// Verifying a webhook delivery (docs/webhooks.md "Verifying a delivery"):
// recompute HMAC-SHA256(secret, "<t>.<raw body>") with WebCrypto, compare it
// with the v1 values of Seatgate-Signature, and refuse a t further than the
// tolerance from now (a replay). Pure JavaScript: browsers, Node 18+, Deno.

// Resolves to 'valid', 'malformed_header', 'bad_signature' or 'too_old'.
// `body` is the raw request body (a string or bytes), before JSON parsing.
export async function verifyWebhook(secret, header, body,
                                    { nowSeconds = Math.floor(Date.now() / 1000),
                                      toleranceSeconds = 300 } = {}) {
  let t = null;
  const v1 = [];
  for (const part of String(header ?? '').split(',')) {
    if (part.startsWith('t=') && /^[0-9]{1,18}$/.test(part.slice(2))) t = Number(part.slice(2));
    if (part.startsWith('v1=')) v1.push(part.slice(3));
  }
  if (t === null || v1.length === 0) return 'malformed_header';
  const expected = await webhookSignature(secret, t, body);
  let match = false;
  for (const s of v1) match = sameText(s, expected) || match;
  if (!match) return 'bad_signature';
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return 'too_old';
  return 'valid';
}

// The hex HMAC-SHA256(secret, "<t>.<body>"): the v1 value.
export async function webhookSignature(secret, t, body) {
  const subtle = globalThis.crypto?.subtle ?? (await import('node:crypto')).webcrypto.subtle;
  const enc = new TextEncoder();
  const bytes = typeof body === 'string' ? enc.encode(body) : new Uint8Array(body);
  const prefix = enc.encode(`${t}.`);
  const msg = new Uint8Array(prefix.length + bytes.length);
  msg.set(prefix);
  msg.set(bytes, prefix.length);
  const key = await subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' },
                                     false, ['sign']);
  const mac = new Uint8Array(await subtle.sign('HMAC', key, msg));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

// Compares in time independent of where the texts differ.
function sameText(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
