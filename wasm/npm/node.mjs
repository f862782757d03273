// seatgate SDK, Node entry: the browser module, given the WebAssembly binary
// read from beside this file (the glue is built for the web and does not load
// it by itself under Node).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient as createWithBinary } from './seatgate.mjs';

export * from './seatgate.mjs';
export { default } from './seatgate.mjs';

const wasmPath = fileURLToPath(new URL('./seatgate.wasm', import.meta.url));
let wasmBinary = null;

function binary() {
  if (!wasmBinary) {
    try {
      wasmBinary = readFileSync(wasmPath);
    } catch (e) {
      throw new Error(`seatgate: cannot read the WebAssembly binary ${wasmPath} (${e.code ?? e.message}); ` +
        'it ships beside node.mjs in the package: reinstall it, or pass createClient({ wasmBinary })');
    }
  }
  return wasmBinary;
}

/** createClient() of seatgate.mjs; baseUrl is required (Node has no page origin). */
export async function createClient(options = {}) {
  if (!options.baseUrl) throw new TypeError('seatgate: createClient needs baseUrl under Node');
  if (options.wasmBinary || options.wasmUrl) return createWithBinary(options);
  return createWithBinary({ ...options, wasmBinary: binary() });
}
