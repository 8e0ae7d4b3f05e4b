// chokepoint class, the teacher's view: the teams, their settings and
// outcomes (kept live by a long poll), pushing a preset or an exercise to all,
// locking changes, the CSV export and the debrief chart. The token comes
// in the link's fragment, which the browser never sends; the page moves
// it to the tab's session storage and out of the address bar, which a
// projector would show.
'use strict';
(() => {
  const SVGNS = 'http://www.w3.org/2000/svg';
  const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';
  const MIN_MS = 300;
  const STORE = 'chokepoint-teacher';
  // The debrief's axes and the outputs shown by default come from the
  // registry (/api/outputs: featured "debrief-x", "debrief-y", "page-charts").
  let COST = '', GAP = '';
  let DEFAULT_OUTPUTS = [];
  const PALETTE = ['#1f4a7a', '#c26a12', '#1d7a46', '#8e3b8f', '#b3261e', '#2a8a9a', '#6b5b1e', '#d14f84', '#4f5bd5', '#5b6675'];
  const T = window.teacher = { ready: false, polls: 0, state: null, errors: [], debriefDraws: 0 };

  let token = '';
  const labels = {}, units = {}, outputLabel = {};
  let exercises = [], scenarios = [], defaultScenario = '';
  let debriefKey = '', reference = null, referenceKey = '';

  const $ = (sel) => document.querySelector(sel);
  function h(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
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
  // short writes 5300000 as 5.3M, as the student page does.
  function short(v) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–';
    const sig = (x) => +Math.abs(x).toPrecision(3);
    const f = (x) => String(+(Math.round(sig(x) * 100) / 100));
    const r = sig(v), sign = v < 0 ? '-' : '';
    for (const [base, suffix] of [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']]) if (r >= base) return sign + f(v / base) + suffix;
    const t = f(v);
    return (t === '0' ? '' : sign) + t;
  }
  function fmt(v, unit) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–';
    switch (unit) {
      case 'fraction': return Math.round(v * 100) + '%';
      case 'months': return v.toFixed(1) + ' months';
      case 'USD': return '$' + short(v);
      case '': case '1': return short(v);
    }
    return short(v) + ' ' + unit;
  }
  const bare = (v, unit) => (unit === 'months' ? (Number.isFinite(v) ? v.toFixed(1) : '–') : fmt(v, unit).replace(/ .*$/, ''));

  async function api(method, path, body) {
    const headers = { Authorization: 'Bearer ' + token };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!r.ok) {
      let msg = `The server answered ${r.status}.`;
      try { msg = (await r.json()).error || msg; } catch (e) { /* not JSON */ }
      throw new Error(msg);
    }
    return r;
  }
  function status(text, bad) {
    const st = $('#teacher-status');
    st.textContent = text;
    st.className = bad ? 'class-error' : 'muted';
    if (bad) T.errors.push(text);
  }

  // ------------------------------------------------------------- the view

  function outputsShown(st) {
    const ex = exercises.find((x) => x.id === st.push.exercise);
    const keys = ex ? [...new Set((ex.checks || []).filter((c) => c.output).map((c) => c.output))] : [];
    for (const k of DEFAULT_OUTPUTS) if (!keys.includes(k)) keys.push(k);
    return keys.filter((k) => st.outputs.includes(k)).slice(0, 4);
  }

  function ago(t) {
    if (!t) return 'nothing sent yet';
    const sec = Math.max(0, Math.round((Date.now() - Date.parse(t)) / 1000));
    return sec < 60 ? `${sec} s ago` : `${Math.round(sec / 60)} min ago`;
  }

  function teamRow(t, shown, st) {
    const settings = t.settings.length ? h('ul', { class: 'settings' }, t.settings.map((x) =>
      h('li', { 'data-key': x.key }, h('span', { text: (labels[x.key] || x.key) + ': ' }), h('b', { text: x.value }))))
      : h('span', { class: 'empty', text: t.updated ? 'the preset as is' : '–' });
    const cells = shown.map((k) => {
      const o = t.outcomes[k];
      if (!o) return h('td', { class: 'num', 'data-output': k, text: '–' });
      return h('td', { class: 'num', 'data-output': k, 'data-p50': String(o.p50) }, h('b', { text: fmt(o.p50, o.unit) }),
        h('span', { class: 'range', text: `90%: ${bare(o.p05, o.unit)} to ${bare(o.p95, o.unit)}` }));
    });
    const preset = scenarios.find((x) => x.name === t.scenario);
    const remove = h('button', { type: 'button', class: 'remove', title: `Remove team ${t.name}`, 'aria-label': `Remove team ${t.name}`, text: '×',
      onclick: async () => {
        if (!window.confirm(`Remove team “${t.name}” from the class? Its page will ask to join again.`)) return;
        try { render(await (await api('POST', 'api/class/remove', { team: t.id })).json()); } catch (e) { status(e.message, true); }
      } });
    return h('tr', { 'data-team': t.name },
      h('td', {}, h('b', { text: t.name }), ' ', remove),
      h('td', { class: 'num' }, ago(t.updated), !t.current && st.push.seq ? h('span', { class: 'stale range', text: 'last push not loaded yet' }) : null),
      h('td', { text: preset ? preset.title : (t.scenario || '–') }),
      h('td', {}, settings), cells);
  }

  function renderTeams(st) {
    const root = $('#teams');
    root.textContent = '';
    if (!st.teams.length) { root.append(h('p', { class: 'empty', text: 'No team has joined yet.' })); return; }
    const shown = outputsShown(st);
    const head = h('tr', {}, h('th', { text: 'Team' }), h('th', { text: 'Updated' }), h('th', { text: 'Preset' }), h('th', { text: 'Settings changed' }),
      shown.map((k) => h('th', { text: `${outputLabel[k] || k}, ${st.push.at}` })));
    root.append(h('table', {}, h('caption', { class: 'visually-hidden', text: 'Every team: its settings and its outcomes (median and 90% range)' }),
      h('thead', {}, head), h('tbody', {}, st.teams.map((t) => teamRow(t, shown, st)))));
  }

  function render(st) {
    T.state = st;
    $('#code').textContent = st.code;
    $('#count').textContent = `${st.teams.length} of at most ${st.max_teams} teams`;
    $('#lock-state').textContent = st.locked ? 'Changes are locked: students cannot move the levers.' : '';
    $('#lock').textContent = st.locked ? 'Unlock changes' : 'Lock changes';
    const ex = exercises.find((x) => x.id === st.push.exercise), sc = scenarios.find((x) => x.name === st.push.scenario);
    $('#pushed').textContent = st.push.seq ? `Last loaded for all: ${ex ? 'exercise “' + ex.title + '”' : 'preset “' + (sc ? sc.title : st.push.scenario) + '”'}. ` +
      `Outcomes are read at ${st.push.at}.` : `Nothing loaded for all yet. Outcomes are read at ${st.push.at}.`;
    renderTeams(st);
    if (!$('#debrief').hidden) drawDebrief(st);
  }

  // poll fetches the view; with wait, the server answers when the class
  // changes after the version shown (or after a few seconds of quiet).
  let version = null;
  async function poll(wait) {
    try {
      const r = await api('GET', 'api/class/teacher' + (wait && version !== null ? '?since=' + version : ''));
      const st = await r.json();
      version = st.version;
      render(st);
      T.polls++;
      if ($('#teacher-status').className === 'class-error') status('');
      return true;
    } catch (e) {
      status('Cannot reach the class: ' + e.message, true);
      return false;
    }
  }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // follow keeps the view live: at most one view every MIN_MS however
  // busy the class, at once when it changes after a quiet spell.
  async function follow() {
    for (;;) {
      const t0 = performance.now();
      const ok = await poll(true);
      await sleep(Math.max(ok ? 0 : 2000, MIN_MS - (performance.now() - t0)));
    }
  }

  // ------------------------------------------------------- debrief chart

  function niceTicks(lo, hi, n) {
    const span = hi - lo || Math.abs(hi) || 1;
    const raw = span / n, p = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((x) => x >= raw) || 10 * p;
    const ticks = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
    return { ticks, lo: Math.floor(lo / step) * step, hi: Math.ceil(hi / step) * step };
  }

  // referencePoint is the pushed preset with no change, the chart's
  // yardstick, simulated once per preset.
  async function referencePoint(st) {
    const name = st.push.scenario || defaultScenario;
    const key = name + '@' + st.push.at;
    if (!name || referenceKey === key) return;
    referenceKey = key;
    try {
      const r = await fetch('api/simulate', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ scenario: name, runs: 200, seed: 1, outputs: [GAP, COST],
          from: (exercises.find((x) => x.id === st.push.exercise) || {}).from || '2026Q1' }) });
      const a = await r.json();
      const i = a.periods.indexOf(st.push.at);
      const pt = (k) => ({ p05: a.outputs[k].p05[i], p50: a.outputs[k].p50[i], p95: a.outputs[k].p95[i] });
      reference = { name: (scenarios.find((x) => x.name === name) || { title: name }).title, x: pt(COST), y: pt(GAP) };
      debriefKey = '';
      drawDebrief(T.state);
    } catch (e) { referenceKey = ''; }
  }

  function drawDebrief(st) {
    const teams = st.teams.filter((t) => t.outcomes[GAP] && t.outcomes[COST] && t.outcomes[GAP].p50 !== null && t.outcomes[COST].p50 !== null);
    const key = JSON.stringify([teams.map((t) => [t.name, t.outcomes[GAP], t.outcomes[COST]]), reference, window.innerWidth]);
    referencePoint(st);
    if (key === debriefKey) return;
    debriefKey = key;
    const root = $('#debrief-chart');
    root.textContent = '';
    const W = Math.max(560, Math.min(1100, root.clientWidth || 900)), H = Math.round(W * 0.56);
    const m = { l: 64, r: 24, t: 58, b: 58 };
    const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, 'font-family': FONT, role: 'img', id: 'debrief-svg' });
    const pts = teams.map((t) => ({ name: t.name, x: t.outcomes[COST], y: t.outcomes[GAP] }));
    const all = [...pts, ...(reference ? [reference] : [])];
    const xs = all.flatMap((p) => [p.x.p05, p.x.p95, p.x.p50]).filter(Number.isFinite);
    const ys = all.flatMap((p) => [p.y.p05, p.y.p95, p.y.p50]).filter(Number.isFinite);
    const tx = niceTicks(Math.min(0, ...xs), Math.max(1, ...xs), 6), ty = niceTicks(Math.min(0, ...ys), Math.max(1, ...ys), 6);
    const X = (v) => m.l + (v - tx.lo) / (tx.hi - tx.lo || 1) * (W - m.l - m.r);
    const Y = (v) => H - m.b - (v - ty.lo) / (ty.hi - ty.lo || 1) * (H - m.t - m.b);
    s('rect', { width: W, height: H, fill: '#fff' }, svg);
    s('text', { x: 16, y: 24, 'font-size': 17, 'font-weight': 700, fill: '#14304f' }, svg).textContent =
      `Every team's outcome in ${st.push.at}: the US lead against its cost`;
    s('text', { x: 16, y: 44, 'font-size': 12.5, fill: '#5b6675' }, svg).textContent =
      'Dot: the median of the team\'s runs; lines: the range 90% of runs fall in. Up: a longer US lead; right: a larger bill for US chip vendors.';
    const g = s('g', { 'font-size': 11.5, fill: '#5b6675' }, svg);
    for (const v of ty.ticks) {
      s('line', { x1: m.l, x2: W - m.r, y1: Y(v), y2: Y(v), stroke: v === 0 ? '#b9c0ca' : '#e6e9ee' }, g);
      s('text', { x: m.l - 6, y: Y(v) + 4, 'text-anchor': 'end' }, g).textContent = String(v);
    }
    for (const v of tx.ticks) {
      s('line', { x1: X(v), x2: X(v), y1: m.t, y2: H - m.b, stroke: v === 0 ? '#b9c0ca' : '#e6e9ee' }, g);
      s('text', { x: X(v), y: H - m.b + 16, 'text-anchor': 'middle' }, g).textContent = '$' + short(v);
    }
    s('text', { x: (m.l + W - m.r) / 2, y: H - 16, 'text-anchor': 'middle', 'font-size': 13, fill: '#1c2430' }, svg).textContent =
      `${outputLabel[COST] || 'US revenue foregone'} (US$, ${st.push.at})`;
    s('text', { x: 16, y: (m.t + H - m.b) / 2, 'text-anchor': 'middle', 'font-size': 13, fill: '#1c2430',
      transform: `rotate(-90 16 ${(m.t + H - m.b) / 2})` }, svg).textContent = `${outputLabel[GAP] || 'Frontier gap'} (months)`;
    // Labels go beside their dot, moved down or to the left where another
    // label already is: teams with the same settings share a dot.
    const placed = [];
    const place = (cx, cy, text) => {
      const w = text.length * 7.6 + 4, hgt = 15;
      for (let k = 0; k < 24; k++) {
        const right = k % 2 === 0, step = Math.floor(k / 2);
        const x = right ? cx + 9 : cx - 9 - w, y = cy - 8 + step * hgt;
        const box = { x, y: y - 12, w, h: hgt };
        if (x < m.l || x + w > W - 4) continue;
        if (!placed.some((b) => b.x < box.x + box.w && box.x < b.x + b.w && b.y < box.y + box.h && box.y < b.y + b.h)) {
          placed.push(box);
          return { x, y };
        }
      }
      return { x: cx + 9, y: cy - 8 };
    };
    const mark = (p, colour, cls, label) => {
      const grp = s('g', { class: cls, 'data-team': label }, svg);
      s('line', { x1: X(p.x.p05), x2: X(p.x.p95), y1: Y(p.y.p50), y2: Y(p.y.p50), stroke: colour, 'stroke-width': 1.6, opacity: 0.7 }, grp);
      s('line', { x1: X(p.x.p50), x2: X(p.x.p50), y1: Y(p.y.p05), y2: Y(p.y.p95), stroke: colour, 'stroke-width': 1.6, opacity: 0.7 }, grp);
      s('circle', { cx: X(p.x.p50), cy: Y(p.y.p50), r: 6, fill: colour, stroke: '#fff', 'stroke-width': 1.5 }, grp);
      const at = place(X(p.x.p50), Y(p.y.p50), label);
      s('text', { x: at.x, y: at.y, 'font-size': 13, 'font-weight': 600, fill: colour, stroke: '#fff', 'stroke-width': 3,
        'paint-order': 'stroke' }, grp).textContent = label;
      s('title', {}, grp).textContent = `${label}: gap ${fmt(p.y.p50, 'months')} (90% ${bare(p.y.p05, 'months')} to ${bare(p.y.p95, 'months')}), ` +
        `cost ${fmt(p.x.p50, 'USD')} (90% ${fmt(p.x.p05, 'USD')} to ${fmt(p.x.p95, 'USD')})`;
    };
    if (reference) mark(reference, '#8a94a3', 'reference', `${reference.name}, no change`);
    pts.forEach((p, i) => mark(p, PALETTE[i % PALETTE.length], 'team', p.name));
    svg.setAttribute('aria-label', `Debrief chart: ${pts.length} teams' frontier gap against cost in ${st.push.at}.`);
    root.append(svg);
    if (!pts.length) root.append(h('p', { class: 'empty', text: 'No team has sent results yet.' }));
    T.debriefDraws++;
  }

  // ------------------------------------------------------------- actions

  async function push(body, what) {
    try {
      const r = await api('POST', 'api/class/push', body);
      render(await r.json());
      status(`Loaded ${what} for every team.`);
    } catch (e) { status(e.message, true); }
  }

  async function exportCSV() {
    const r = await api('GET', 'api/class/export.csv');
    return r.text();
  }
  T.csv = exportCSV;

  function wire() {
    $('#push-preset-btn').addEventListener('click', () => push({ scenario: $('#push-preset').value }, 'the preset'));
    $('#push-exercise-btn').addEventListener('click', () => push({ exercise: $('#push-exercise').value }, 'the exercise'));
    $('#lock').addEventListener('click', async () => {
      try {
        const r = await api('POST', 'api/class/lock', { locked: !(T.state && T.state.locked) });
        render(await r.json());
      } catch (e) { status(e.message, true); }
    });
    $('#export').addEventListener('click', async () => {
      try {
        const text = await exportCSV();
        const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'text/csv' })),
          download: `chokepoint-class-${new Date().toISOString().slice(0, 10)}.csv` });
        document.body.append(a);
        a.click();
        setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      } catch (e) { status(e.message, true); }
    });
    $('#show-debrief').addEventListener('click', (e) => {
      const d = $('#debrief');
      d.hidden = !d.hidden;
      e.target.setAttribute('aria-expanded', String(!d.hidden));
      e.target.textContent = d.hidden ? 'Show debrief chart' : 'Hide debrief chart';
      debriefKey = '';
      if (!d.hidden && T.state) { drawDebrief(T.state); d.scrollIntoView({ block: 'start' }); }
    });
  }

  async function start() {
    const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
    if (m) {
      token = decodeURIComponent(m[1]);
      sessionStorage.setItem(STORE, token);
      history.replaceState(null, '', location.pathname);
    } else token = sessionStorage.getItem(STORE) || '';
    const host = location.hostname;
    $('#student-url').textContent = host === '127.0.0.1' || host === 'localhost' || host === '[::1]'
      ? 'the address chokepoint serve printed' : location.origin + '/';
    if (!token) { status('This page needs the teacher link chokepoint serve printed (it ends in #token=…).', true); return; }
    try {
      const get = async (u) => { const r = await fetch(u); if (!r.ok) throw new Error(`${u}: ${r.status}`); return r.json(); };
      const [lv, out, sc, ex] = await Promise.all([get('api/levers'), get('api/outputs'), get('api/scenarios'), get('exercises.json')]);
      for (const l of [...lv.levers, ...(lv.assumptions || []), ...(lv.params || [])]) { labels[l.key] = l.label || l.key; units[l.key] = l.unit; }
      for (const o of out.outputs) outputLabel[o.key] = o.label || (o.derived ? 'US revenue foregone, total since the policy' : o.key);
      const featured = (name) => out.outputs.filter((o) => (o.featured || []).includes(name)).map((o) => o.key);
      COST = featured('debrief-x')[0] || '';
      GAP = featured('debrief-y')[0] || '';
      DEFAULT_OUTPUTS = [...new Set([GAP, COST, ...featured('page-charts')])].filter(Boolean);
      scenarios = sc.scenarios;
      defaultScenario = sc.default;
      exercises = ex.exercises || [];
      for (const x of scenarios) $('#push-preset').append(h('option', { value: x.name, text: x.title }));
      $('#push-preset').value = sc.default;
      exercises.forEach((x, i) => $('#push-exercise').append(h('option', { value: x.id, text: `${i + 1}. ${x.title}` })));
    } catch (e) { status('The page could not start: ' + e.message, true); return; }
    wire();
    await poll(false);
    T.ready = true;
    follow();
    let resize = 0;
    window.addEventListener('resize', () => { clearTimeout(resize); resize = setTimeout(() => { debriefKey = ''; if (T.state) render(T.state); }, 150); });
  }
  start();
})();
