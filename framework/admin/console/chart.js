// A tiny line chart on canvas: series = [{label, color, points: [[x, y], ...]}]. No dependencies.
export function lineChart(canvas, series, { yLabel = '' } = {}) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 600, h = canvas.clientHeight || 220;
  canvas.width = w * dpr; canvas.height = h * dpr;
  const g = canvas.getContext('2d');
  g.scale(dpr, dpr);
  g.clearRect(0, 0, w, h);
  const all = series.flatMap(s => s.points);
  const pad = { l: 48, r: 10, t: 10, b: 22 };
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#6b7280';
  if (all.length === 0) { g.fillText('no data yet', w / 2 - 30, h / 2); return; }
  const xs = all.map(p => p[0]), ys = all.map(p => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  const y1 = Math.max(1, ...ys) * 1.1;
  const X = x => pad.l + (x - x0) / (x1 - x0) * (w - pad.l - pad.r);
  const Y = y => h - pad.b - y / y1 * (h - pad.t - pad.b);
  g.strokeStyle = '#e3e6eb'; g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = y1 * i / 4;
    g.beginPath(); g.moveTo(pad.l, Y(y)); g.lineTo(w - pad.r, Y(y)); g.stroke();
    g.fillText(y >= 100 ? y.toFixed(0) : y.toFixed(1), 4, Y(y) + 4);
  }
  g.fillText(new Date(x0).toLocaleTimeString(), pad.l, h - 6);
  const last = new Date(x1).toLocaleTimeString();
  g.fillText(last, w - pad.r - g.measureText(last).width, h - 6);
  if (yLabel) g.fillText(yLabel, pad.l + 4, pad.t + 10);
  for (const s of series) {
    g.strokeStyle = s.color; g.lineWidth = 2; g.beginPath();
    s.points.forEach((p, i) => (i ? g.lineTo(X(p[0]), Y(p[1])) : g.moveTo(X(p[0]), Y(p[1]))));
    g.stroke();
    if (s.points.length < 30) {
      g.fillStyle = s.color;
      for (const p of s.points) { g.beginPath(); g.arc(X(p[0]), Y(p[1]), 3, 0, 2 * Math.PI); g.fill(); }
    }
  }
}
