// chokepoint, published as a static folder: the model, compiled to
// WebAssembly, runs in this worker so that the page stays responsive while
// a batch runs. publish.js sends {version} first, then {id, path, body}
// for each question; the answer is {id, status, body} or {id, error}.
'use strict';
importScripts('wasm_exec.js');

let ready = null;

async function load(version) {
  const r = await fetch('chokepoint.wasm.gz');
  if (!r.ok) throw new Error(`chokepoint.wasm.gz: the host answered ${r.status}`);
  let bytes = new Uint8Array(await r.arrayBuffer());
  // The file is gzip-compressed; a host that sends it with
  // Content-Encoding: gzip has already undone that.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const plain = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    bytes = new Uint8Array(await new Response(plain).arrayBuffer());
  }
  const go = new Go();
  const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
  go.run(instance); // settles only if the model exits, which it never does
  return self.chokepointStart(version);
}

self.onmessage = async (e) => {
  const m = e.data;
  if (!('id' in m)) {
    ready = load(m.version);
    return;
  }
  try {
    const api = await ready;
    const r = await api(m.path, m.body);
    self.postMessage({ id: m.id, status: r.status, body: r.body });
  } catch (err) {
    self.postMessage({ id: m.id, error: String(err && err.message || err) });
  }
};
