// chokepoint classroom page. Plain JavaScript, no libraries: it reads the
// levers and scenarios from the server's API, draws its own SVG charts and
// keeps the whole state in the URL's query string.
'use strict';
(() => {
  const SVGNS = 'http://www.w3.org/2000/svg';
  const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';
  const COLORS = { median: '#1f4a7a', band90: 'rgba(43,93,155,0.14)', band50: 'rgba(43,93,155,0.34)',
    base: '#3a3f47', grid: '#e6e9ee', zero: '#b9c0ca', axis: '#5b6675', from: '#c26a12' };

  // The page's charts, in reading order, and the outputs of its cost panel
  // (a rate and its running total): the registry's outputs featured on the
  // page, from GET /api/outputs.
  const CHARTS = [];
  // Parts of a charted total listed under it in "What changed" (the
  // registry's outputs featured "page-changes", under the output their
  // channel split makes them part of).
  const CHANGES = [];
  let REVENUE, CUMULATIVE;
  const RUN_CHOICES = [200, 500, 1000, 2000];
  const READ_CHOICES = ['2026Q4', '2027Q4', '2028Q4', '2030Q4', '2033Q4', '2035Q4'];

  // Exposed for the browser tests and for curious students.
  const app = window.chokepoint = { latencies: [], draws: 0, ready: false, errors: [], short };

  let meta = null;          // GET /api/levers
  let scenarios = [];       // GET /api/scenarios
  let exercises = [];       // exercises.json
  const leverBy = {}, paramBy = {}, assumptionBy = {}, outputBy = {};
  const ui = {};            // controls by key
  let data = null;          // the last /api/simulate answer
  let urlWarnings = [];

  const state = { scenario: '', runs: 500, seed: 1, from: '2026Q1', at: '2030Q4', exercise: '',
    levers: {}, params: {} };

  // ---------------------------------------------------------------- helpers

  const $ = (sel) => document.querySelector(sel);
  function h(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'html') e.innerHTML = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of kids.flat()) if (c !== null && c !== undefined) e.append(c);
    return e;
  }
  function s(tag, attrs, parent) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }
  const esc = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const domId = (key) => key.replace(/[^a-zA-Z0-9_-]/g, '-');
  const periodYear = (p) => +p.slice(0, 4) + (+p.slice(5) - 1) / 4;
  const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r()));

  // short writes 5300000 as 5.3M: three significant figures, at most two
  // decimals, a k, M, B or T suffix chosen on the rounded number. It is
  // sim.FormatShort with sim.PageStyle (a browser test compares them).
  function short(v) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–';
    const sig = (x) => +Math.abs(x).toPrecision(3);
    const f = (x) => String(+(Math.round(sig(x) * 100) / 100)) ;
    const r = sig(v), sign = v < 0 ? '-' : '';
    for (const [base, suffix] of [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']]) {
      if (r >= base) return sign + f(v / base) + suffix;
    }
    const t = f(v);
    return (t === '0' ? '' : sign) + t;
  }
  // fmt writes a value in a unit as a person reads it.
  function fmt(v, unit) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–';
    switch (unit) {
      case 'fraction': return (v * 100).toFixed(Math.abs(v) < 0.1 && v !== 0 ? 1 : 0) + '%';
      case 'months': return v.toFixed(1) + ' months';
      case 'USD': return '$' + short(v);
      case 'USD/yr': return '$' + short(v) + '/yr';
      case 'USD/quarter': return '$' + short(v) + '/qtr';
      case 'TPP': return Math.round(v).toLocaleString('en-US') + ' TPP';
      case 'TPP/mm²': return v.toFixed(2) + ' TPP/mm²';
      case 'GB/s': return Math.round(v).toLocaleString('en-US') + ' GB/s';
      case 'H100e/quarter': return short(v) + ' H100e/qtr';
      case '×/yr': return '×' + short(v) + ' a year';
      case '1': return short(v);
      case '': return short(v);
    }
    return short(v) + ' ' + unit;
  }
  const fmtPlain = (v, unit) => (v === null || v === undefined || !Number.isFinite(v) ? '–' :
    unit === 'fraction' ? fmt(v, unit) : unit === 'months' ? v.toFixed(1) : unit === 'USD' ? '$' + short(v) : short(v));

  // fmtRange writes 5.2 to 12.3 months as "5.2–12.3 months".
  function fmtRange(x, y, unit) {
    const a = fmt(x, unit), b = fmt(y, unit), i = a.indexOf(' ');
    if (i > 0 && b.endsWith(a.slice(i)) && b.indexOf(' ') === b.length - (a.length - i)) return a.slice(0, i) + '–' + b;
    if (a.endsWith('%') && b.endsWith('%')) return a.slice(0, -1) + '–' + b;
    return a + ' to ' + b;
  }

  function leverText(l, v) {
    if (l.kind === 'switch') return v ? 'on' : 'off';
    if (l.kind === 'set') return v.length ? v.join(', ') : 'none';
    if (l.none && v >= l.none.value) return l.none.label;
    if (l.slider && l.slider.minLabel && v === l.slider.min) return l.slider.minLabel;
    return fmt(v, l.unit);
  }
  function sameValue(a, b) {
    if (Array.isArray(a) || Array.isArray(b)) {
      return Array.isArray(a) && Array.isArray(b) && [...a].sort().join(',') === [...b].sort().join(',');
    }
    return a === b;
  }
  // roundTo keeps slider values free of binary noise (0.30000000000000004).
  function roundTo(v, step) {
    const d = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return +(Math.round(v / step) * step).toFixed(Math.min(d + 1, 12));
  }

  // --------------------------------------------------------- presets and state

  const scenario = () => scenarios.find((x) => x.name === state.scenario) || scenarios[0];

  // presetValue is the preset's value of a lever in the quarter `at`: the
  // last of its events effective by then (events come sorted by date).
  function presetValue(key, at) {
    const l = leverBy[key];
    let v = l.default;
    for (const e of scenario().events) if (e.lever === key && e.effective <= at) v = e.value;
    return v;
  }
  const leverValue = (key) => (key in state.levers ? state.levers[key] : presetValue(key, state.from));
  const paramFixed = (key) => key in state.params;

  function setLever(key, v) {
    if (sameValue(v, presetValue(key, state.from))) delete state.levers[key];
    else state.levers[key] = v;
    syncLever(key);
    changed();
  }
  function setParam(key, v) {
    if (v === null) delete state.params[key]; else state.params[key] = v;
    syncParam(key);
    changed();
  }

  // ------------------------------------------------------------------- URL

  function writeURL() {
    const q = [];
    const put = (k, v) => q.push(encodeURIComponent(k) + '=' + encodeURIComponent(v).replace(/%2C/g, ','));
    put('scenario', state.scenario);
    put('runs', state.runs);
    put('seed', state.seed);
    put('from', state.from);
    put('at', state.at);
    if (state.exercise) put('exercise', state.exercise);
    for (const k of Object.keys(state.levers).sort()) {
      const l = leverBy[k], v = state.levers[k];
      put(k, l.kind === 'switch' ? (v ? 'on' : 'off') : l.kind === 'set' ? v.join(',') : String(v));
    }
    for (const k of Object.keys(state.params).sort()) put(k, String(state.params[k]));
    history.replaceState(null, '', '?' + q.join('&') + location.hash);
  }

  function readURL() {
    urlWarnings = [];
    const q = new URLSearchParams(location.search);
    for (const [k, v] of q) {
      switch (k) {
        case 'scenario':
          if (scenarios.some((x) => x.name === v)) state.scenario = v; else urlWarnings.push(`unknown preset “${v}”`);
          continue;
        case 'runs': {
          const n = Math.round(+v);
          if (n >= 1 && n <= meta.limits.maxRuns) state.runs = n; else urlWarnings.push(`runs ${v} is outside 1–${meta.limits.maxRuns}`);
          continue;
        }
        case 'seed': if (/^\d+$/.test(v)) state.seed = +v; else urlWarnings.push(`seed “${v}” is not a whole number`); continue;
        case 'from': if (/^\d{4}Q[1-4]$/.test(v)) state.from = v; else urlWarnings.push(`from “${v}” is not a quarter`); continue;
        case 'at': if (/^\d{4}Q[1-4]$/.test(v)) state.at = v; continue;
        case 'exercise': if (exercises.some((x) => x.id === v)) state.exercise = v; continue;
      }
      const l = leverBy[k];
      if (l) {
        if (l.kind === 'switch') state.levers[k] = /^(on|true|1|yes)$/i.test(v);
        else if (l.kind === 'set') {
          const items = v.split(',').map((x) => x.trim()).filter(Boolean);
          const bad = items.filter((x) => !l.items.includes(x));
          if (bad.length) urlWarnings.push(`${k}: unknown ${bad.join(', ')}`);
          state.levers[k] = items.filter((x) => l.items.includes(x));
        } else {
          const x = v === 'none' && l.none ? l.none.value : +v;
          if (v !== '' && Number.isFinite(x) && x >= l.min && x <= l.max) state.levers[k] = x;
          else urlWarnings.push(`${k}=${v} is outside ${l.min}–${l.max}`);
        }
        continue;
      }
      if (paramBy[k]) {
        const p = paramBy[k], x = +v;
        if (v !== '' && Number.isFinite(x) && x >= p.min && x <= p.max) state.params[k] = x;
        else urlWarnings.push(`${k}=${v} is outside ${p.min}–${p.max}`);
        continue;
      }
      urlWarnings.push(`unknown setting “${k}”`);
    }
    // A value equal to the preset's is no change.
    for (const k of Object.keys(state.levers)) if (sameValue(state.levers[k], presetValue(k, state.from))) delete state.levers[k];
  }

  // ------------------------------------------------------------- controls

  function whenText(l) {
    const evs = scenario().events.filter((e) => e.lever === l.key);
    if (!evs.length) return h('p', { class: 'when' }, 'Preset: ', h('b', { text: leverText(l, l.default) }), ' throughout.');
    const parts = evs.map((e) => `${e.effective} ${leverText(l, e.value)}${e.probability < 1 ? ` (p=${e.probability})` : ''}`);
    return h('p', { class: 'when' }, 'Preset acts from: ', h('b', { text: parts.join(' → ') }));
  }

  function leverControl(l) {
    const id = 'in-' + domId(l.key);
    const out = h('output', { id: 'out-' + domId(l.key), for: id });
    const reset = h('button', { type: 'button', class: 'reset-one', title: 'Back to the preset',
      'aria-label': `Reset ${l.label} to the preset`, text: '↺', onclick: () => setLever(l.key, presetValue(l.key, state.from)) });
    const desc = h('p', { class: 'desc', id: 'desc-' + domId(l.key), text: l.plain || l.description });
    const when = h('div', { class: 'when-slot' });
    const src = researchDetails(l, l.kind === 'number' ? `${l.min} to ${l.max}` : l.kind === 'set' ? l.items.join(', ') : 'on or off');
    const box = h('div', { class: 'lever', 'data-key': l.key });
    const c = { box, out, when, lever: l };
    if (l.kind === 'switch') {
      c.input = h('input', { type: 'checkbox', role: 'switch', id, 'aria-describedby': desc.id,
        onchange: (e) => setLever(l.key, e.target.checked) });
      box.append(h('div', { class: 'switch' }, c.input, h('label', { for: id, text: l.label }), out, reset), desc, when, src);
    } else if (l.kind === 'set') {
      c.boxes = l.items.map((it) => h('input', { type: 'checkbox', value: it, onchange: () => {
        setLever(l.key, c.boxes.filter((b) => b.checked).map((b) => b.value));
      } }));
      box.append(h('fieldset', { 'aria-describedby': desc.id },
        h('legend', {}, h('span', { class: 'name', text: l.label }), h('span', { style: 'margin-left:auto' }, reset)),
        h('div', { class: 'chips' }, l.items.map((it, i) => h('label', {}, c.boxes[i], it)))), out, desc, when, src);
      out.hidden = true;
    } else {
      const sl = l.slider;
      c.input = h('input', { type: 'range', id, min: sl.min, max: sl.max, step: sl.step, 'aria-describedby': desc.id,
        oninput: (e) => setLever(l.key, roundTo(+e.target.value, sl.step)) });
      const head = h('div', { class: 'lever-head' }, h('label', { for: id, text: l.label }), out, reset);
      box.append(head, c.input);
      if (l.none) {
        c.none = h('input', { type: 'checkbox', onchange: (e) => {
          setLever(l.key, e.target.checked ? l.none.value : roundTo(Math.min(sl.max, Math.max(sl.min, +c.input.value)), sl.step));
        } });
        box.append(h('label', { class: 'inline' }, c.none, l.none.label));
      }
      box.append(desc, when, src);
    }
    ui[l.key] = c;
    return box;
  }

  // researchDetails is the folded panel that keeps what a researcher needs
  // of a lever or assumption (its key, the model's own description, bounds
  // and source) off the student's view.
  function researchDetails(x, bounds) {
    return h('details', { class: 'src' }, h('summary', { text: 'Details and source' }),
      h('dl', {}, h('dt', { text: 'Key' }), h('dd', {}, h('code', { text: x.key })),
        h('dt', { text: 'In the model' }), h('dd', { text: `${x.description} (${x.unit}; ${bounds})` }),
        h('dt', { text: 'Source' }), h('dd', { text: x.source })));
  }

  function paramControl(p) {
    const id = 'in-' + domId(p.key);
    const out = h('output', { id: 'out-' + domId(p.key), for: id });
    const desc = h('p', { class: 'desc', id: 'desc-' + domId(p.key) },
      (p.plain || p.description + '.') + ' ', h('span', { text: `The model's 90% range: ${fmtRange(p.p05, p.p95, p.unit)} (median ${fmt(p.p50, p.unit)}).` }));
    const sl = p.slider;
    const c = { out, param: p };
    c.fix = h('input', { type: 'checkbox', onchange: (e) => setParam(p.key, e.target.checked ? roundTo(+c.input.value, sl.step) : null) });
    c.input = h('input', { type: 'range', id, min: sl.min, max: sl.max, step: sl.step, 'aria-describedby': desc.id,
      oninput: (e) => setParam(p.key, roundTo(+e.target.value, sl.step)) });
    const reset = h('button', { type: 'button', class: 'reset-one', title: 'Back to the uncertain range',
      'aria-label': `Make ${p.label} uncertain again`, text: '↺', onclick: () => setParam(p.key, null) });
    c.box = h('div', { class: 'lever', 'data-key': p.key },
      h('div', { class: 'lever-head' }, h('label', { for: id, text: p.label }), out, reset), c.input,
      h('label', { class: 'inline' }, c.fix, 'Fix at one value'),
      desc, researchDetails(p, `${p.min} to ${p.max}, default ${p.default}`));
    ui[p.key] = c;
    return c.box;
  }

  function buildControls() {
    const root = $('#groups');
    root.textContent = '';
    const wide = window.matchMedia('(min-width: 901px)').matches;
    const groups = [...meta.groups.map((g) => [g, meta.levers.filter((l) => l.group === g).map(leverControl)]),
      ['Key assumptions (uncertain)', [h('p', { class: 'group-note', text: 'Each assumption is uncertain, and the bands show it. ' +
        'Fixing one at a value removes its share of the uncertainty; the dashed preset line uses it too.' }),
      ...meta.assumptions.map(paramControl)]]];
    groups.forEach(([g, boxes], i) => {
      const count = h('span', { class: 'count', 'aria-label': 'changes in this group' });
      const d = h('details', { class: 'group', open: wide && i < 2 ? true : undefined, 'data-group': g },
        h('summary', {}, h('span', { text: g }), count), h('div', { class: 'group-body' }, boxes));
      d.count = count;
      d.keys = boxes.map((b) => b.dataset.key).filter(Boolean);
      root.append(d);
    });
  }

  function syncLever(key) {
    const c = ui[key], l = c.lever, v = leverValue(key);
    const changedNow = key in state.levers;
    c.box.classList.toggle('changed', changedNow);
    c.out.value = leverText(l, v);
    if (l.kind === 'switch') c.input.checked = !!v;
    else if (l.kind === 'set') c.boxes.forEach((b) => { b.checked = v.includes(b.value); });
    else {
      const isNone = !!(l.none && v >= l.none.value);
      if (c.none) c.none.checked = isNone;
      c.input.disabled = isNone;
      if (!isNone) c.input.value = Math.min(l.slider.max, Math.max(l.slider.min, v));
      c.input.setAttribute('aria-valuetext', leverText(l, v));
    }
  }
  function syncParam(key) {
    const c = ui[key], p = c.param, fixed = paramFixed(key);
    c.box.classList.toggle('changed', fixed);
    c.fix.checked = fixed;
    const v = fixed ? state.params[key] : p.p50;
    c.input.value = v;
    c.out.value = fixed ? 'fixed at ' + fmt(v, p.unit) : fmtRange(p.p05, p.p95, p.unit);
    c.input.setAttribute('aria-valuetext', fixed ? fmt(v, p.unit) : 'uncertain, ' + c.out.value);
  }
  function syncAll() {
    const sc = scenario();
    $('#preset').value = state.scenario;
    $('#from').value = state.from;
    $('#at').value = state.at;
    $('#runs').value = String(state.runs);
    $('#seed').value = state.seed;
    $('#exercise').value = state.exercise;
    $('#preset-title').textContent = sc.title;
    const desc = $('#preset-desc'), text = sc.description.replace(/\s+/g, ' ');
    const cut = text.search(/[.:;](\s|$)/);
    desc.textContent = '';
    if (cut > 0 && cut < text.length - 2) {
      desc.append(text.slice(0, cut + 1) + ' ',
        h('details', { class: 'more' }, h('summary', { text: 'More about this preset' }), text.slice(cut + 2)));
    } else desc.textContent = text;
    $('#from-hint').textContent = `Your policy changes act from ${state.from} on; the preset's history before then is kept. ` +
      'Fixed assumptions apply to the whole span, and to the dashed preset line too.';
    $('#legend-from').textContent = `Your policy from ${state.from}`;
    for (const l of meta.levers) {
      const slot = ui[l.key].when;
      slot.textContent = '';
      slot.append(whenText(l));
      syncLever(l.key);
    }
    for (const p of meta.assumptions) syncParam(p.key);
    syncCounts();
  }
  function syncCounts() {
    for (const d of document.querySelectorAll('details.group')) {
      const n = d.keys.filter((k) => k in state.levers || k in state.params).length;
      d.count.textContent = n ? String(n) : '';
    }
  }

  // ------------------------------------------------------------ simulation

  let inflight = false, dirty = false, pendingSince = null;

  function changed() {
    syncCounts();
    writeURL();
    schedule();
  }
  // schedule asks for a run; while one is in flight, later changes fold
  // into one more run with the latest settings, so the server never has a
  // queue of stale requests from one page.
  function schedule(measure) {
    if (measure !== false && pendingSince === null) pendingSince = performance.now();
    dirty = true;
    // Only a dot while a run is under way: a status line that flickers on
    // every slider step would distract a class and chatter to screen readers.
    $('#status').classList.add('busy');
    if (!inflight) pump();
  }
  async function pump() {
    inflight = true;
    try {
      while (dirty) {
        dirty = false;
        const t0 = pendingSince;
        pendingSince = null;
        let ans;
        try {
          ans = await simulate(requestBody());
        } catch (err) {
          app.errors.push(err.message);
          setStatus(err.message, 'error');
          continue;
        }
        data = ans;
        render();
        await nextFrame();
        if (t0 !== null) app.latencies.push(performance.now() - t0);
        app.draws++;
        if (app.onDraw) app.onDraw(requestBody()); // class mode (class.js) shares what was drawn
        if (!dirty) setStatus(statusText());
      }
    } finally {
      inflight = false;
    }
  }
  function requestBody() {
    const set = {};
    for (const [k, v] of Object.entries(state.levers)) set[k] = v;
    for (const [k, v] of Object.entries(state.params)) set[k] = v;
    return { scenario: state.scenario, runs: state.runs, seed: state.seed, from: state.from, set,
      outputs: [...new Set([...CHARTS.map((c) => c.key), ...CHANGES.map((c) => c.key), REVENUE, CUMULATIVE, ...exerciseOutputs()].filter(Boolean))], baseline: true };
  }
  // api asks one of the page's questions (GET when body is undefined, else
  // POST of body as JSON): of the server that sent the page, or, in a
  // folder written by `chokepoint publish`, of the model compiled to
  // WebAssembly, which publish.js puts behind window.chokepointAPI and
  // which answers with the server's own code.
  async function api(path, body) {
    const json = body === undefined ? undefined : JSON.stringify(body);
    if (window.chokepointAPI) {
      const r = await window.chokepointAPI(path, json);
      return { ok: r.status >= 200 && r.status < 300, status: r.status, json: async () => JSON.parse(r.body) };
    }
    return json === undefined ? fetch(path)
      : fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: json });
  }
  async function simulate(body) {
    const r = await api('api/simulate', body);
    let j;
    try { j = await r.json(); } catch (e) { throw new Error(`The server answered ${r.status} without data.`); }
    if (!r.ok) throw new Error(j.error || `The server answered ${r.status}.`);
    return j;
  }
  function setStatus(text, cls) {
    const st = $('#status');
    st.textContent = text;
    st.className = cls || '';
  }
  function statusText() {
    const n = Object.keys(state.levers).length + Object.keys(state.params).length;
    let t = `${data.runs.toLocaleString('en-US')} runs · seed ${data.seed} · ${n ? n + ' change' + (n > 1 ? 's' : '') : 'the preset as is'}`;
    if (urlWarnings.length) t += ' · link: ignored ' + urlWarnings.join('; ');
    return t;
  }

  // ---------------------------------------------------------------- charts

  function niceTicks(lo, hi, n) {
    const span = hi - lo || Math.abs(hi) || 1;
    const raw = span / n, p = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((x) => x >= raw) || 10 * p;
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
    return { ticks: out, lo: Math.floor(lo / step) * step, hi: Math.ceil(hi / step) * step };
  }

  // drawChart draws one output into svg at width W by height H pixels.
  function drawChart(svg, chart, W, H) {
    const out = data.outputs[chart.key], base = data.baseline && data.baseline[chart.key];
    const info = outputBy[chart.key] || {};
    const unit = out.unit, log = !!info.log;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('width', W);
    svg.setAttribute('height', H);
    svg.setAttribute('font-family', FONT);
    const m = { l: 50, r: 12, t: 10, b: 24 };
    const periods = data.periods, xs = periods.map(periodYear);
    const x0 = xs[0], x1 = xs[xs.length - 1] + 0.25;
    const X = (x) => m.l + (x - x0) / (x1 - x0) * (W - m.l - m.r);

    // y domain over the band and the baseline
    const vals = [...out.p05, ...out.p95, ...(base ? base.p50 : [])].filter((v) => v !== null && Number.isFinite(v));
    let Y, yticks, fmtTick;
    const bottom = H - m.b, top = m.t;
    if (log) {
      // The axis spans the median's lowest value to the band's highest,
      // at most six decades: a band that dips to zero runs off the bottom
      // rather than squash the rest.
      const pos = vals.filter((v) => v > 0);
      const meds = [...out.p50, ...(base ? base.p50 : [])].filter((v) => v !== null && v > 0);
      let hi = Math.max(...pos, 10) * 1.25;
      let lo = Math.pow(10, Math.floor(Math.log10(Math.min(...meds, hi / 10))));
      lo = Math.max(lo, Math.pow(10, Math.floor(Math.log10(hi / 1e6))));
      if (hi <= lo * 10) hi = lo * 10;
      const L = (v) => Math.log10(Math.max(v, lo));
      Y = (v) => bottom - (L(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) * (bottom - top);
      yticks = [];
      const decades = Math.log10(hi / lo);
      for (let d = lo; d <= hi * 1.0001; d *= 10) {
        yticks.push(d);
        if (decades <= 2.5 && d * 3 < hi) yticks.push(d * 3);
      }
      fmtTick = (v) => short(v);
    } else {
      let lo = Math.min(0, ...vals), hi = Math.max(...vals, 0);
      if (unit === 'fraction') { lo = 0; hi = 1; }
      const t = niceTicks(lo, hi, H < 220 ? 4 : 6);
      lo = t.lo; hi = t.hi;
      Y = (v) => bottom - (v - lo) / (hi - lo || 1) * (bottom - top);
      yticks = t.ticks;
      fmtTick = (v) => unit === 'fraction' ? Math.round(v * 100) + '%' : short(v);
    }

    // text alternative
    const idx = Math.max(0, periods.indexOf(state.at));
    const alt = `${chart.title}, ${chart.sub}: median ${fmt(out.p50[idx], unit)} in ${periods[idx]}` +
      ` (90% range ${fmt(out.p05[idx], unit)} to ${fmt(out.p95[idx], unit)})` +
      (base ? `; the preset's median ${fmt(base.p50[idx], unit)}.` : '.');
    s('title', {}, svg).textContent = alt;
    const first = out.p50.findIndex((v) => v !== null), last = out.p50.length - 1;
    s('desc', {}, svg).textContent = `From ${periods[first]} to ${periods[last]} the median goes from ` +
      `${fmt(out.p50[first], unit)} to ${fmt(out.p50[last], unit)}.` + (log ? ' Logarithmic scale.' : '');
    svg.setAttribute('aria-label', alt);

    // grid and axes
    const g = s('g', { 'font-size': 11, fill: COLORS.axis }, svg);
    for (const v of yticks) {
      const y = Y(v);
      if (y < top - 0.5 || y > bottom + 0.5) continue;
      s('line', { x1: m.l, x2: W - m.r, y1: y, y2: y, stroke: v === 0 && !log ? COLORS.zero : COLORS.grid, 'stroke-width': 1 }, g);
      s('text', { x: m.l - 6, y: y + 3.5, 'text-anchor': 'end' }, g).textContent = fmtTick(v);
    }
    const yearPx = (W - m.l - m.r) / (x1 - x0);
    const every = yearPx >= 40 ? 2 : yearPx >= 16 ? 5 : 10;
    for (let y = Math.ceil(x0); y <= Math.floor(x1); y++) {
      const x = X(y);
      s('line', { x1: x, x2: x, y1: bottom, y2: bottom + (y % every === 0 ? 5 : 3), stroke: COLORS.zero }, g);
      if (y % every === 0) s('text', { x, y: bottom + 17, 'text-anchor': 'middle' }, g).textContent = y;
    }
    s('line', { x1: m.l, x2: W - m.r, y1: bottom, y2: bottom, stroke: COLORS.zero }, g);
    if (log) s('text', { x: W - m.r, y: top + 10, 'text-anchor': 'end', 'font-size': 10, fill: '#8a94a3' }, g).textContent = 'log scale';

    // policy start
    const fx = X(periodYear(state.from));
    if (fx > m.l && fx < W - m.r) {
      s('line', { x1: fx, x2: fx, y1: top, y2: bottom, stroke: COLORS.from, 'stroke-width': 1.5, 'stroke-dasharray': '2 3' }, svg);
    }

    // bands, median, baseline, clipped to the plot
    const clipId = 'clip-' + chart.key + '-' + W;
    s('rect', { x: m.l, y: top - 2, width: W - m.l - m.r, height: bottom - top + 2 }, s('clipPath', { id: clipId }, s('defs', {}, svg)));
    const plot = s('g', { 'clip-path': `url(#${clipId})` }, svg);
    const cx = (i) => X(xs[i] + 0.125);
    const band = (lo, hi, fill) => {
      let i = 0;
      while (i < xs.length) {
        while (i < xs.length && (lo[i] === null || hi[i] === null)) i++;
        const st = i;
        while (i < xs.length && lo[i] !== null && hi[i] !== null) i++;
        if (i - st < 1) continue;
        let d = '';
        for (let k = st; k < i; k++) d += (k === st ? 'M' : 'L') + cx(k).toFixed(1) + ',' + Y(hi[k]).toFixed(1);
        for (let k = i - 1; k >= st; k--) d += 'L' + cx(k).toFixed(1) + ',' + Y(lo[k]).toFixed(1);
        s('path', { d: d + 'Z', fill, stroke: 'none' }, plot);
      }
    };
    const line = (vs, attrs) => {
      let d = '', pen = false;
      vs.forEach((v, k) => {
        if (v === null || !Number.isFinite(v)) { pen = false; return; }
        d += (pen ? 'L' : 'M') + cx(k).toFixed(1) + ',' + Y(v).toFixed(1);
        pen = true;
      });
      return s('path', Object.assign({ d, fill: 'none', 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }, attrs), plot);
    };
    band(out.p05, out.p95, COLORS.band90);
    band(out.p25, out.p75, COLORS.band50);
    if (base) line(base.p50, { stroke: COLORS.base, 'stroke-width': 1.6, 'stroke-dasharray': '5 4', class: 'baseline' });
    line(out.p50, { stroke: COLORS.median, 'stroke-width': 2.4, class: 'median' });

    // the reading point
    if (out.p50[idx] !== null) s('circle', { cx: cx(idx), cy: Y(out.p50[idx]), r: 3.5, fill: COLORS.median, stroke: '#fff', 'stroke-width': 1.5 }, plot);
    svg._geom = { X, Y, xs, m, W, H, cx };
  }

  function chartSize(fig) {
    const w = Math.max(260, Math.floor(fig.clientWidth - 28));
    return [w, Math.round(Math.min(320, Math.max(190, w * 0.52)))];
  }

  function buildCharts() {
    const root = $('#charts');
    for (const c of CHARTS) {
      const id = 'chart-' + c.key;
      const svg = document.createElementNS(SVGNS, 'svg');
      svg.setAttribute('role', 'img');
      svg.setAttribute('id', id + '-svg');
      const fig = h('figure', { class: 'chart', id },
        h('figcaption', {}, h('h2', { text: c.title }), h('p', { class: 'sub', text: c.sub }),
          h('p', { class: 'reading', id: id + '-reading', 'aria-live': 'off' })), svg);
      c.fig = fig;
      c.svg = svg;
      svg.addEventListener('pointermove', (e) => tooltip(e, c));
      svg.addEventListener('pointerleave', () => { $('#tooltip').hidden = true; });
      root.append(fig);
    }
  }

  function tooltip(e, c) {
    if (!data || !c.svg._geom) return;
    const gm = c.svg._geom, r = c.svg.getBoundingClientRect();
    const px = (e.clientX - r.left) * gm.W / r.width;
    let best = 0, bd = Infinity;
    gm.xs.forEach((x, i) => { const d = Math.abs(gm.cx(i) - px); if (d < bd) { bd = d; best = i; } });
    const out = data.outputs[c.key], base = data.baseline && data.baseline[c.key], u = out.unit;
    const tip = $('#tooltip');
    tip.innerHTML = `<b>${esc(data.periods[best])}</b><br>median ${esc(fmt(out.p50[best], u))}<br>` +
      `90%: ${esc(fmt(out.p05[best], u))} – ${esc(fmt(out.p95[best], u))}` +
      (base ? `<br>preset ${esc(fmt(base.p50[best], u))}` : '');
    tip.hidden = false;
    tip.style.left = Math.min(window.innerWidth - 200, e.clientX + 14) + 'px';
    tip.style.top = (e.clientY + 14) + 'px';
  }

  function delta(v, b, unit, compact) {
    if (v === null || b === null || !Number.isFinite(v) || !Number.isFinite(b)) return null;
    if (unit === 'fraction') {
      const d = (v - b) * 100;
      return Math.abs(d) < 0.5 ? null : { text: (d > 0 ? '+' : '−') + Math.abs(d).toFixed(0) + ' pts', up: d > 0 };
    }
    if (unit === 'months') {
      const d = v - b;
      return Math.abs(d) < 0.05 ? null : { text: (d > 0 ? '+' : '−') + Math.abs(d).toFixed(1) + (compact ? '' : ' months'), up: d > 0 };
    }
    if (b === 0) return v === 0 ? null : { text: 'new', up: v > 0 };
    const d = (v / b - 1) * 100;
    return Math.abs(d) < 0.5 ? null : { text: (d > 0 ? '+' : '−') + Math.abs(d).toFixed(0) + '%', up: d > 0 };
  }

  function readingHTML(c) {
    const i = Math.max(0, data.periods.indexOf(state.at));
    const out = data.outputs[c.key], base = data.baseline && data.baseline[c.key], u = out.unit;
    let t = `<span class="at">${esc(state.at)}</span> <b>${esc(fmt(out.p50[i], u))}</b>`;
    if (base) {
      const d = delta(out.p50[i], base.p50[i], u);
      t += d ? ` <span class="delta">${esc(d.text)} vs preset</span>` : ' <span class="delta same">same as preset</span>';
    }
    t += `<br><span class="muted">90% range ${esc(fmtPlain(out.p05[i], u))} to ${esc(fmtPlain(out.p95[i], u))}` +
      (base ? ` · preset median ${esc(fmtPlain(base.p50[i], u))}` : '') + '</span>';
    return t;
  }

  function render() {
    // Every chart's size is read before any is drawn: reading a size after
    // a chart changed would make the browser lay the page out again, once
    // per chart.
    const sizes = CHARTS.map((c) => chartSize(c.fig));
    for (const [k, c] of CHARTS.entries()) {
      const [w, hgt] = sizes[k];
      drawChart(c.svg, c, w, hgt);
      $('#chart-' + c.key + '-reading').innerHTML = readingHTML(c);
    }
    renderChanges();
    renderCost();
    renderExercise();
    $('#footer-meta').textContent = `chokepoint ${meta.version || ''} · preset ${state.scenario} · ${data.runs} runs, seed ${data.seed} · ` +
      'sources for every assumption: chokepoint params';
  }

  // ----------------------------------------------------- what changed, cost

  function changeItems() {
    const items = [];
    for (const l of meta.levers) {
      if (!(l.key in state.levers)) continue;
      items.push({ key: l.key, html: `<b>${esc(l.label)}</b>: ${esc(leverText(l, presetValue(l.key, state.from)))} → ` +
        `<b>${esc(leverText(l, state.levers[l.key]))}</b> from ${esc(state.from)} <span class="muted">(${esc(l.group)})</span>` });
    }
    for (const p of meta.assumptions) {
      if (!(p.key in state.params)) continue;
      items.push({ key: p.key, html: `<b>${esc(p.label)}</b>: fixed at <b>${esc(fmt(state.params[p.key], p.unit))}</b> ` +
        `(the model's 90% range is ${esc(fmtRange(p.p05, p.p95, p.unit))})` });
    }
    return items;
  }

  function renderChanges() {
    const body = $('#changes-body');
    const items = changeItems();
    if (!items.length) {
      body.innerHTML = `<p class="empty">Nothing yet: these are the <b>${esc(scenario().title)}</b> preset's results. ` +
        'Move a lever to see what your policy changes, against the dashed line.</p>';
      return;
    }
    const i = Math.max(0, data.periods.indexOf(state.at));
    let rows = '';
    const units = { 'H100e': 'H100e', 'H100e/quarter': 'H100e/qtr', months: 'months', USD: 'USD' };
    const list = [...CHARTS];
    for (const c of CHANGES) {
      const at = list.findIndex((x) => x.key === c.of);
      list.splice(at < 0 ? list.length : at + 1, 0, { ...c, part: at < 0 ? null : list[at] });
    }
    list.push({ key: CUMULATIVE, title: `US revenue foregone ${state.from}–${state.at}` });
    let why = '';
    for (const c of list) {
      const o = data.outputs[c.key], b = data.baseline[c.key];
      if (!o || !b) continue;
      const d = delta(o.p50[i], b.p50[i], o.unit, true);
      const u = units[o.unit] ? ` <span class="muted">(${units[o.unit]})</span>` : '';
      rows += `<tr${c.part ? ' class="part"' : ''}><td>${esc(c.title)}${u}</td><td>${esc(fmtPlain(b.p50[i], o.unit))}</td><td>${esc(fmtPlain(o.p50[i], o.unit))}</td>` +
        `<td>${d ? esc(d.text) : 'no change'}</td></tr>`;
      // A part that carries most of its total's rise says why the total
      // rose.
      const t = c.part && data.outputs[c.part.key], tb = c.part && data.baseline[c.part.key];
      if (t && tb && c.why) {
        const rise = t.p50[i] - tb.p50[i], partRise = o.p50[i] - b.p50[i];
        if (rise > 0 && partRise >= rise / 2) why += `<p class="note">Most of the rise in ${esc(c.part.title)} is chips ${esc(c.title.replace(/^of it, /, ''))}: ${esc(c.why)}.</p>`;
      }
    }
    body.innerHTML = `<ul>${items.map((x) => `<li>${x.html}</li>`).join('')}</ul>` +
      `<div class="effects"><table><caption class="visually-hidden">Medians in ${esc(state.at)}, preset against yours</caption>` +
      `<thead><tr><th>Median in ${esc(state.at)}</th><th>preset</th><th>yours</th><th>change</th></tr></thead><tbody>${rows}</tbody></table></div>` + why;
  }

  function renderCost() {
    const i = Math.max(0, data.periods.indexOf(state.at));
    const cum = data.outputs[CUMULATIVE], q = data.outputs[REVENUE];
    const bc = data.baseline[CUMULATIVE], bq = data.baseline[REVENUE];
    if (!cum || !q) { $('#cost-body').innerHTML = '<p class="empty">This model reports no foregone revenue.</p>'; return; }
    const d = delta(cum.p50[i], bc.p50[i], 'USD');
    $('#cost-body').innerHTML =
      `<p class="note" style="margin-top:0">US vendors' sales lost to the controls, plus fees paid, summed from ${esc(state.from)} to ${esc(state.at)} (median):</p>` +
      `<p class="cost-big">${esc(fmt(cum.p50[i], 'USD'))}</p>` +
      `<p class="cost-range">90% range ${esc(fmt(cum.p05[i], 'USD'))} to ${esc(fmt(cum.p95[i], 'USD'))}</p>` +
      `<dl class="cost-grid"><dt>Preset, same period</dt><dd>${esc(fmt(bc.p50[i], 'USD'))}${d ? ' <span class="muted">(' + esc(d.text) + ' yours)</span>' : ''}</dd>` +
      `<dt>Rate in ${esc(state.at)}, yours</dt><dd>${esc(fmt(q.p50[i] * 4, 'USD/yr'))}</dd>` +
      `<dt>Rate in ${esc(state.at)}, preset</dt><dd>${esc(fmt(bq.p50[i] * 4, 'USD/yr'))}</dd></dl>` +
      '<p class="note">Blocked demand valued at the blocked chip\'s price, plus fees on allowed sales. ' +
      'Medians of totals, not totals of medians.</p>';
  }

  // -------------------------------------------------------------- exercises

  // An exercise (exercises.json) has a question, a goal written as checks,
  // hints, discussion points and the model's limits. A check reads an
  // output's quantile at a quarter against a value or against the preset's
  // median (times scale, plus offset); or a lever's or an assumption's
  // value; or that no lever, no assumption or no lever of a group changed.
  const currentExercise = () => exercises.find((x) => x.id === state.exercise);
  function exerciseOutputs() {
    const ex = currentExercise();
    return ex ? ex.checks.filter((ck) => ck.output).map((ck) => ck.output) : [];
  }
  function changedCount(ck) {
    if (ck.unchanged === 'assumptions') return Object.keys(state.params).length;
    if (ck.unchanged === 'group') return Object.keys(state.levers).filter((k) => leverBy[k].group === ck.group).length;
    return Object.keys(state.levers).length;
  }
  function checkValue(ck) {
    if (ck.unchanged) return changedCount(ck);
    if (ck.lever) return leverValue(ck.lever);
    if (ck.param) return paramFixed(ck.param) ? state.params[ck.param] : null;
    const o = data.outputs[ck.output];
    const i = data.periods.indexOf(ck.at);
    return o && i >= 0 ? o[ck.stat || 'p50'][i] : null;
  }
  // checkTarget is what a check compares with: its value, or the preset's
  // median at the same quarter, scaled and shifted as the check says.
  function checkTarget(ck) {
    if (ck.unchanged) return 0;
    if (ck.vs === 'preset') {
      const b = data.baseline && data.baseline[ck.output], i = data.periods.indexOf(ck.at);
      return b && i >= 0 && b.p50[i] !== null ? b.p50[i] * (ck.scale ?? 1) + (ck.offset ?? 0) : null;
    }
    return ck.value;
  }
  function compare(v, op, want) {
    if (v === null || v === undefined || want === null || want === undefined) return false;
    if (Array.isArray(want)) return sameValue(v, want);
    switch (op) {
      case '>=': return v >= want;
      case '<=': return v <= want;
      case '>': return v > want;
      case '<': return v < want;
      case '==': return sameValue(v, want);
      case '!=': return !sameValue(v, want);
    }
    return false;
  }
  function checkNow(ck, v) {
    if (ck.unchanged) return v ? `${v} changed` : 'none changed';
    if (ck.lever) return leverText(leverBy[ck.lever], v);
    if (ck.param) return v === null ? 'not fixed' : fmt(v, paramBy[ck.param].unit);
    return fmt(v, data.outputs[ck.output] ? data.outputs[ck.output].unit : '');
  }
  function evaluateExercise() {
    const ex = currentExercise();
    if (!ex || !data) return null;
    const checks = ex.checks.map((ck) => {
      const v = checkValue(ck), want = checkTarget(ck);
      let now = checkNow(ck, v);
      if (ck.vs === 'preset' && want !== null) now += ', aim ' + (ck.op.startsWith('>') ? '≥ ' : '≤ ') + checkNow(ck, want);
      return { label: ck.label, met: compare(v, ck.unchanged ? '==' : ck.op, want), now };
    });
    return { ex, checks, met: checks.every((c) => c.met) };
  }
  const listHTML = (xs) => `<ul>${xs.map((x) => `<li>${esc(typeof x === 'string' ? x : x.text)}</li>`).join('')}</ul>`;
  function renderExercise() {
    const panel = $('#exercise-panel');
    const r = evaluateExercise();
    app.exercise = r ? { id: r.ex.id, met: r.met, checks: r.checks } : null;
    if (!r) { panel.hidden = true; return; }
    panel.hidden = false;
    const more = [['Hints', r.ex.hints], ['Discuss', r.ex.discussion], ['What the model leaves out', r.ex.limits]]
      .filter(([, xs]) => xs && xs.length)
      .map(([t, xs]) => `<details class="ex-more"><summary>${esc(t)}</summary>${listHTML(xs)}</details>`).join('');
    panel.innerHTML = `<div class="exercise-head"><h2>Exercise: ${esc(r.ex.title)}</h2>` +
      `<span class="verdict ${r.met ? 'met' : 'unmet'}">${r.met ? '✓ Goal met' : 'Not yet'}</span>` +
      `<button type="button" id="ex-start" title="Back to the exercise's starting point">` +
      `${r.ex.preset && r.ex.preset !== state.scenario ? 'Start from ' + esc(r.ex.preset) : 'Start again'}</button>` +
      `</div>${r.ex.question ? `<p class="question">${esc(r.ex.question)}</p>` : ''}<p>${esc(r.ex.goal)}</p><ul class="checks">` +
      r.checks.map((c) => `<li class="${c.met ? 'met' : 'unmet'}"><span class="mark" aria-hidden="true">${c.met ? '✓' : '✗'}</span>` +
        `<span class="what">${esc(c.label)}<span class="visually-hidden">${c.met ? ' (met)' : ' (not met)'}</span></span><span class="now">now ${esc(c.now)}</span></li>`).join('') +
      '</ul>' + more;
    const b = $('#ex-start');
    if (b) b.addEventListener('click', () => startExercise(r.ex));
  }
  // startExercise loads an exercise's preset and quarters, clears the
  // student's changes and applies the exercise's own starting settings.
  function startExercise(ex) {
    if (ex.preset && scenarios.some((x) => x.name === ex.preset)) state.scenario = ex.preset;
    if (ex.from) state.from = ex.from;
    if (ex.at) state.at = ex.at;
    state.levers = {};
    state.params = {};
    applyStart(ex);
    syncAll();
    changed();
  }
  // applyStart sets the exercise's own starting settings (exercises.json
  // start.set) on top of the student's.
  function applyStart(ex) {
    for (const [k, v] of Object.entries((ex.start && ex.start.set) || {})) {
      if (leverBy[k]) state.levers[k] = leverBy[k].kind === 'switch' ? !!v : v;
      else if (paramBy[k]) state.params[k] = v;
    }
    for (const k of Object.keys(state.levers)) if (sameValue(state.levers[k], presetValue(k, state.from))) delete state.levers[k];
  }

  // ----------------------------------------------------------------- export

  function fileStem() {
    return `chokepoint-${state.scenario}-${Object.keys(state.levers).length + Object.keys(state.params).length ? 'custom-' : ''}${state.runs}runs-seed${state.seed}`;
  }
  // wrap splits text into lines of at most n characters.
  function wrap(text, n) {
    const lines = [];
    let line = '';
    for (const w of text.split(' ')) {
      if (line && (line + ' ' + w).length > n) { lines.push(line); line = w; } else line = line ? line + ' ' + w : w;
    }
    if (line) lines.push(line);
    return lines;
  }
  // composedSVG draws the view as one self-contained SVG: title, settings,
  // the four charts with their readings, legend and source line.
  function composedSVG() {
    const W = 1200, cw = 575, ch = 290;
    const settings = wrap(changeItems().map((x) => x.html.replace(/<[^>]+>/g, '')).join('; ') || 'The preset as is.', 150).slice(0, 4);
    const top = 70 + settings.length * 19, rowH = ch + 84;
    const H = top + 2 * rowH + 40;
    const n = changeItems().length;
    let out = `<svg xmlns="${SVGNS}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FONT}">` +
      `<rect width="${W}" height="${H}" fill="#ffffff"/>` +
      `<text x="20" y="34" font-size="22" font-weight="700" fill="#14304f">${esc(scenario().title)}${n ? ' + your changes' : ''}</text>` +
      settings.map((l, k) => `<text x="20" y="${58 + k * 19}" font-size="14" fill="#3d4856">${esc(l)}</text>`).join('') +
      `<text x="20" y="${top - 2}" font-size="13" fill="#5b6675">Line: median of ${data.runs} runs (seed ${data.seed}); shading: 50% and 90% of runs; ` +
      `dashed: the preset's median, no policy change; dotted: your policy from ${esc(state.from)}.</text>`;
    const ser = new XMLSerializer();
    CHARTS.forEach((c, k) => {
      const x = 20 + (k % 2) * (cw + 10), y = top + 16 + Math.floor(k / 2) * rowH;
      const svg = document.createElementNS(SVGNS, 'svg');
      drawChart(svg, c, cw, ch);
      svg.setAttribute('x', x);
      svg.setAttribute('y', y + 62);
      const i = Math.max(0, data.periods.indexOf(state.at)), o = data.outputs[c.key], b = data.baseline[c.key];
      out += `<text x="${x}" y="${y + 16}" font-size="16" font-weight="650" fill="#1c2430">${esc(c.title)}</text>` +
        `<text x="${x}" y="${y + 34}" font-size="12" fill="#5b6675">${esc(c.sub)}</text>` +
        `<text x="${x}" y="${y + 52}" font-size="12.5" fill="#1c2430">${esc(state.at)}: median ${esc(fmt(o.p50[i], o.unit))}` +
        ` (90% range ${esc(fmtPlain(o.p05[i], o.unit))} to ${esc(fmtPlain(o.p95[i], o.unit))}); preset ${esc(fmt(b.p50[i], o.unit))}</text>` +
        ser.serializeToString(svg);
    });
    out += `<text x="20" y="${H - 14}" font-size="12" fill="#5b6675">Source: chokepoint ${esc(meta.version || '')} classroom model. ` +
      'Not a forecast: conditional on the model\'s assumptions (chokepoint params lists each with its source).</text></svg>';
    return out;
  }
  function download(name, blob) {
    const a = h('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function csv() {
    const rows = [['scenario', 'output', 'unit', 'period', 'year', 'p05', 'p25', 'p50', 'p75', 'p95', 'preset_p50']];
    for (const k of [...CHARTS.map((c) => c.key), REVENUE, CUMULATIVE].filter(Boolean)) {
      const o = data.outputs[k], b = data.baseline[k];
      if (!o) continue;
      data.periods.forEach((p, i) => {
        const n = (v) => (v === null || v === undefined ? '' : String(v));
        rows.push([state.scenario, k, o.unit, p, String(periodYear(p)), n(o.p05[i]), n(o.p25[i]), n(o.p50[i]), n(o.p75[i]), n(o.p95[i]), n(b && b.p50[i])]);
      });
    }
    const cell = (x) => (/[",\n]/.test(x) ? '"' + x.replace(/"/g, '""') + '"' : x);
    return rows.map((r) => r.map(cell).join(',')).join('\n') + '\n';
  }
  async function png() {
    const svg = composedSVG();
    const url = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
    const img = new Image();
    await new Promise((ok, fail) => { img.onload = ok; img.onerror = () => fail(new Error('could not draw the charts')); img.src = url; });
    const canvas = document.createElement('canvas');
    canvas.width = img.width * 2;
    canvas.height = img.height * 2;
    const ctx = canvas.getContext('2d');
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0);
    return canvas.toDataURL('image/png');
  }
  app.exportSVG = () => composedSVG();
  app.exportCSV = () => csv();
  app.exportPNG = () => png();

  // ------------------------------------------------------------------ start

  function fillSelect(sel, options) {
    sel.textContent = '';
    for (const [v, t] of options) sel.append(h('option', { value: v, text: t }));
  }
  function quarterOptions(sc) {
    const out = [];
    const y0 = +sc.start.slice(0, 4), y1 = +sc.end.slice(0, 4);
    for (let y = y0; y <= y1; y++) for (let q = 1; q <= 4; q++) {
      const p = `${y}Q${q}`;
      if (p >= sc.start && p <= sc.end) out.push(p);
    }
    return out;
  }
  function wireToolbar() {
    $('#toolbar').addEventListener('submit', (e) => e.preventDefault());
    $('#preset').addEventListener('change', (e) => {
      state.scenario = e.target.value;
      state.levers = {};
      state.params = {};
      syncAll();
      changed();
    });
    $('#from').addEventListener('change', (e) => {
      state.from = e.target.value;
      for (const k of Object.keys(state.levers)) if (sameValue(state.levers[k], presetValue(k, state.from))) delete state.levers[k];
      syncAll();
      changed();
    });
    $('#at').addEventListener('change', (e) => { state.at = e.target.value; writeURL(); if (data) render(); });
    $('#runs').addEventListener('change', (e) => { state.runs = +e.target.value; changed(); });
    $('#seed').addEventListener('change', (e) => {
      const v = Math.round(+e.target.value);
      state.seed = Number.isFinite(v) && v >= 0 ? v : 1;
      e.target.value = state.seed;
      changed();
    });
    $('#exercise').addEventListener('change', (e) => {
      state.exercise = e.target.value;
      const ex = exercises.find((x) => x.id === state.exercise);
      if (ex) startExercise(ex); else { writeURL(); if (data) render(); }
    });
    $('#reset').addEventListener('click', () => { state.levers = {}; state.params = {}; syncAll(); changed(); });
    $('#share').addEventListener('click', async () => {
      writeURL();
      try {
        await navigator.clipboard.writeText(location.href);
        setStatus('Link copied: it reopens exactly these settings.');
      } catch (e) {
        window.prompt('Copy this link:', location.href);
      }
    });
    const closeMenu = () => { $('#export-menu').open = false; };
    $('#export-svg').addEventListener('click', () => { closeMenu(); download(fileStem() + '.svg', new Blob([composedSVG()], { type: 'image/svg+xml' })); });
    $('#export-csv').addEventListener('click', () => { closeMenu(); download(fileStem() + '.csv', new Blob([csv()], { type: 'text/csv' })); });
    $('#export-png').addEventListener('click', async () => {
      closeMenu();
      try {
        const url = await png();
        const blob = await (await fetch(url)).blob();
        download(fileStem() + '.png', blob);
      } catch (e) { setStatus(e.message, 'error'); }
    });
    $('#sheet-handle').addEventListener('click', (e) => {
      const folded = $('#controls').classList.toggle('folded');
      e.currentTarget.setAttribute('aria-expanded', String(!folded));
    });
    let resizeTimer = 0;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => { if (data) render(); }, 120);
    });
  }

  async function start() {
    try {
      const get = async (u) => { const r = await (u.startsWith('api/') ? api(u) : fetch(u)); if (!r.ok) throw new Error(`${u}: ${r.status}`); return r.json(); };
      const [lv, out, sc, ex] = await Promise.all([get('api/levers'), get('api/outputs'), get('api/scenarios'), get('exercises.json')]);
      meta = lv;
      meta.outputs = out.outputs;
      scenarios = sc.scenarios;
      exercises = ex.exercises || [];
      meta.levers.forEach((l) => { leverBy[l.key] = l; });
      meta.params.forEach((p) => { paramBy[p.key] = p; });
      meta.assumptions.forEach((p) => { assumptionBy[p.key] = p; paramBy[p.key] = p; });
      meta.outputs.forEach((o) => { outputBy[o.key] = o; });
      const featured = (o, where) => (o.featured || []).includes(where);
      for (const o of meta.outputs) {
        if (featured(o, 'page-charts')) CHARTS.push({ key: o.key, title: o.label || o.key, sub: o.subtitle || o.description });
        if (featured(o, 'page-changes')) CHANGES.push({ key: o.key, title: o.label || o.key, why: o.subtitle || '', of: o.part_of });
      }
      const rate = meta.outputs.find((o) => featured(o, 'page-cost') && !o.derived);
      const total = rate && meta.outputs.find((o) => featured(o, 'page-cost') && o.derived && o.of === rate.key);
      if (rate && total) [REVENUE, CUMULATIVE] = [rate.key, total.key];
      state.scenario = sc.default;
      state.runs = meta.defaults.runs;
      state.seed = meta.defaults.seed;
      state.from = meta.defaults.from;

      fillSelect($('#preset'), scenarios.map((x) => [x.name, x.title]));
      const qs = quarterOptions(scenarios[0]);
      fillSelect($('#from'), qs.filter((p) => p === qs[0] || (p >= '2023Q1' && p <= '2032Q4'))
        .map((p) => [p, p === qs[0] ? `${p} (rewrite history)` : p]));
      fillSelect($('#at'), READ_CHOICES.filter((p) => qs.includes(p)).map((p) => [p, p]));
      fillSelect($('#runs'), RUN_CHOICES.filter((n) => n <= meta.limits.maxRuns).map((n) => [String(n), n.toLocaleString('en-US')]));
      fillSelect($('#exercise'), [['', 'none'], ...exercises.map((x, i) => [x.id, `${i + 1}. ${x.title}`])]);
      buildControls();
      buildCharts();
      readURL();
      // An exercise's link with no settings of its own opens at the
      // exercise's start.
      const linked = currentExercise();
      if (linked && !Object.keys(state.levers).length && !Object.keys(state.params).length) applyStart(linked);
      if (![...$('#from').options].some((o) => o.value === state.from)) $('#from').append(h('option', { value: state.from, text: state.from }));
      if (![...$('#runs').options].some((o) => o.value === String(state.runs))) $('#runs').append(h('option', { value: state.runs, text: state.runs }));
      if (![...$('#at').options].some((o) => o.value === state.at)) $('#at').append(h('option', { value: state.at, text: state.at }));
      wireToolbar();
      syncAll();
      writeURL();
      app.ready = true;
      schedule(false); // the first draw answers no student's move: not timed
    } catch (e) {
      app.errors.push(e.message);
      setStatus('The page could not start: ' + e.message, 'error');
    }
  }
  start();
})();
