// Weir console: plain ES modules, no framework. Every value from the server is inserted as text, never as HTML.
import { api, stream, token, setToken, clearToken, Unauthorized } from './api.js';
import { lineChart } from './chart.js';
import { catalogView } from './catalog.js';
import { explore } from './explore.js';

const $ = s => document.querySelector(s);
const view = $('#view');
let cleanup = [];

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}
const badge = (text, kind = '') => el('span', { class: 'badge ' + kind }, text);
const json = v => el('pre', {}, JSON.stringify(v, null, 2));
const fmt = n => (typeof n === 'number' ? (Number.isInteger(n) ? n.toLocaleString() : n.toFixed(2)) : n);
const time = ms => (ms ? new Date(ms).toLocaleTimeString() : '—');

function every(ms, fn) { fn(); const id = setInterval(fn, ms); cleanup.push(() => clearInterval(id)); }

async function guard(fn) {
  try { await fn(); } catch (e) {
    if (e instanceof Unauthorized) { clearToken(); showLogin('The token was refused.'); }
    else view.prepend(el('p', { class: 'error card' }, e.message));
  }
}

// ---- Overview ----
async function overview() {
  const stats = el('div', { class: 'grid', 'data-testid': 'overview-stats' });
  const canvas = el('canvas', { 'data-testid': 'rate-chart' });
  view.append(el('div', { class: 'card' }, el('h2', {}, 'Events per second, last hour'),
    el('div', { class: 'legend' }, el('span', { style: 'color:#2563eb' }, '■ in'), el('span', { style: 'color:#16a34a' }, '■ out')),
    canvas), stats);
  every(5000, () => guard(async () => {
    const o = await api('/overview');
    const pts = o.rates.points;
    lineChart(canvas, [
      { color: '#2563eb', points: pts.map(p => [p.at, p.in_per_second]) },
      { color: '#16a34a', points: pts.map(p => [p.at, p.out_per_second]) },
    ], { yLabel: 'events/s' });
    const s = o.store || {};
    const cards = [['Ready', o.ready ? 'yes' : 'no: ' + o.not_ready_reasons.join(', ')], ['Events in', o.rates.events_in_total],
      ['Events out', o.rates.events_out_total], ['Stored', s.stored], ['Duplicates', s.duplicates],
      ['Violations held', o.violations_held], ['Blocks in memory', s.blocks_in_memory], ['Chunks', s.chunks],
      ['Current batch', s.current_batch], ['Sources', o.sources], ['Destinations', o.destinations]];
    stats.replaceChildren(...cards.filter(c => c[1] !== undefined).map(([k, v]) => el('div', { class: 'stat' }, el('b', {}, fmt(v)), el('span', {}, k))));
  }));
}

