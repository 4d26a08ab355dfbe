// The current filter (shared by every layer and panel) and its mirror in the URL hash, so a
// view can be bookmarked or shared: #from=2015-01-01&to=2015-12-31&type=Battles&map=1.5,41,6
const FILTER_KEYS = ['from', 'to', 'type', 'actor', 'country', 'admin1', 'source', 'near', 'within'];
const LIST_KEYS = new Set(['type']);
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function emptyFilter() {
  return { from: '', to: '', type: [], actor: '', country: '', admin1: '', source: '', near: '', within: '' };
}

function clean(f) {
  const out = emptyFilter();
  for (const k of FILTER_KEYS) {
    const v = f[k];
    if (LIST_KEYS.has(k)) out[k] = (Array.isArray(v) ? v : String(v || '').split(','))
      .map((s) => s.trim()).filter(Boolean);
    else out[k] = v == null ? '' : String(v).trim();
  }
  if (out.from && !DATE_RE.test(out.from)) out.from = '';
  if (out.to && !DATE_RE.test(out.to)) out.to = '';
  if (!out.near || !out.within) { out.near = ''; out.within = ''; }
  return out;
}

/** Query parameters of docs/api.md "Shared filter parameters"; `omit` drops some keys. */
export function filterParams(f, omit = []) {
  const p = {};
  for (const k of FILTER_KEYS) {
    if (omit.includes(k)) continue;
    const v = f[k];
    if (Array.isArray(v) ? v.length : v) p[k] = Array.isArray(v) ? v.join(',') : v;
  }
  if (omit.includes('near') || omit.includes('within')) { delete p.near; delete p.within; }
  return p;
}

export function sameFilter(a, b) {
  return JSON.stringify(clean(a)) === JSON.stringify(clean(b));
}

class State extends EventTarget {
  constructor() {
    super();
    this.filter = emptyFilter();
    this.extra = {}; // non-filter hash entries: map view, open panel
  }

  /** Changes the filter; emits 'filter' (listeners debounce the refetch). */
  setFilter(patch, { replace = false } = {}) {
    const next = clean(replace ? { ...emptyFilter(), ...patch } : { ...this.filter, ...patch });
    if (sameFilter(next, this.filter)) return;
    this.filter = next;
    this.writeHash();
    this.dispatchEvent(new CustomEvent('filter', { detail: this.filter }));
  }

  setExtra(patch) {
    this.extra = { ...this.extra, ...patch };
    for (const [k, v] of Object.entries(this.extra)) if (v === '' || v == null) delete this.extra[k];
    this.writeHash();
  }

  hashString() {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(filterParams(this.filter))) p.set(k, v);
    for (const [k, v] of Object.entries(this.extra)) p.set(k, v);
    return p.toString();
  }

  writeHash() {
    const h = this.hashString();
    const target = h ? `#${h}` : location.pathname + location.search;
    if (location.hash.slice(1) !== h) history.replaceState(null, '', target);
  }

  /** Reads the hash; returns true when the filter changed. */
  readHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ''));
    const f = {}, extra = {};
    for (const [k, v] of p) {
      if (FILTER_KEYS.includes(k)) f[k] = v; else extra[k] = v;
    }
    this.extra = extra;
    const next = clean({ ...emptyFilter(), ...f });
    if (sameFilter(next, this.filter)) return false;
    this.filter = next;
    this.dispatchEvent(new CustomEvent('filter', { detail: this.filter }));
    return true;
  }
}

export const state = new State();
