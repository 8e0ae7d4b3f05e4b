// chokepoint, published as a static folder (chokepoint publish): the model
// runs in this browser, compiled to WebAssembly, and nothing is sent
// anywhere. Loaded after wasm_exec.js and before app.js, it sets
// window.chokepointAPI, through which app.js asks what it would otherwise
// ask the server (GET api/scenarios, api/levers, api/outputs, POST
// api/simulate); the answers are the server's own, from the same Go code.
'use strict';
(() => {
  const meta = document.querySelector('meta[name="chokepoint-version"]');
  const version = meta ? meta.content : '';
  const ready = (async () => {
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
    return window.chokepointStart(version);
  })();
  window.chokepointAPI = async (path, body) => (await ready)(path, body);
})();