// ---- Live debugger ----
async function debuggerView() {
  const sources = await api('/sources');
  const select = el('select', { 'data-testid': 'tap-source' }, el('option', { value: '' }, 'all sources'),
    sources.map(s => el('option', { value: s.id }, s.id)));
  const status = el('span', { class: 'muted' }, 'stopped');
  const rows = el('tbody', { 'data-testid': 'tap-rows' });
  const byInsert = new Map();
  let ctl = null, count = 0;
  const stop = () => { if (ctl) ctl.abort(); ctl = null; status.textContent = 'stopped'; };
  const start = () => {
    stop(); rows.replaceChildren(); byInsert.clear(); count = 0;
    const q = select.value ? '?source=' + encodeURIComponent(select.value) : '';
    status.textContent = 'listening…';
    ctl = stream('/tap' + q, (type, r) => {
      if (type === 'dropped') { status.textContent = `listening (${r.dropped} dropped: too fast to show)`; return; }
      if (r.stage === 'ingested') addRow(r); else addDelivery(r);
    }, e => { status.textContent = 'error: ' + e.message; });
  };
  function addRow(r) {
    const deliveries = el('span');
    const detail = el('tr', { hidden: true }, el('td', { colspan: 5 },
      r.violations.length ? el('div', {}, el('b', {}, 'Violations'), el('ul', {}, r.violations.map(v => el('li', {}, `${v.type} ${v.field}: ${v.message}`)))) : null,
      el('b', {}, 'Event'), json(r.event), el('div', { class: 'muted' }, 'request id ', r.request_id || '—')));
    const row = el('tr', { class: 'tap-row', 'data-testid': 'tap-row', onclick: () => { detail.hidden = !detail.hidden; } },
      el('td', {}, time(r.at)), el('td', {}, r.source), el('td', {}, r.event_type),
      el('td', {}, r.event.user_id || r.event.device_id || ''),
      el('td', {}, r.duplicate ? badge('duplicate', 'warn') : badge('new', 'ok'),
        r.violations.length ? badge(r.violations.length + ' violation(s)', 'bad') : null, deliveries));
    if (r.insert_id) byInsert.set(r.insert_id, deliveries);
    rows.prepend(detail); rows.prepend(row);
    if (++count > 200) { rows.lastChild.remove(); rows.lastChild.remove(); }
  }
  function addDelivery(r) {
    const cell = byInsert.get(r.insert_id);
    if (cell) cell.append(badge('→ ' + r.destination + ' ' + r.stage.replace('_', ' '), r.stage === 'delivered' ? 'ok' : 'bad'));
  }
  cleanup.push(stop);
  view.append(el('div', { class: 'card' },
    el('div', { class: 'row' }, el('h2', { style: 'margin:0' }, 'Live debugger'), select,
      el('button', { onclick: start, 'data-testid': 'tap-start' }, 'Start'), el('button', { class: 'secondary', onclick: stop }, 'Stop'), status),
    el('p', { class: 'muted' }, 'Events as they pass the source. Click a row for its JSON, violations and request id.'),
    el('table', {}, el('thead', {}, el('tr', {}, ['Time', 'Source', 'Event', 'User', 'Outcome'].map(h => el('th', {}, h)))), rows)));
}

// ---- Destinations ----
// POST /workspace/reload: what was applied, or why nothing was (422 with located problems).
function workspaceReloadCard() {
  const out = el('div', { class: 'muted', 'data-testid': 'workspace-reload-result' });
  const names = (label, ids) => ids && ids.length ? [label + ': ' + ids.join(', ')] : [];
  const reload = async () => {
    out.className = 'muted';
    try {
      const r = await api('/workspace/reload', { method: 'POST' });
      const s = r.sources || {};
      const parts = [...names('added', r.added), ...names('restarted', r.restarted), ...names('reconfigured', r.reconfigured),
        ...names('removed', r.removed), ...names('sources added', s.added), ...names('sources restarted', s.restarted), ...names('sources removed', s.removed)];
      out.replaceChildren('Reloaded: ' + (parts.length ? parts.join('; ') : 'nothing changed'));
    } catch (e) {
      if (e.status !== 422 || !e.data) throw e;
      out.className = 'error';
      out.replaceChildren('Refused, nothing changed:', el('ul', {}, e.data.problems.map(p => el('li', {}, (p.where || p.file) + ' ' + (p.path || '') + ': ' + p.message))));
    }
  };
  return el('div', { class: 'card' }, el('div', { class: 'row' }, el('h2', { style: 'margin:0' }, 'Workspace'),
    el('button', { 'data-testid': 'workspace-reload', onclick: () => guard(reload) }, 'Reload workspace')),
    el('p', { class: 'muted' }, 'Re-reads the workspace file and applies added, changed and removed sources and destinations (docs/plugins.md).'), out);
}

