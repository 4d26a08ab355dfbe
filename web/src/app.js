// tahadhari dashboard: wires the map, the registered layers and panels (plugins.js), the shared
// filter (core/state.js, mirrored in the URL hash) and the refresh cycle.
//
// Every layer and panel gets the same `ctx`:
//   ctx.map            the Leaflet map
//   ctx.state          the filter state (state.filter, state.setFilter(patch), 'filter' events)
//   ctx.info           /api/info (or {} when it could not be read)
//   ctx.status         .set(key, message, 'error'|'info'|'ok') / .clear(key): the message bar
//   ctx.counts         .set('map'|'timeline', n, extra): the counts in the top bar
//   ctx.layer(id)      another layer's object; ctx.panel(id) another panel's object
//   ctx.showPanel(id, arg)  open a side panel (calls its show(arg))
//   ctx.refresh()      refetch everything now; ctx.reloadInfo() re-reads /api/info (calls onInfo)
//   ctx.hook           window.__tahadhari (read by tests; no behaviour depends on it)
import { api, url } from './core/api.js';
import { settings } from './core/settings.js';
import { state, filterParams } from './core/state.js';
import { h, fmt, debounce } from './core/dom.js';
import { layers as layerDefs, panels as panelDefs } from './plugins.js';

const AUTH_MESSAGE = 'This server needs a token before it shows any data. Enter your token in Settings.';
const DEFAULT_VIEW = { center: [1.0, 41.0], zoom: 6 }; // the Kenya–Somalia border

const hook = (window.__tahadhari = {
  ready: false, busy: 0, refreshes: 0, pointsDrawn: 0, pointsLoaded: 0,
  lastCounts: { map: null, timeline: null }, errors: [], newsOnMap: [],
});

// ---------------------------------------------------------------- status bar
const statusEl = document.getElementById('status');
const messages = new Map();
const status = {
  set(key, message, kind = 'error') {
    messages.set(key, { message, kind });
    if (kind === 'error') hook.errors.push(message);
    render();
  },
  clear(key) { if (messages.delete(key)) render(); },
};
function render() {
  statusEl.replaceChildren();
  for (const [key, { message, kind }] of messages) {
    statusEl.append(h('div', { class: `msg msg-${kind}`, role: kind === 'error' ? 'alert' : null },
      h('span', { text: message }),
      h('button', { type: 'button', class: 'msg-close', 'aria-label': 'Dismiss message',
        onclick: () => status.clear(key) }, '×')));
  }
  statusEl.hidden = messages.size === 0;
}

// ---------------------------------------------------------------- counts
const countsEl = document.getElementById('counts');
const countValues = { map: null, timeline: null, unlocated: 0 };
const counts = {
  set(which, n, extra = {}) {
    countValues[which] = n;
    if (which === 'map') countValues.unlocated = extra.unlocated || 0;
    hook.lastCounts = { map: countValues.map, timeline: countValues.timeline };
    const parts = [];
    if (countValues.map !== null) {
      let s = `${fmt.format(countValues.map)} event${countValues.map === 1 ? '' : 's'} on the map`;
      if (countValues.unlocated) s += ` (+${fmt.format(countValues.unlocated)} without coordinates)`;
      parts.push(s);
    }
    if (countValues.timeline !== null) parts.push(`${fmt.format(countValues.timeline)} in the timeline`);
    countsEl.textContent = parts.join(' · ');
  },
};

// ---------------------------------------------------------------- map
function viewFromHash() {
  const m = /^(-?[\d.]+),(-?[\d.]+),([\d.]+)$/.exec(state.extra.map || '');
  return m ? { center: [Number(m[1]), Number(m[2])], zoom: Number(m[3]) } : null;
}

state.readHash();
const startView = viewFromHash() || DEFAULT_VIEW;
const map = L.map('map', { zoomControl: true, worldCopyJump: false, minZoom: 2, maxZoom: 16 })
  .setView(startView.center, startView.zoom);
map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a> · borders: Natural Earth');
L.control.scale({ imperial: false }).addTo(map);
let sizeFrame = 0;
new ResizeObserver(() => {
  cancelAnimationFrame(sizeFrame);
  sizeFrame = requestAnimationFrame(() => map.invalidateSize({ pan: false }));
}).observe(map.getContainer());
map.on('moveend', () => {
  const c = map.getCenter();
  state.setExtra({ map: `${c.lat.toFixed(4)},${c.lng.toFixed(4)},${map.getZoom()}` });
});

