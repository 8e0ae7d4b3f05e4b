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
  if ((navigator.hardwareConcurrency || 1) > 1) {
    // A second worker runs half of each batch (publish-worker.js).
    const second = new Worker('publish-worker.js');
    const ch = new MessageChannel();
    worker.postMessage({ version, port: ch.port1 }, [ch.port1]);
    second.postMessage({ version, helperPort: ch.port2 }, [ch.port2]);
  } else {
    worker.postMessage({ version });
  }
  window.chokepointAPI = (path, body) => new Promise((resolve, reject) => {
    const id = next++;
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, path, body });
  });
})();