async function destinations() {
  const list = el('div');
  view.append(workspaceReloadCard(), list);
  const history = new Map();
  const render = async () => {
    const ds = await api('/destinations');
    list.replaceChildren(...await Promise.all(ds.map(async d => {
      const s = d.status;
      const card = el('div', { class: 'card', 'data-testid': 'destination-' + d.id });
      if (!s) { card.append(el('h3', {}, d.id), el('p', { class: 'muted' }, d.kind + ' (batch export)'), json(d.settings)); return card; }
      const h = history.get(d.id) || []; h.push([Date.now(), s.lag_events, s.latency_p99_ms]); if (h.length > 180) h.shift(); history.set(d.id, h);
      const toggle = s.state === 'paused'
        ? el('button', { 'data-testid': 'resume-' + d.id, onclick: () => guard(async () => { await api(`/destinations/${d.id}/resume`, { method: 'POST' }); await render(); }) }, 'Resume')
        : el('button', { class: 'secondary', 'data-testid': 'pause-' + d.id, onclick: () => guard(async () => { await api(`/destinations/${d.id}/pause`, { method: 'POST' }); await render(); }) }, 'Pause');
      const lag = el('canvas'), lat = el('canvas');
      const dl = await api(`/destinations/${d.id}/dead-letters?limit=20`);
      card.append(
        el('div', { class: 'row' }, el('h3', { style: 'margin:0' }, d.id), el('span', { class: 'muted' }, d.connector),
          el('span', { 'data-testid': 'state-' + d.id }, badge(s.state, s.state === 'running' ? 'ok' : 'warn')), toggle),
        el('div', { class: 'grid' }, [['delivered', s.delivered], ['retrying', s.retrying], ['dead-lettered', s.dead_lettered],
          ['events/s', s.events_per_second], ['lag (events)', s.lag_events], ['lag (s)', s.lag_seconds],
          ['p50 ms', s.latency_p50_ms], ['p99 ms', s.latency_p99_ms]].map(([k, v]) => el('div', { class: 'stat' }, el('b', {}, fmt(v)), el('span', {}, k)))),
        s.last_error ? el('p', { class: 'error' }, 'Last error at ', time(s.last_error_at), ': ', s.last_error) : el('p', { class: 'muted' }, 'No errors.'),
        el('div', { class: 'two' }, el('div', {}, el('b', {}, 'Lag (events)'), lag), el('div', {}, el('b', {}, 'Latency p99 (ms)'), lat)),
        el('div', { class: 'row' }, el('b', {}, `Dead letters (${dl.total})`),
          dl.total ? el('button', { onclick: () => guard(async () => { await api(`/destinations/${d.id}/dead-letters/redeliver`, { method: 'POST', body: {} }); await render(); }) }, 'Redeliver all') : null),
        dl.dead_letters.length ? el('table', {}, el('tr', {}, ['When', 'Reason', 'Status', 'Response', 'Event', ''].map(x => el('th', {}, x))),
          dl.dead_letters.map(x => el('tr', {}, el('td', {}, time(x.dead_lettered_at)), el('td', {}, x.reason), el('td', {}, x.last_status_code || ''),
            el('td', {}, x.response), el('td', {}, x.event.event_type),
            el('td', {}, el('button', { class: 'secondary', onclick: () => guard(async () => { await api(`/destinations/${d.id}/dead-letters/redeliver`, { method: 'POST', body: { ids: [x.id] } }); await render(); }) }, 'Redeliver'))))) : null,
        el('details', {}, el('summary', {}, 'Settings (secrets masked)'), json(d.settings)));
      requestAnimationFrame(() => {
        lineChart(lag, [{ color: '#b45309', points: h.map(p => [p[0], p[1]]) }]);
        lineChart(lat, [{ color: '#7c3aed', points: h.map(p => [p[0], p[2]]) }]);
      });
      return card;
    })));
  };
  every(3000, () => guard(render));
}