// ---------------------------------------------------------------- ctx, layers, panels
const layerObjs = new Map();
const panelObjs = new Map();
const ctx = {
  map, state, status, counts, hook, info: {},
  layer: (id) => layerObjs.get(id),
  panel: (id) => panelObjs.get(id),
  showPanel: (id, arg) => showPanel(id, arg),
  refresh: () => refreshNow(),
};

const overlays = {};
for (const def of layerDefs) {
  try {
    const obj = def.create(ctx);
    layerObjs.set(def.id, obj);
    if (obj.layer && def.defaultOn !== false) obj.layer.addTo(map);
    if (obj.layer && def.label) overlays[def.label] = obj.layer;
  } catch (err) {
    console.error(err);
    status.set(`layer-${def.id}`, `The map layer "${def.label || def.id}" could not start: ${err.message}`);
  }
}
L.control.layers(null, overlays, { collapsed: true, position: 'topright' }).addTo(map);

const tabsEl = document.getElementById('panel-tabs');
const bodyEl = document.getElementById('panel-body');
const bottomEl = document.getElementById('bottom');
const tabs = new Map();
for (const def of panelDefs) {
  const bottom = def.slot === 'bottom';
  const el = h('section', { class: `panel panel-${def.id}`, id: `panel-${def.id}`, 'aria-label': def.title });
  if (bottom) {
    bottomEl.append(el);
  } else {
    const tab = h('button', { type: 'button', role: 'tab', id: `tab-${def.id}`, class: 'tab',
      'aria-controls': `panel-${def.id}`, 'aria-selected': 'false', text: def.title,
      onclick: () => showPanel(def.id) });
    el.setAttribute('role', 'tabpanel');
    el.setAttribute('aria-labelledby', `tab-${def.id}`);
    el.hidden = true;
    tabsEl.append(tab);
    bodyEl.append(el);
    tabs.set(def.id, { tab, el });
  }
  try {
    panelObjs.set(def.id, def.create(ctx, el) || {});
  } catch (err) {
    console.error(err);
    el.append(h('p', { class: 'error', text: `This panel could not start: ${err.message}` }));
    panelObjs.set(def.id, {});
  }
}
tabsEl.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
  const ids = [...tabs.keys()];
  const cur = ids.indexOf(state.extra.panel || ids[0]);
  const next = ids[(cur + (e.key === 'ArrowRight' ? 1 : ids.length - 1)) % ids.length];
  showPanel(next);
  tabs.get(next).tab.focus();
});

function showPanel(id, arg) {
  if (!tabs.has(id)) return;
  for (const [pid, { tab, el }] of tabs) {
    const on = pid === id;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    el.hidden = !on;
  }
  document.body.dataset.panel = id;
  state.setExtra({ panel: id === panelDefs[0].id ? '' : id });
  const obj = panelObjs.get(id);
  if (obj && obj.show) obj.show(arg);
}

// ---------------------------------------------------------------- refresh cycle
let controller = null;
const refreshSoon = debounce(() => refreshNow(), 250);
async function refreshNow() {
  hook.pending = false;
  refreshSoon.cancel?.();
  if (controller) controller.abort();
  const c = (controller = new AbortController());
  const filter = state.filter;
  const jobs = [];
  let authFailed = false;
  const run = (name, obj) => {
    if (!obj || typeof obj.refresh !== 'function') return;
    hook.busy++;
    jobs.push(Promise.resolve()
      .then(() => obj.refresh(filter, c.signal))
      .then(() => status.clear(`refresh-${name}`))
      .catch((err) => {
        if (err && err.name === 'AbortError') return;
        if (err && err.status === 401) { authFailed = true; status.clear(`refresh-${name}`); return; }
        console.error(err);
        status.set(`refresh-${name}`, err.message || String(err));
      })
      .finally(() => { hook.busy--; }));
  };
  for (const [id, obj] of layerObjs) run(`layer-${id}`, obj);
  for (const [id, obj] of panelObjs) run(`panel-${id}`, obj);
  await Promise.all(jobs);
  if (c.signal.aborted) return;
  if (authFailed) {
    status.set('auth', AUTH_MESSAGE);
    if (countValues.map === null) countsEl.textContent = 'No data shown: a token is needed';
  }
  else status.clear('auth');
  hook.refreshes++;
}
state.addEventListener('filter', () => { hook.pending = true; refreshSoon(); });

window.addEventListener('hashchange', () => {
  state.readHash(); // emits 'filter' if it changed
  const v = viewFromHash();
  if (v) {
    const c = map.getCenter();
    if (Math.abs(c.lat - v.center[0]) > 1e-3 || Math.abs(c.lng - v.center[1]) > 1e-3 || map.getZoom() !== v.zoom) {
      map.setView(v.center, v.zoom);
    }
  }
  if (state.extra.panel && tabs.has(state.extra.panel)) showPanel(state.extra.panel);
});

