// Timeline of event counts (/api/timeline) under the map. Interval follows the time window:
// days under 120 days, weeks under 3 years, else months. Dragging across the chart sets the
// time window (from/to) that filters the map and everything else.
import { api } from '../core/api.js';
import { filterParams } from '../core/state.js';
import { h, fmt } from '../core/dom.js';

const DAY = 864e5;
const toMs = (d) => Date.parse(`${d}T00:00:00Z`);
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

export function intervalFor(from, to) {
  if (!from || !to) return 'month';
  const days = (toMs(to) - toMs(from)) / DAY + 1;
  if (!(days > 0)) return 'month';
  if (days < 120) return 'day';
  if (days < 3 * 365) return 'week';
  return 'month';
}

function nextStart(ms, interval) {
  const d = new Date(ms);
  if (interval === 'day') d.setUTCDate(d.getUTCDate() + 1);
  else if (interval === 'week') d.setUTCDate(d.getUTCDate() + 7);
  else if (interval === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.getTime();
}

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// Axis labels as analysts write dates: "2015", "Mar 2015", "30 Mar" (UTC).
function axisLabels(self, splits, axisIdx, space, incr) {
  let lastYear = null;
  return splits.map((ts) => {
    if (ts == null) return null;
    const d = new Date(ts * 1000);
    const y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate();
    const newYear = y !== lastYear;
    lastYear = y;
    if (incr >= 360 * 86400) return String(y);
    if (incr >= 28 * 86400) return m === 0 || newYear ? `${MON[m]} ${y}` : MON[m];
    return newYear ? `${day} ${MON[m]} ${y}` : `${day} ${MON[m]}`;
  });
}

const WORDS = { day: 'per day', week: 'per week', month: 'per month', year: 'per year' };

export default {
  id: 'timeline',
  title: 'Timeline',
  slot: 'bottom',
  create(ctx, el) {
    const title = h('h2', { class: 'timeline-title', text: 'Events over time' });
    const total = h('span', { class: 'timeline-total', 'aria-live': 'polite' });
    const allBtn = h('button', { type: 'button', text: 'All time', title: 'Clear the time window',
      onclick: () => ctx.state.setFilter({ from: '', to: '' }) });
    const outBtn = h('button', { type: 'button', text: 'Zoom out', title: 'Widen the time window three times',
      onclick: () => zoomOut() });
    const hint = h('span', { class: 'hint', text: 'Drag across the chart to choose a time window.' });
    const chartEl = h('div', { class: 'timeline-chart', role: 'img', 'aria-label': 'Bar chart of events over time' });
    el.append(h('div', { class: 'timeline-head' }, title, total, hint, h('span', { class: 'spacer' }), outBtn, allBtn), chartEl);

    let u = null;
    let buckets = [];
    let interval = 'month';
    let windowFrom = '', windowTo = '';
    let xEnd = 0;

    function zoomOut() {
      const f = ctx.state.filter;
      const a = f.from || ctx.info.from, b = f.to || ctx.info.to;
      if (!a || !b) return;
      const span = toMs(b) - toMs(a) + DAY;
      let from = toMs(a) - span, to = toMs(b) + span;
      if (ctx.info.from && from <= toMs(ctx.info.from)) from = NaN;
      if (ctx.info.to && to >= toMs(ctx.info.to)) to = NaN;
      ctx.state.setFilter({ from: Number.isNaN(from) ? '' : iso(from), to: Number.isNaN(to) ? '' : iso(to) });
    }

    function onSelect(self) {
      const sel = self.select;
      if (sel.width < 3 || !buckets.length) return;
      const a = self.posToVal(sel.left, 'x') * 1000;
      const b = self.posToVal(sel.left + sel.width, 'x') * 1000;
      self.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
      // Snap to whole buckets, clamped to the current window.
      let from = toMs(buckets[0].start), to = xEnd - DAY;
      for (const bk of buckets) {
        const s = toMs(bk.start);
        if (s <= a) from = s;
        if (s <= b) to = nextStart(s, interval) - DAY;
      }
      if (windowFrom && from < toMs(windowFrom)) from = toMs(windowFrom);
      if (windowTo && to > toMs(windowTo)) to = toMs(windowTo);
      if (to < from) return;
      ctx.state.setFilter({ from: iso(from), to: iso(to) });
    }

    function size() {
      return { width: Math.max(200, chartEl.clientWidth), height: Math.max(80, chartEl.clientHeight || 110) };
    }

    function draw() {
      const xs = buckets.map((b) => toMs(b.start) / 1000);
      const ys = buckets.map((b) => Number(b.events) || 0);
      const labels = buckets.map((b) => b.label || b.start);
      xEnd = buckets.length ? nextStart(toMs(buckets[buckets.length - 1].start), interval) : 0;
      const xMin = xs.length ? xs[0] : 0, xMax = xEnd / 1000;
      if (u) { u.destroy(); u = null; }
      chartEl.replaceChildren();
      const opts = {
        ...size(),
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
        scales: {
          x: { time: true, range: () => [xMin, xMax > xMin ? xMax : xMin + 86400] },
          y: { range: (self, min, max) => [0, Math.max(1, max)] },
        },
        series: [
          { label: interval === 'week' ? 'Week' : interval === 'day' ? 'Day' : 'Month',
            value: (self, v, si, i) => (i == null ? '—' : labels[i] ?? '') },
          { label: 'Events', stroke: '#b34700', fill: 'rgba(213,94,0,0.55)', width: 1,
            paths: uPlot.paths.bars({ size: [0.92, 60], align: 1 }), points: { show: false },
            value: (self, v) => (v == null ? '—' : fmt.format(v)) },
        ],
        axes: [
          { stroke: '#444', grid: { stroke: '#eee' }, ticks: { stroke: '#ccc' }, values: axisLabels, space: 60 },
          { stroke: '#444', size: 44, grid: { stroke: '#eee' }, ticks: { stroke: '#ccc' } },
        ],
        cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
        select: { show: true },
        legend: { show: true, live: true },
        hooks: { setSelect: [onSelect] },
      };
      u = new uPlot(opts, [xs, ys], chartEl);
      ctx.hook.timelineBuckets = buckets.length;
    }

    let resizeFrame = 0;
    new ResizeObserver(() => {
      cancelAnimationFrame(resizeFrame);
      resizeFrame = requestAnimationFrame(() => { if (u) u.setSize(size()); });
    }).observe(chartEl);

    return {
      async refresh(filter, signal) {
        windowFrom = filter.from;
        windowTo = filter.to;
        interval = intervalFor(filter.from || ctx.info.from, filter.to || ctx.info.to);
        const data = await api('/api/timeline', {
          params: { ...filterParams(filter), interval }, signal, what: 'Loading the timeline' });
        if (signal.aborted) return;
        buckets = Array.isArray(data?.buckets) ? data.buckets.filter((b) => b && typeof b.start === 'string') : [];
        if (data?.interval) interval = data.interval;
        const n = Number(data?.total?.events ?? buckets.reduce((s, b) => s + (Number(b.events) || 0), 0));
        const dead = Number(data?.total?.fatalities);
        total.textContent = `${fmt.format(n)} events${Number.isFinite(dead) ? `, ${fmt.format(dead)} fatalities` : ''}, ${WORDS[interval] || interval}`;
        ctx.counts.set('timeline', n);
        draw();
      },
    };
  },
};
