// chokepoint, published as a static folder (chokepoint publish): the model
// runs in this browser, compiled to WebAssembly, and nothing is sent
// anywhere. Loaded before app.js, it sets window.chokepointAPI, through
// which app.js asks what it would otherwise ask the server (GET
// api/scenarios, api/levers, api/outputs, POST api/simulate); the answers
// are the server's own, from the same Go code, computed in a worker
// (publish-worker.js) so that the page stays responsive meanwhile, with
// half of each batch in a second worker where there is a second core.
'use strict';
(() => {
  const meta = document.querySelector('meta[name="chokepoint-version"]');
  const worker = new Worker('publish-worker.js');
  const waiting = new Map();
  let next = 0;
  worker.onmessage = (e) => {
    const { id, status, body, error } = e.data;
    const w = waiting.get(id);
    waiting.delete(id);
    if (error !== undefined) w.reject(new Error('the model could not answer: ' + error));
    else w.resolve({ status, body });
  };
  worker.onerror = (e) => {
    for (const w of waiting.values()) w.reject(new Error('the model could not start: ' + (e.message || 'worker error')));
    waiting.clear();
  };
  const version = meta ? meta.content : '';
  // The model is compiled once, here, and the compiled module given to
  // each worker: they share its code, so the browser optimises the hot
  // functions once for both rather than each in its own copy (which, on
  // two cores, competed with the runs).
  const compiled = compileModel().catch((err) => ({ error: String(err && err.message || err) }));
  const start = (w, msg, transfer) => compiled.then((module) => w.postMessage({ ...msg, module }, transfer));
  if ((navigator.hardwareConcurrency || 1) > 1) {
    // A second worker runs part of each batch (publish-worker.js).
    const second = new Worker('publish-worker.js');
    const ch = new MessageChannel();
    start(worker, { version, port: ch.port1 }, [ch.port1]);
    start(second, { version, helperPort: ch.port2 }, [ch.port2]);
  } else {
    start(worker, { version }, []);
  }
  async function compileModel() {
    const r = await fetch('chokepoint.wasm.gz');
    if (!r.ok) throw new Error(`chokepoint.wasm.gz: the host answered ${r.status}`);
    let bytes = new Uint8Array(await r.arrayBuffer());
    // gzip-compressed, unless the host sent it with Content-Encoding: gzip
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      const plain = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
      bytes = new Uint8Array(await new Response(plain).arrayBuffer());
    }
    return WebAssembly.compile(bytes);
  }
  window.chokepointAPI = (path, body) => new Promise((resolve, reject) => {
    const id = next++;
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, path, body });
  });
})();
