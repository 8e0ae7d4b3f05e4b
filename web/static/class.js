// chokepoint classroom page, class mode (chokepoint serve --class): the
// team joins with the class code, sends its settings after each redraw,
// and follows what the teacher pushes or locks. It does nothing when the
// server runs no class. The page itself (app.js) knows only one hook:
// window.chokepoint.onDraw, called with the request it just drew.
'use strict';
(() => {
  const app = window.chokepoint;
  if (!app) return;
  const STORE = 'chokepoint-class'; // per tab: two tabs are two teams
  const POLL_MS = 1500, SEND_MS = 500;
  const cls = app.class = { joined: false, team: '', locked: false, applied: 0, sent: 0, errors: [] };
  let me = null;          // {class, team, token, applied}
  let last = null;        // the last request drawn
  let lastSent = 0, timer = 0, sending = false, again = false;
  let bar = null;

  const $ = (sel) => document.querySelector(sel);
  function h(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of kids.flat()) if (c !== null && c !== undefined) e.append(c);
    return e;
  }
  async function call(method, path, body) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (me && me.token) headers.Authorization = 'Bearer ' + me.token;
    if (method === 'POST' && me) headers['X-Class-Push'] = String(me.applied || 0);
    const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let j = null;
    try { j = await r.json(); } catch (e) { j = null; }
    return { status: r.status, body: j };
  }
  const save = () => sessionStorage.setItem(STORE, JSON.stringify(me));

  // ------------------------------------------------------------- joining

  function joinForm(info) {
    const err = h('p', { class: 'class-error', role: 'alert' });
    const code = h('input', { id: 'class-code', name: 'code', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false',
      placeholder: 'ABCD-EFGH', maxlength: '12', required: true });
    const team = h('input', { id: 'class-team', name: 'team', autocomplete: 'off', maxlength: '40', required: true, placeholder: 'Team Blue' });
    const form = h('form', { class: 'class-join', id: 'class-join' },
      h('h2', { text: 'Join the class' }),
      h('p', { text: 'Type the class code your teacher shows and a name for your team. Your teacher will see your ' +
        'team\'s settings and results, and can load a preset or an exercise for everyone.' }),
      h('label', { for: 'class-code', text: 'Class code' }), code,
      h('label', { for: 'class-team', text: 'Team name' }), team,
      h('div', { class: 'class-actions' }, h('button', { type: 'submit', id: 'class-submit', text: 'Join' }),
        h('button', { type: 'button', id: 'class-skip', text: 'Explore on my own', onclick: () => { overlay.remove(); } })),
      err);
    const overlay = h('div', { class: 'class-overlay', id: 'class-overlay', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'class-join-h' }, form);
    form.querySelector('h2').id = 'class-join-h';
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      err.textContent = '';
      const r = await call('POST', 'api/class/join', { code: code.value, team: team.value });
      if (r.status !== 201) {
        err.textContent = (r.body && r.body.error) || `The server answered ${r.status}.`;
        return;
      }
      me = { class: info.class, team: r.body.team, token: r.body.token, applied: 0 };
      save();
      overlay.remove();
      joined(r.body);
    });
    document.body.append(overlay);
    code.focus();
  }

  function joined(news) {
    cls.joined = true;
    cls.team = me.team;
    bar = h('div', { class: 'class-bar', id: 'class-bar', role: 'status', 'aria-live': 'polite' });
    document.body.prepend(bar);
    follow(news);
    send();
    setInterval(poll, POLL_MS);
  }

  // ---------------------------------------------------- following the class

  function showBar() {
    bar.textContent = '';
    bar.append(h('span', { class: 'class-team', text: 'Team ' + me.team }),
      h('span', { text: cls.locked ? 'Your teacher has paused changes: the settings are locked.' :
        'Your settings and results are shared with your teacher.' }));
    bar.classList.toggle('locked', cls.locked);
  }

  function lock(on) {
    cls.locked = on;
    // inert keeps every control of the page still, whatever app.js
    // enables when it syncs a lever.
    for (const sel of ['#controls', '#toolbar']) { const e = $(sel); if (e) e.inert = on; }
    showBar();
    if (!on) schedule();
  }

  // apply loads what the teacher pushed through the page's own controls,
  // as a student choosing it would.
  function apply(push) {
    const pick = (sel, v) => {
      const e = $(sel);
      if (!e || ![...e.options].some((o) => o.value === v)) return false;
      e.value = v;
      e.dispatchEvent(new Event('change'));
      return true;
    };
    if (push.exercise) pick('#exercise', push.exercise);
    else if (push.scenario) pick('#preset', push.scenario);
    me.applied = push.seq;
    cls.applied = push.seq;
    save();
  }

  function follow(news) {
    if (!news) return;
    if (news.push && news.push.seq > (me.applied || 0)) {
      if (app.ready) apply(news.push); else setTimeout(() => follow(news), 200);
    }
    if (news.locked !== cls.locked || !bar.textContent) lock(news.locked);
  }

  async function poll() {
    let r;
    try { r = await call('GET', 'api/class/team'); } catch (e) { return; } // the server restarting: try next time
    if (r.status === 403) { leave('Your team is no longer in this class; join again.'); return; }
    if (r.status === 200) follow(r.body);
  }

  function leave(why) {
    sessionStorage.removeItem(STORE);
    cls.errors.push(why);
    location.reload();
  }

  // ------------------------------------------------------------- sending

  // schedule sends the last drawn settings at most every SEND_MS.
  function schedule() {
    if (!cls.joined || cls.locked) return;
    clearTimeout(timer);
    timer = setTimeout(send, Math.max(0, lastSent + SEND_MS - performance.now()));
  }
  async function send() {
    if (!last || !cls.joined || cls.locked) return;
    if (sending) { again = true; return; }
    sending = true;
    lastSent = performance.now();
    try {
      const r = await call('POST', 'api/class/team', last);
      if (r.status === 200) cls.sent++;
      else if (r.status === 423) lock(true);
      else if (r.status === 403) leave('Your team is no longer in this class; join again.');
      else cls.errors.push((r.body && r.body.error) || String(r.status));
    } catch (e) {
      cls.errors.push(e.message);
    } finally {
      sending = false;
    }
    if (again) { again = false; schedule(); }
  }

  app.onDraw = (body) => { last = body; schedule(); };

  async function start() {
    let info;
    try {
      const r = await fetch('api/class');
      if (!r.ok) return; // no class on this server
      info = await r.json();
    } catch (e) { return; }
    if (!info.class) return;
    document.head.append(h('link', { rel: 'stylesheet', href: 'class.css' }));
    try { me = JSON.parse(sessionStorage.getItem(STORE) || 'null'); } catch (e) { me = null; }
    if (me && me.class === info.class) {
      const r = await call('GET', 'api/class/team');
      if (r.status === 200) { joined(r.body); return; }
    }
    me = null;
    joinForm(info);
  }
  start();
})();
