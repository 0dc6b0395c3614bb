// Connector catalog page: every installed connector and definition, a settings form built from each
// setting's description, example and format (secrets only as ${env:NAME} references), and a dry run.
import { api, Unauthorized } from './api.js';

const SECRET_REF = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

const SAMPLES = {
  advertising: [{ event_type: 'Order Completed', user_id: 'u-42', insert_id: 'sample-1', time: 1700000000000, revenue: 49.9, currency: 'EUR',
    ip: '203.0.113.7', user_properties: { email: ' Jane.Doe@Example.com ', phone: '+1 (555) 010-9999' }, event_properties: { order_id: 'A-1', gclid: 'Cj0-sample' } }],
  analytics: [{ event_type: 'Signed Up', user_id: 'u-42', device_id: 'd-1', insert_id: 'sample-1', time: 1700000000000, event_properties: { plan: 'pro' } }],
  crm: [{ event_type: '$identify', user_id: 'u-42', insert_id: 'sample-1', time: 1700000000000, user_properties: { email: 'jane@example.com', first_name: 'Jane' } },
    { event_type: 'Viewed Pricing', user_id: 'u-42', insert_id: 'sample-2', time: 1700000001000, user_properties: { email: 'jane@example.com' }, event_properties: { plan: 'pro' } }],
  messaging: [{ event_type: 'Order Completed', user_id: 'u-42', insert_id: 'sample-1', time: 1700000000000, revenue: 250, currency: 'USD' },
    { event_type: 'Payment Failed', insert_id: 'sample-2', time: 1700000000000, event_properties: { component: 'payments-api', message: 'timeouts' } }],
};
SAMPLES.marketing = SAMPLES.crm;
const sampleFor = c => SAMPLES[c] || SAMPLES.analytics;