// ---- Governance ----
async function governance() {
  const plans = await api('/tracking-plans');
  const v = (await api('/violations?limit=1000')).violations;
  const groups = new Map();
  for (const r of v) for (const x of r.violations) {
    const key = r.event_type + ' · ' + (x.field || '(event)') + ' · ' + x.type;
    const g = groups.get(key) || { key, count: 0, last: r.at, sample: r.sample, message: x.message, times: [] };
    g.count++; g.times.push(Date.parse(r.at)); groups.set(key, g);
  }
  const reloadOut = el('span', { class: 'muted' });
  const canvas = el('canvas');
  view.append(
    el('div', { class: 'card' }, el('div', { class: 'row' }, el('h2', { style: 'margin:0' }, 'Tracking plans'),
      el('button', { onclick: () => guard(async () => { const r = await api('/tracking-plans/reload', { method: 'POST' }); reloadOut.textContent = 'reloaded: ' + r.loaded.join(', '); }) }, 'Reload'), reloadOut),
      el('table', {}, el('tr', {}, el('th', {}, 'Plan'), el('th', {}, 'Versions')), plans.plans.map(p => el('tr', {}, el('td', {}, p.id), el('td', {}, p.versions.join(', ')))))),
    el('div', { class: 'card' }, el('h2', {}, `Violations over time (${v.length} recent)`), canvas),
    el('div', { class: 'card', 'data-testid': 'violation-groups' }, el('h2', {}, 'By event and field'),
      el('table', {}, el('tr', {}, ['Event · field · type', 'Count', 'Last seen', 'Message / sample'].map(h => el('th', {}, h))),
        [...groups.values()].sort((a, b) => b.count - a.count).map(g => el('tr', {}, el('td', {}, g.key), el('td', {}, g.count), el('td', {}, new Date(g.last).toLocaleTimeString()),
          el('td', {}, g.message, el('details', {}, el('summary', {}, 'sample payload'), json(g.sample))))))));
  const buckets = new Map();
  for (const r of v) { const m = Math.floor(Date.parse(r.at) / 60000) * 60000; buckets.set(m, (buckets.get(m) || 0) + 1); }
  lineChart(canvas, [{ color: '#b91c1c', points: [...buckets.entries()].sort((a, b) => a[0] - b[0]) }], { yLabel: 'per minute' });
}

