// chokepoint, published as a static folder: the model, compiled to
// WebAssembly, runs in this worker so that the page stays responsive while
// a batch runs. publish.js sends {version, module} first (the model it
// compiled), then {id, path, body} for each question; the answer is {id,
// status, body} or {id, error}.
//
// Where the machine has a second core, publish.js starts a second worker
// and joins the two by a MessageChannel: the first gets {version, module,
// port}, the second {version, module, helperPort}. The first's model then hands part of
// each batch's runs to the second (chokepointRemote below; the Go side is
// web.Server.Helper) and the second runs them (chokepointPart). A run's
// numbers depend on its index only, so the answers are the same.
'use strict';
importScripts('wasm_exec.js');

// ready settles with the page's API function once publish.js has sent the
// model; questions that come before it wait.
let started;
const ready = new Promise((resolve) => { started = resolve; });

function helperOf(port) {
  const pending = new Map();
  let next = 0;
  port.onmessage = (e) => {
    const { id, bytes, error } = e.data;
    const p = pending.get(id);
    pending.delete(id);
    if (error !== undefined) p.reject(new Error(error));
    else p.resolve(new Uint8Array(bytes));
  };
  return (body, baseline, lo, hi) => new Promise((resolve, reject) => {
    const id = next++;
    pending.set(id, { resolve, reject });
    port.postMessage({ id, body, baseline, lo, hi });
  });
}

function serveParts(port) {
  port.onmessage = async (e) => {
    const { id, body, baseline, lo, hi } = e.data;
    try {
      await ready;
      const u8 = await self.chokepointPart(body, baseline, lo, hi);
      port.postMessage({ id, bytes: u8.buffer }, [u8.buffer]);
    } catch (err) {
      port.postMessage({ id, error: String(err && err.message || err) });
    }
  };
}

// load starts the model from the module publish.js compiled (shared by
// both workers, so the browser optimises its code once for both).
async function load(version, module) {
  if (module && module.error) throw new Error(module.error);
  if (!(module instanceof WebAssembly.Module)) throw new Error('the model could not be compiled in this browser');
  const go = new Go();
  const instance = await WebAssembly.instantiate(module, go.importObject);
  go.run(instance); // settles only if the model exits, which it never does
  return self.chokepointStart(version);
}

self.onmessage = async (e) => {
  const m = e.data;
  if (!('id' in m)) {
    started(load(m.version, m.module));
    if (m.port) self.chokepointRemote = helperOf(m.port);
    if (m.helperPort) serveParts(m.helperPort);
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