// ---------------------------------------------------------------- top bar actions
document.getElementById('copy-link').addEventListener('click', async (e) => {
  const btn = e.currentTarget;
  try {
    await navigator.clipboard.writeText(location.href);
    btn.textContent = 'Link copied';
  } catch {
    window.prompt('Copy this link to share the view:', location.href);
  }
  setTimeout(() => { btn.textContent = 'Copy link'; }, 2000);
});

document.getElementById('download-geojson').addEventListener('click', async (e) => {
  const btn = e.currentTarget;
  btn.disabled = true;
  try {
    const features = [];
    let next = url('/collections/events/items', { ...filterParams(state.filter), limit: 10000 });
    let matched = null;
    for (let page = 0; next && page < 1000; page++) {
      status.set('download', `Downloading events… ${fmt.format(features.length)}${matched !== null ? ` of ${fmt.format(matched)}` : ''}`, 'info');
      const fc = await api(next, { what: 'Download GeoJSON' });
      if (matched === null && Number.isFinite(fc?.numberMatched)) matched = fc.numberMatched;
      const got = Array.isArray(fc?.features) ? fc.features : [];
      features.push(...got);
      const link = (fc?.links || []).find((l) => l.rel === 'next');
      next = got.length && link && link.href ? new URL(link.href, location.href) : null;
    }
    const f = state.filter;
    const name = `tahadhari-events${f.from ? '-' + f.from : ''}${f.to ? '-to-' + f.to : ''}.geojson`;
    const blob = new Blob([JSON.stringify({ type: 'FeatureCollection', features })],
      { type: 'application/geo+json' });
    const a = h('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    status.set('download', `Downloaded ${fmt.format(features.length)} events as ${name}.`, 'ok');
    setTimeout(() => status.clear('download'), 6000);
  } catch (err) {
    status.set('download', err.message || String(err));
  } finally {
    btn.disabled = false;
  }
});

document.getElementById('download-csv').addEventListener('click', async (e) => {
  const btn = e.currentTarget;
  btn.disabled = true;
  const pageSize = 10000;
  try {
    const parts = [];
    let rows = 0;
    for (let page = 0; page < 1000; page++) {
      status.set('download', `Downloading events as CSV… ${fmt.format(rows)}`, 'info');
      const target = url('/collections/events/items',
        { ...filterParams(state.filter), limit: pageSize, offset: page * pageSize, f: 'csv' });
      const headers = {};
      const token = settings.get('token');
      if (token) headers.Authorization = `Bearer ${token}`;
      const res = await fetch(target, { headers, cache: 'no-store' });
      if (!res.ok) throw new Error(`Download CSV: the server answered ${res.status}.`);
      const text = await res.text();
      const lines = text.split('\n');
      // Every page repeats the header row; keep the first one only.
      const body = page === 0 ? text : lines.slice(1).join('\n');
      const got = lines.filter((l) => l.length > 0).length - 1;
      if (got > 0 || page === 0) parts.push(body);
      rows += Math.max(0, got);
      if (got < pageSize) break;
    }
    const f = state.filter;
    const name = `tahadhari-events${f.from ? '-' + f.from : ''}${f.to ? '-to-' + f.to : ''}.csv`;
    const blob = new Blob(parts, { type: 'text/csv' });
    const a = h('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    status.set('download', `Downloaded ${fmt.format(rows)} events as ${name}.`, 'ok');
    setTimeout(() => status.clear('download'), 6000);
  } catch (err) {
    status.set('download', err.message || String(err));
  } finally {
    btn.disabled = false;
  }
});

// ---------------------------------------------------------------- start
async function loadInfo() {
  try {
    ctx.info = (await api('/api/info', { what: 'Reading the store summary' })) || {};
    status.clear('info');
    status.clear('auth');
  } catch (err) {
    ctx.info = {};
    if (err.status === 401) status.set('auth', AUTH_MESSAGE);
    else status.set('info', err.message);
  }
  hook.info = ctx.info;
  for (const obj of [...layerObjs.values(), ...panelObjs.values()]) {
    if (obj && typeof obj.onInfo === 'function') obj.onInfo(ctx.info);
  }
}
ctx.reloadInfo = loadInfo;

async function start() {
  await loadInfo();
  showPanel(state.extra.panel && tabs.has(state.extra.panel) ? state.extra.panel : panelDefs[0].id);
  await refreshNow();
  hook.ready = true;
}
start();