export async function catalogView(view, el, guard) {
  const { entries } = await api('/catalog');
  const detail = el('div', { 'data-testid': 'catalog-detail' });
  const rows = entries.map(e => el('tr', { 'data-testid': 'catalog-row-' + e.id },
    el('td', {}, el('a', { href: '#catalog', onclick: ev => { ev.preventDefault(); guard(() => open(e)); } }, e.id)),
    el('td', {}, e.name, ' ', el('span', { class: 'muted' }, e.version)),
    el('td', {}, e.category), el('td', {}, e.origin === 'java' ? 'Java connector' : 'definition'),
    el('td', {}, e.auth), el('td', {}, e.batching), el('td', {}, e.deletion || 'no')));
  view.append(el('div', { class: 'card' }, el('h2', {}, `Catalog (${entries.length})`),
    el('p', { class: 'muted' }, 'Every installed connector and partner definition. Pick one to fill in its settings and dry-run sample events.'),
    el('table', { 'data-testid': 'catalog' }, el('tr', {}, ['Id', 'Name', 'Category', 'Kind', 'Auth', 'Batching', 'User deletion'].map(h => el('th', {}, h))), rows)),
    detail);

  function open(e) {
    const inputs = new Map();
    const fields = e.settings.map(s => {
      let input;
      if (s.type.startsWith('enum') || s.type.startsWith('string (')) {
        const values = (s.type.match(/\((.*)\)/) || [, ''])[1].split(' | ').filter(Boolean);
        input = el('select', { 'data-testid': 'setting-' + s.name }, el('option', { value: '' }, s.defaultValue ? `default: ${s.defaultValue}` : '—'),
          values.map(v => el('option', { value: v }, v)));
      } else if (s.type === 'boolean') {
        input = el('select', { 'data-testid': 'setting-' + s.name }, el('option', { value: '' }, s.defaultValue ? `default: ${s.defaultValue}` : '—'),
          el('option', { value: 'true' }, 'true'), el('option', { value: 'false' }, 'false'));
      } else {
        input = el('input', { 'data-testid': 'setting-' + s.name, placeholder: s.example || s.defaultValue || '', title: s.description,
          type: 'text', autocomplete: 'off', spellcheck: 'false' });
      }
      inputs.set(s.name, { s, input });
      return el('label', { class: 'setting' },
        el('b', {}, s.name, s.required ? ' *' : ''), s.secret ? el('span', { class: 'badge warn' }, 'secret: ${env:NAME} only') : '',
        el('span', { class: 'muted' }, ` ${s.type}${s.format ? ' · ' + s.format : ''}`), input,
        el('small', {}, s.description, s.example ? ` Example: ${s.example}` : ''));
    });
    const problems = el('div', { class: 'error', 'data-testid': 'form-problems' });
    const events = el('textarea', { rows: 8, 'data-testid': 'catalog-events' }, sampleFor(e.category).map(x => JSON.stringify(x)).join('\n'));
    const out = el('div', { 'data-testid': 'catalog-output' });
    const yaml = el('pre', { 'data-testid': 'catalog-yaml' });

    function collect() {
      const settings = {}; const errs = [];
      for (const [name, { s, input }] of inputs) {
        const raw = input.value.trim();
        if (!raw) { if (s.required) errs.push(`${name} is required`); continue; }
        if (s.secret && !SECRET_REF.test(raw)) { errs.push(`${name} is a secret: enter a reference such as \${env:${name.toUpperCase()}}, not the value`); continue; }
        if (s.type === 'boolean') settings[name] = raw === 'true';
        else if (s.type === 'integer' || s.type === 'number') settings[name] = Number(raw);
        else if (s.type === 'array') settings[name] = raw.split(',').map(x => x.trim()).filter(Boolean);
        else settings[name] = raw;
      }
      problems.replaceChildren(...errs.map(x => el('div', {}, x)));
      yaml.textContent = `- id: my-${e.id}\n  ${e.origin === 'java' ? 'connector: ' + e.id : 'definition: ' + e.id + '@' + e.version.split('.')[0] + '.x'}\n  settings:\n`
        + Object.entries(settings).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`).join('\n');
      return errs.length ? null : settings;
    }

    const dryRun = () => guard(async () => {
      const settings = collect();
      if (!settings) return;
      out.replaceChildren(el('p', { class: 'muted' }, 'rendering…'));
      try {
        const text = events.value.trim();
        const list = text.startsWith('[') ? JSON.parse(text) : text.split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
        const r = await api(`/definitions/${encodeURIComponent(e.id)}/dry-run`, { method: 'POST', body: { settings, events: list } });
        out.replaceChildren(el('p', {}, `${r.requests.length} request(s); nothing was sent.`),
          ...r.requests.map(q => el('div', { class: 'rendered', 'data-testid': 'catalog-request' },
            el('b', {}, `${q.method} ${q.url}`), el('span', { class: 'muted' }, `  action ${q.action}, events ${q.events.join(', ')}`),
            el('pre', {}, Object.entries(q.headers).map(([k, v]) => `${k}: ${v}`).join('\n') + (q.body ? '\n\n' + q.body : '')))),
          r.skipped.length ? el('p', { class: 'muted' }, 'No action for events ' + r.skipped.join(', ')) : '',
          Object.keys(r.rejected).length ? el('p', { class: 'error' }, 'Rejected: ' + Object.entries(r.rejected).map(([i, w]) => `#${i} ${w}`).join('; ')) : '');
      } catch (err) { if (err instanceof Unauthorized) throw err; out.replaceChildren(el('p', { class: 'error' }, err.message)); }
    });
    const validate = () => guard(async () => {
      const settings = collect();
      if (!settings) return;
      const r = await api(`/connectors/${encodeURIComponent(e.id)}/validate`, { method: 'POST', body: { settings } });
      out.replaceChildren(r.valid ? el('p', {}, 'Settings are valid.') : el('div', { class: 'error' }, r.errors.map(x => el('div', {}, `${x.path || ''}: ${x.message}`))));
    });

    detail.replaceChildren(el('div', { class: 'card' },
      el('h2', { 'data-testid': 'catalog-title' }, `${e.name} (${e.id} ${e.version})`),
      e.description ? el('p', {}, e.description) : '',
      e.docsUrl ? el('p', { class: 'muted' }, 'Reference: ', el('a', { href: e.docsUrl, target: '_blank', rel: 'noopener' }, e.docsUrl)) : '',
      el('p', { class: 'muted' }, `Auth: ${e.auth} · Batching: ${e.batching} · User deletion: ${e.deletion || 'not forwarded'}`),
      el('div', { class: 'settings-form' }, fields), problems,
      e.origin === 'definition'
        ? el('div', {}, el('b', {}, 'Sample events (one JSON object per line)'), events,
          el('button', { onclick: dryRun, 'data-testid': 'catalog-dry-run' }, 'Dry run with sample events'))
        : el('button', { onclick: validate, 'data-testid': 'catalog-validate' }, 'Validate settings'),
      out, el('details', {}, el('summary', {}, 'workspace.yaml snippet'), yaml)));
    collect();
    detail.scrollIntoView();
  }
}