// ---- Partner definitions ----
async function definitions() {
  const defs = await api('/definitions');
  const select = el('select', { 'data-testid': 'definition' }, defs.map(d => el('option', { value: d.id }, `${d.id} (${d.versions.join(', ')})`)));
  const settings = el('textarea', { rows: 4, 'data-testid': 'dry-settings' }, '{}');
  const events = el('textarea', { rows: 8, 'data-testid': 'dry-events' },
    '{"event_type":"Viewed Item","user_id":"u-1","insert_id":"s-1","time":1700000000000,"event_properties":{"sku":"X1"}}');
  const out = el('div', { 'data-testid': 'dry-output' });
  const render = () => guard(async () => {
    out.replaceChildren(el('p', { class: 'muted' }, 'rendering…'));
    const text = events.value.trim();
    const list = text.startsWith('[') ? JSON.parse(text) : text.split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
    try {
      const r = await api(`/definitions/${encodeURIComponent(select.value)}/dry-run`, { method: 'POST', body: { settings: JSON.parse(settings.value || '{}'), events: list } });
      out.replaceChildren(el('p', {}, `${r.definition} ${r.version}: ${r.requests.length} request(s)`),
        r.token_request ? el('div', { class: 'rendered', 'data-testid': 'token-request' },
          el('b', {}, `${r.token_request.method} ${r.token_request.url}`), el('span', { class: 'muted' }, `  OAuth2 token request: ${r.token_request.caching}`),
          el('pre', {}, Object.entries(r.token_request.headers).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n\n' + r.token_request.body)) : '',
        ...r.requests.map(q => el('div', { class: 'rendered', 'data-testid': 'rendered-request' },
          el('b', {}, `${q.method} ${q.url}`), el('span', { class: 'muted' }, `  action ${q.action}, events ${q.events.join(', ')}`),
          el('pre', {}, Object.entries(q.headers).map(([k, v]) => `${k}: ${v}`).join('\n') + (q.body ? '\n\n' + q.body : '')))),
        Object.keys(r.rejected).length ? el('p', { class: 'error' }, 'Rejected: ' + Object.entries(r.rejected).map(([i, w]) => `#${i} ${w}`).join('; ')) : '',
        r.skipped.length ? el('p', { class: 'muted' }, 'No action for events ' + r.skipped.join(', ')) : '');
    } catch (e) { if (e instanceof Unauthorized) throw e; out.replaceChildren(el('p', { class: 'error' }, e.message)); }
  });
  const table = el('table', {}, el('tr', {}, ['Id', 'Name', 'Kind', 'Partner', 'Versions', 'Auth'].map(h => el('th', {}, h))),
    defs.map(d => el('tr', {}, el('td', {}, d.id), el('td', {}, d.name), el('td', {}, d.kind), el('td', {}, d.partner || ''), el('td', {}, d.versions.join(', ')), el('td', {}, d.auth || ''))));
  view.append(el('div', { class: 'card' }, el('h2', {}, 'Installed definitions'), table),
    el('div', { class: 'card' }, el('h2', {}, 'Dry run'), el('p', { class: 'muted' }, 'Paste sample events (one JSON object per line, or an array) and settings; nothing is sent.'),
      el('div', { class: 'row' }, select, el('button', { onclick: render, 'data-testid': 'dry-run' }, 'Render requests')),
      el('div', { class: 'two' }, el('div', {}, el('b', {}, 'Settings (JSON)'), settings), el('div', {}, el('b', {}, 'Events'), events)), out));
}

// ---- Audience syncs ----
async function audiences() {
  const table = el('table', { 'data-testid': 'audiences' });
  const result = el('p', { class: 'muted', 'data-testid': 'audience-sync-result' });
  const load = async () => {
    const r = await api('/audiences');
    table.replaceChildren(el('tr', {}, ['Audience', 'Destination', 'Members', 'Last sync', 'Last error', ''].map(h => el('th', {}, h))),
      ...r.audiences.map(a => el('tr', { 'data-testid': 'audience-' + a.name },
        el('td', {}, a.name), el('td', {}, a.destination),
        el('td', { 'data-testid': 'members-' + a.name }, a.members < 0 ? '—' : fmt(a.members)),
        el('td', {}, a.last_sync ? new Date(a.last_sync).toLocaleString() : 'never'),
        el('td', { class: a.last_error ? 'error' : '' }, a.last_error || ''),
        el('td', {}, el('button', { 'data-testid': 'sync-' + a.name, onclick: () => guard(async () => {
          const s = await api(`/audiences/${encodeURIComponent(a.name)}/sync`, { method: 'POST', body: {} });
          result.textContent = `${s.name}: ${fmt(s.members)} members, ${fmt(s.entered)} entered, ${fmt(s.left)} left`;
          await load();
        }) }, 'Sync now')))));
    if (!r.audiences.length) table.append(el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No audiences: list audience files under audiences: in the workspace (docs/exports.md).')));
  };
  view.append(el('div', { class: 'card' }, el('h2', {}, 'Audience syncs'),
    el('p', { class: 'muted' }, 'Each audience is recomputed on its schedule; who entered and who left is sent to its destination.'), table, result));
  await load();
}

const catalog = () => catalogView(view, el, guard);
const views = { overview, debugger: debuggerView, destinations, governance, definitions, audiences, catalog, explore: () => explore({ view, el, every, guard }) };

async function route() {
  cleanup.forEach(f => f()); cleanup = [];
  view.replaceChildren();
  if (!token()) return showLogin();
  $('#login').hidden = true; $('#nav').hidden = false; $('#logout').hidden = false;
  const name = (location.hash || '#overview').slice(1);
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active', a.getAttribute('href') === '#' + name));
  await guard(() => (views[name] || overview)());
}

function showLogin(message = '') {
  $('#nav').hidden = true; $('#logout').hidden = true; $('#login').hidden = false;
  view.replaceChildren();
  $('#login-error').textContent = message;
}

$('#login').addEventListener('submit', async ev => {
  ev.preventDefault();
  setToken($('#token').value.trim());
  $('#token').value = '';
  try { await api('/overview'); route(); } catch (e) { clearToken(); showLogin(e instanceof Unauthorized ? 'The token was refused.' : e.message); }
});
$('#logout').addEventListener('click', () => { clearToken(); showLogin(); });
window.addEventListener('hashchange', route);
route();
