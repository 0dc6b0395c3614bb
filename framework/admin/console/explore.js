// Explore: segmentation (chart + table) and funnel (bars with conversion) over the real-time store,
// re-run every few seconds so they follow events as they arrive. Values are inserted as text only.
import { api } from './api.js';
import { lineChart } from './chart.js';

const COLORS = ['#2563eb', '#16a34a', '#b45309', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#6b7280'];
const RANGES = { '15 minutes': 900e3, '1 hour': 3600e3, '6 hours': 6 * 3600e3, '24 hours': 86400e3 };

export async function explore({ view, el, every, guard }) {
  const input = (attrs) => el('input', attrs);
  const select = (attrs, options) => el('select', attrs, options.map(o => el('option', { value: o }, o)));
  // ---- segmentation ----
  const event = input({ 'data-testid': 'seg-event', placeholder: 'event type (any)', list: 'explore-events' });
  const metric = select({ 'data-testid': 'seg-metric' }, ['count', 'uniques', 'sum', 'avg', 'min', 'max']);
  const metricProp = input({ 'data-testid': 'seg-metric-property', placeholder: 'event_properties.price', hidden: true });
  metric.addEventListener('change', () => { metricProp.hidden = ['count', 'uniques'].includes(metric.value); });
  const groupBy = input({ 'data-testid': 'seg-group-by', placeholder: 'group by (e.g. platform)' });
  const limit = input({ type: 'number', min: 0, max: 1000, value: 5, style: 'width:5rem', title: 'top N groups, rest as (other)' });
  const bucket = select({ 'data-testid': 'seg-bucket' }, ['minute', 'hour', 'day']);
  const range = select({ 'data-testid': 'seg-range' }, Object.keys(RANGES));
  range.value = '1 hour';
  const fProp = input({ 'data-testid': 'seg-filter-property', placeholder: 'filter property' });
  const fOp = select({ 'data-testid': 'seg-filter-op' }, ['eq', 'ne', 'in', 'not_in', 'lt', 'le', 'gt', 'ge', 'contains', 'exists']);
  const fValue = input({ 'data-testid': 'seg-filter-value', placeholder: 'value (a,b for in)' });
  const segStatus = el('span', { class: 'muted', 'data-testid': 'seg-status' });
  const canvas = el('canvas', { 'data-testid': 'seg-chart' });
  const legend = el('div', { class: 'legend' });
  const table = el('table', { 'data-testid': 'seg-table' });
  let segQuery = null;

  const scalar = v => (v !== '' && !isNaN(Number(v)) ? Number(v) : v);
  function filters() {
    if (!fProp.value.trim()) return [];
    const f = { property: fProp.value.trim(), op: fOp.value };
    if (['in', 'not_in'].includes(fOp.value)) f.values = fValue.value.split(',').map(s => scalar(s.trim()));
    else if (fOp.value !== 'exists') f.value = scalar(fValue.value.trim());
    return [f];
  }
  function buildSegmentation() {
    const to = Date.now() + 1000;
    const q = { type: 'segmentation', from: to - RANGES[range.value], to, bucket: bucket.value, metric: metric.value, filters: filters() };
    if (event.value.trim()) q.event_type = event.value.trim();
    if (!metricProp.hidden) q.metric_property = metricProp.value.trim();
    if (groupBy.value.trim()) { q.group_by = groupBy.value.trim(); q.limit = Number(limit.value || 0); }
    return q;
  }
  async function runSegmentation() {
    if (!segQuery) return;
    const q = { ...segQuery, to: Date.now() + 1000 };
    q.from = q.to - RANGES[range.value];
    let r;
    try { r = await api('/store/query', { method: 'POST', body: q }); } catch (e) { segStatus.textContent = e.message; segStatus.className = 'error'; return; }
    segStatus.className = 'muted';
    segStatus.textContent = `updated ${new Date().toLocaleTimeString()}`;
    const label = g => (g === '' ? q.metric : g);
    const series = r.groups.map((g, i) => ({ color: COLORS[i % COLORS.length], label: label(g),
      points: Object.entries(r.series[g]).map(([b, v]) => [Number(b), v]).sort((a, b) => a[0] - b[0]) }));
    lineChart(canvas, series, { yLabel: q.metric });
    legend.replaceChildren(...series.map(s => el('span', { style: 'color:' + s.color }, '■ ' + s.label)));
    const buckets = [...new Set(series.flatMap(s => s.points.map(p => p[0])))].sort((a, b) => b - a);
    const fmt = v => (v === undefined ? '' : Number.isInteger(v) ? v.toLocaleString() : v.toFixed(2));
    table.replaceChildren(
      el('tr', {}, el('th', {}, 'Bucket'), r.groups.map(g => el('th', {}, label(g)))),
      el('tr', { class: 'total', 'data-testid': 'seg-total' }, el('td', {}, el('b', {}, 'Total')), r.groups.map(g => el('td', {}, el('b', {}, fmt(r.totals[g]))))),
      ...buckets.map(b => el('tr', { 'data-testid': 'seg-row' }, el('td', {}, new Date(b).toLocaleString()),
        r.groups.map(g => el('td', {}, fmt(r.series[g][String(b)]))))));
  }

  // ---- funnel ----
  const steps = el('textarea', { rows: 3, 'data-testid': 'funnel-steps', placeholder: 'one event type per line' });
  const windowMin = input({ type: 'number', min: 0, value: 60, style: 'width:6rem', 'data-testid': 'funnel-window' });
  const hold = input({ placeholder: 'hold constant (optional)', 'data-testid': 'funnel-hold' });
  const fRange = select({ 'data-testid': 'funnel-range' }, Object.keys(RANGES));
  fRange.value = '1 hour';
  const bars = el('div', { 'data-testid': 'funnel-bars' });
  const funnelStatus = el('span', { class: 'muted' });
  let funnelQuery = null;
  function buildFunnel() {
    const names = steps.value.split('\n').map(s => s.trim()).filter(Boolean);
    const q = { type: 'funnel', steps: names.map(n => ({ event_type: n })), conversion_window_ms: Number(windowMin.value || 0) * 60000 };
    if (hold.value.trim()) q.hold_constant = hold.value.trim();
    return q;
  }
  async function runFunnel() {
    if (!funnelQuery) return;
    const to = Date.now() + 1000;
    const q = { ...funnelQuery, from: to - RANGES[fRange.value], to };
    let r;
    try { r = await api('/store/query', { method: 'POST', body: q }); } catch (e) { funnelStatus.textContent = e.message; funnelStatus.className = 'error'; return; }
    funnelStatus.className = 'muted';
    funnelStatus.textContent = `updated ${new Date().toLocaleTimeString()}`;
    const top = Math.max(1, r.users_per_step[0] || 0);
    bars.replaceChildren(...r.users_per_step.map((n, i) => {
      const med = r.median_ms_to_step[i];
      return el('div', { class: 'funnel-step', 'data-testid': 'funnel-step' },
        el('div', { class: 'funnel-label' }, el('b', {}, `${i + 1}. ${q.steps[i].event_type}`),
          el('span', { class: 'muted' }, ` ${n.toLocaleString()} users · ${(100 * r.conversion[i]).toFixed(1)}%` +
            (i > 0 ? ` of step 1 · ${r.users_per_step[i - 1] ? (100 * n / r.users_per_step[i - 1]).toFixed(1) : '0.0'}% of previous` : '') +
            (med != null ? ` · median ${(med / 1000).toFixed(1)} s` : ''))),
        el('div', { class: 'funnel-track' }, el('div', { class: 'funnel-bar', style: `width:${(100 * n / top).toFixed(1)}%` })));
    }));
  }

  const eventList = el('datalist', { id: 'explore-events' });
  view.append(eventList,
    el('div', { class: 'card' },
      el('div', { class: 'row' }, el('h2', { style: 'margin:0' }, 'Segmentation'), segStatus),
      el('div', { class: 'row' }, event, metric, metricProp, bucket, range, groupBy, limit),
      el('div', { class: 'row' }, el('span', { class: 'muted' }, 'where'), fProp, fOp, fValue,
        el('button', { 'data-testid': 'seg-run', onclick: () => guard(async () => { segQuery = buildSegmentation(); await runSegmentation(); }) }, 'Run')),
      legend, canvas, table),
    el('div', { class: 'card' },
      el('div', { class: 'row' }, el('h2', { style: 'margin:0' }, 'Funnel'), funnelStatus),
      el('div', { class: 'two' }, steps, el('div', {},
        el('div', { class: 'row' }, el('span', { class: 'muted' }, 'conversion window (min)'), windowMin),
        el('div', { class: 'row' }, hold, fRange,
          el('button', { 'data-testid': 'funnel-run', onclick: () => guard(async () => { funnelQuery = buildFunnel(); await runFunnel(); }) }, 'Run')))),
      bars));
  // suggest event types seen in the last day
  guard(async () => {
    const r = await api('/store/query', { method: 'POST', body: { type: 'segmentation', bucket: 'day', group_by: 'event_type', limit: 50 } });
    eventList.replaceChildren(...r.groups.filter(g => g !== '(other)').map(g => el('option', { value: g })));
  });
  every(3000, () => guard(async () => { await runSegmentation(); await runFunnel(); }));
}
