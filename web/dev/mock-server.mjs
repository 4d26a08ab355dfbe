#!/usr/bin/env node
// A small stand-in for `tahadhari serve`, for dashboard (UI) work only. It follows docs/api.md
// closely enough to drive web/dist, but it is NOT the reference: the C++ server is.
//
//   node dev/mock-server.mjs [--port 8090] [--web dist] [--events FILE.geojson]
//                            [--synthetic N] [--boundaries FILE.geojson] [--extract]
//                            [--token TOKEN] [--read-token-required] [--delay MS]
//
// --events      a FeatureCollection as printed by `tahadhari events --format geojson`
//               (otherwise N synthetic events around the Kenya–Somalia border, default 5000)
// --extract     answer POST /api/extract with a naive place/keyword matcher (otherwise 501)
// --token       the editor token accepted for writes (default "dev-token")
// --delay       add latency to every API answer (to see loading states)
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync, createReadStream } from 'node:fs';
import { dirname, join, normalize, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const o = { port: 8090, web: join(here, '..', 'dist'), synthetic: 5000, token: 'dev-token',
    extract: false, readTokenRequired: false, delay: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--port') o.port = Number(next());
    else if (a === '--web') o.web = resolve(next());
    else if (a === '--events') o.events = resolve(next());
    else if (a === '--synthetic') o.synthetic = Number(next());
    else if (a === '--boundaries') o.boundaries = resolve(next());
    else if (a === '--extract') o.extract = true;
    else if (a === '--token') o.token = next();
    else if (a === '--read-token-required') o.readTokenRequired = true;
    else if (a === '--delay') o.delay = Number(next());
    else if (a === '--help' || a === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 15)
        .map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else { console.error(`mock-server: unknown argument ${a}`); process.exit(2); }
  }
  return o;
}
const opt = parseArgs(process.argv.slice(2));

// ---------------------------------------------------------------- data
const TYPES = {
  'Battles': ['Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'],
  'Violence against civilians': ['Attack', 'Abduction/forced disappearance'],
  'Explosions/Remote violence': ['Remote explosive/landmine/IED', 'Grenade', 'Shelling/artillery/missile attack'],
  'Riots': ['Violent demonstration', 'Mob violence'],
  'Protests': ['Peaceful protest', 'Protest with intervention'],
  'Strategic developments': ['Arrests', 'Headquarters or base established', 'Disrupted weapons use'],
};
const PLACES = [
  ['Garissa', 'KEN', 'Garissa', -0.4532, 39.6461], ['Dadaab', 'KEN', 'Garissa', 0.0531, 40.3086],
  ['Lamu', 'KEN', 'Lamu', -2.2717, 40.902], ['Mpeketoni', 'KEN', 'Lamu', -2.3906, 40.6969],
  ['Mandera', 'KEN', 'Mandera', 3.9366, 41.867], ['Elwak', 'KEN', 'Mandera', 2.8028, 40.9275],
  ['Wajir', 'KEN', 'Wajir', 1.7471, 40.0573], ['Liboi', 'KEN', 'Garissa', 0.3539, 40.8703],
  ['Kismayo', 'SOM', 'Lower Juba', -0.3582, 42.5454], ['Afmadow', 'SOM', 'Lower Juba', 0.5135, 42.0738],
  ['Dhobley', 'SOM', 'Lower Juba', 0.4072, 41.0128], ['Bardhere', 'SOM', 'Gedo', 2.3394, 42.2843],
  ['Beled Hawo', 'SOM', 'Gedo', 3.9256, 41.8719], ['Mogadishu', 'SOM', 'Banadir', 2.0469, 45.3182],
  ['Baidoa', 'SOM', 'Bay', 3.1136, 43.6498], ['Nairobi', 'KEN', 'Nairobi', -1.2864, 36.8172],
  ['Mombasa', 'KEN', 'Mombasa', -4.0435, 39.6682],
];
const ACTORS = ['Al Shabaab', 'Military Forces of Kenya (2013-2022)', 'Police Forces of Kenya (2013-2022)',
  'Military Forces of Somalia (2017-2022)', 'Civilians (Kenya)', 'Civilians (Somalia)',
  'AMISOM: African Union Mission in Somalia (2007-2022)', 'Unidentified Armed Group (Kenya)',
  'Protesters (Kenya)', 'Rioters (Kenya)'];
const SOURCES = ['acled', 'ucdp', 'gdelt2'];

function rng(seed) {
  let s = seed >>> 0;
  return () => { s = (s + 0x6D2B79F5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

function synthetic(n) {
  const r = rng(42);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const t0 = Date.UTC(2010, 0, 1), t1 = Date.UTC(2024, 5, 30);
  const typeNames = Object.keys(TYPES);
  const out = [];
  for (let i = 1; i <= n; i++) {
    const p = pick(PLACES);
    const type = pick(typeNames);
    const date = new Date(t0 + r() * (t1 - t0)).toISOString().slice(0, 10);
    const spread = r() < 0.7 ? 0.15 : 1.2;
    const lat = +(p[3] + (r() - 0.5) * spread).toFixed(4);
    const lon = +(p[4] + (r() - 0.5) * spread).toFixed(4);
    const source = pick(SOURCES);
    const fat = source === 'gdelt2' ? null : (r() < 0.6 ? 0 : Math.floor(r() * 12));
    const a1 = pick(ACTORS), a2 = pick(ACTORS);
    out.push({
      fid: i, source, source_id: `${source.toUpperCase()}-${100000 + i}`, date_start: date, date_end: date,
      date_precision: 'day', event_type: type, sub_event_type: pick(TYPES[type]),
      source_event_code: source === 'acled' ? '' : source === 'ucdp' ? 'ucdp:1' : 'cameo:190',
      mapping_lossy: source !== 'acled', actor1: a1, actor1_category: '', assoc_actor1: '',
      actor2: a2, actor2_category: '', assoc_actor2: '', country_iso3: p[1], admin1: p[2], admin2: '',
      place: p[0], latitude: r() < 0.01 ? null : lat, longitude: lon, geo_precision: 'exact',
      fatalities: fat, fatalities_low: null, fatalities_high: null,
      reported_by: source === 'gdelt2' ? 'example.org' : 'Synthetic Daily',
      notes: `Synthetic event ${i}: ${a1} and ${a2} near ${p[0]} (${type}). Made up by the mock server.`,
      url: source === 'gdelt2' ? `https://example.org/story/${i}` : '',
      source_file: '/synthetic/mock.csv', source_line: i + 1, ingested_at: '2024-07-01T06:00:00Z',
    });
    if (out[out.length - 1].latitude === null) out[out.length - 1].longitude = null;
  }
  return out;
}

function loadEvents() {
  if (!opt.events) return synthetic(opt.synthetic);
  const fc = JSON.parse(readFileSync(opt.events, 'utf8'));
  return fc.features.map((f) => ({ ...f.properties, fid: f.id ?? f.properties.fid }));
}
let events = loadEvents();
events.sort((a, b) => (a.date_start < b.date_start ? -1 : a.date_start > b.date_start ? 1 : a.fid - b.fid));
let generation = 1;
const byFid = new Map(events.map((e) => [e.fid, e]));
const boundaries = opt.boundaries ? JSON.parse(readFileSync(opt.boundaries, 'utf8')) : null;

// ---------------------------------------------------------------- errors and filters
class HttpError extends Error {
  constructor(status, code, description) { super(description); this.status = status; this.code = code; }
}
const bad = (d) => new HttpError(400, 'InvalidParameterValue', d);

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
function parseFilter(q) {
  const f = {};
  const list = (k) => (q.get(k) ? q.get(k).split(',').map((s) => s.trim().toLowerCase()).filter(Boolean) : null);
  if (q.get('bbox')) {
    const n = q.get('bbox').split(',').map(Number);
    if (!(n.length === 4 || n.length === 6) || n.some((x) => !Number.isFinite(x)))
      throw bad(`bbox: expected 4 or 6 comma-separated numbers (W,S,E,N), got ${n.length}`);
    f.bbox = n.length === 4 ? n : [n[0], n[1], n[3], n[4]];
  }
  const dt = q.get('datetime');
  if (dt) {
    const [a, b] = dt.includes('/') ? dt.split('/') : [dt, dt];
    const d = (s) => (s === '..' || s === '' ? null : s.slice(0, 10));
    f.from = d(a); f.to = d(b);
  }
  for (const k of ['from', 'to']) {
    const v = q.get(k);
    if (v) { if (!DATE_RE.test(v)) throw bad(`${k}: expected YYYY-MM-DD, got "${v}"`); f[k] = v; }
  }
  if (q.get('near')) {
    const n = q.get('near').split(',').map(Number);
    if (n.length !== 2 || n.some((x) => !Number.isFinite(x))) throw bad('near: expected LAT,LON');
    const w = Number(q.get('within'));
    if (!(w > 0)) throw bad('within: expected a distance in km > 0 with near');
    f.near = n; f.within = w;
  }
  for (const k of ['type', 'sub_type', 'country', 'admin1', 'source']) f[k] = list(k);
  if (q.get('actor')) f.actor = q.get('actor').toLowerCase();
  return f;
}
function km(lat1, lon1, lat2, lon2) {
  const R = 6371.0088, r = Math.PI / 180;
  const a = Math.sin((lat2 - lat1) * r / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin((lon2 - lon1) * r / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(a));
}
function matches(e, f, omit = {}) {
  if (f.from && e.date_start < f.from) return false;
  if (f.to && e.date_start > f.to) return false;
  const has = (list, v) => !list || list.includes(String(v ?? '').toLowerCase());
  if (!omit.type && !has(f.type, e.event_type)) return false;
  if (!has(f.sub_type, e.sub_event_type)) return false;
  if (!omit.country && !has(f.country, e.country_iso3)) return false;
  if (!omit.admin1 && !has(f.admin1, e.admin1)) return false;
  if (!omit.source && !has(f.source, e.source)) return false;
  if (f.actor && ![e.actor1, e.actor2, e.assoc_actor1, e.assoc_actor2]
    .some((a) => (a || '').toLowerCase().includes(f.actor))) return false;
  if (f.bbox || f.near) {
    if (e.latitude == null) return false;
    if (f.bbox) {
      const [w, s, ea, n] = f.bbox;
      if (e.longitude < w || e.longitude > ea || e.latitude < s || e.latitude > n) return false;
    }
    if (f.near && km(f.near[0], f.near[1], e.latitude, e.longitude) > f.within) return false;
  }
  return true;
}
const select = (f, omit) => events.filter((e) => matches(e, f, omit));

function feature(e) {
  return { type: 'Feature', id: e.fid,
    geometry: e.latitude == null ? null : { type: 'Point', coordinates: [e.longitude, e.latitude] },
    properties: e };
}

// ---------------------------------------------------------------- time buckets
const day = (s) => Date.parse(s + 'T00:00:00Z');
const iso = (t) => new Date(t).toISOString().slice(0, 10);
function isoWeek(t) {
  const d = new Date(t); const wd = (d.getUTCDay() + 6) % 7; // Monday = 0
  const thu = new Date(t - wd * 864e5 + 3 * 864e5);
  const y = thu.getUTCFullYear();
  const w = 1 + Math.floor((thu - Date.UTC(y, 0, 1)) / (7 * 864e5));
  return { start: t - wd * 864e5, label: `${y}-W${String(w).padStart(2, '0')}` };
}
function bucketOf(s, interval) {
  const t = day(s);
  if (interval === 'day') return { start: s, label: s };
  if (interval === 'week') { const w = isoWeek(t); return { start: iso(w.start), label: w.label }; }
  if (interval === 'month') return { start: s.slice(0, 7) + '-01', label: s.slice(0, 7) };
  return { start: s.slice(0, 4) + '-01-01', label: s.slice(0, 4) };
}
function nextStart(start, interval) {
  const d = new Date(day(start));
  if (interval === 'day') d.setUTCDate(d.getUTCDate() + 1);
  else if (interval === 'week') d.setUTCDate(d.getUTCDate() + 7);
  else if (interval === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return iso(d.getTime());
}

// ---------------------------------------------------------------- handlers
function info() {
  const dates = events.map((e) => e.date_start);
  return { events: events.length, generation, from: dates[0] ?? null, to: dates[dates.length - 1] ?? null,
    sources: [...new Set(events.map((e) => e.source))].sort(),
    read_token_required: opt.readTokenRequired, extract_available: opt.extract, mock: true };
}

function points(q) {
  const f = parseFilter(q);
  const max = q.get('max') ? Number(q.get('max')) : 200000;
  const sel = select(f);
  const types = [], tIndex = new Map();
  const pts = []; let unlocated = 0;
  for (const e of sel) {
    if (e.latitude == null) { unlocated++; continue; }
    if (pts.length >= max) continue;
    if (!tIndex.has(e.event_type)) { tIndex.set(e.event_type, types.length); types.push(e.event_type); }
    pts.push([e.fid, e.latitude, e.longitude, tIndex.get(e.event_type), e.fatalities ?? -1, e.date_start]);
  }
  return { numberMatched: sel.length - unlocated, unlocated, types, points: pts };
}

function timeline(q) {
  const interval = q.get('interval') || 'month';
  if (!['day', 'week', 'month', 'year'].includes(interval)) throw bad(`interval: expected day, week, month or year, got "${interval}"`);
  const f = parseFilter(q);
  const sel = select(f);
  const counts = new Map();
  let total = { events: 0, fatalities: 0 };
  for (const e of sel) {
    const b = bucketOf(e.date_start, interval);
    const c = counts.get(b.start) || { start: b.start, label: b.label, events: 0, fatalities: 0 };
    c.events++; c.fatalities += e.fatalities ?? 0; counts.set(b.start, c);
    total.events++; total.fatalities += e.fatalities ?? 0;
  }
  const lo = f.from ?? sel[0]?.date_start, hi = f.to ?? sel[sel.length - 1]?.date_start;
  const buckets = [];
  if (lo && hi) {
    for (let s = bucketOf(lo, interval).start; s <= hi; s = nextStart(s, interval)) {
      buckets.push(counts.get(s) || { start: s, label: bucketOf(s, interval).label, events: 0, fatalities: 0 });
      if (buckets.length > 20000) throw bad('interval: too many buckets, pick a longer interval');
    }
  }
  return { interval, buckets, total };
}

const STAT_KEYS = { day: (e) => e.date_start, week: (e) => bucketOf(e.date_start, 'week').label,
  month: (e) => e.date_start.slice(0, 7), year: (e) => e.date_start.slice(0, 4), type: (e) => e.event_type,
  'sub-type': (e) => e.sub_event_type, admin1: (e) => e.admin1, country: (e) => e.country_iso3,
  actor: (e) => e.actor1, source: (e) => e.source };
function stats(q) {
  const keys = (q.get('by') || 'month').split(',');
  for (const k of keys) if (!STAT_KEYS[k]) throw bad(`by: unknown key "${k}"`);
  const sel = select(parseFilter(q));
  const rows = new Map(); const total = { events: 0, fatalities: 0 };
  for (const e of sel) {
    const kv = keys.map((k) => STAT_KEYS[k](e)); const id = kv.join('\u0000');
    let r = rows.get(id);
    if (!r) { r = {}; keys.forEach((k, i) => { r[k] = kv[i]; }); r.events = 0; r.fatalities = 0; rows.set(id, r); }
    r.events++; r.fatalities += e.fatalities ?? 0; total.events++; total.fatalities += e.fatalities ?? 0;
  }
  return { keys, rows: [...rows.values()], total };
}

function facets(q) {
  const f = parseFilter(q);
  const count = (fn, limit) => {
    const m = new Map();
    for (const e of select(f)) { const v = fn(e); if (v) m.set(v, (m.get(v) || 0) + 1); }
    return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit ?? 1e9);
  };
  return { type: count((e) => e.event_type), country: count((e) => e.country_iso3),
    admin1: count((e) => e.admin1), source: count((e) => e.source), actor: count((e) => e.actor1, 200) };
}

function items(q, selfUrl) {
  const f = parseFilter(q);
  const limit = q.get('limit') ? Number(q.get('limit')) : 10;
  const offset = q.get('offset') ? Number(q.get('offset')) : 0;
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= 10000)) throw bad(`limit: expected 1..10000, got "${q.get('limit')}"`);
  const sel = select(f);
  const page = sel.slice(offset, offset + limit);
  const links = [{ rel: 'self', type: 'application/geo+json', href: selfUrl.href }];
  if (offset + limit < sel.length) {
    const n = new URL(selfUrl); n.searchParams.set('offset', String(offset + limit)); n.searchParams.set('limit', String(limit));
    links.push({ rel: 'next', type: 'application/geo+json', href: n.href });
  }
  if (offset > 0) {
    const p = new URL(selfUrl); p.searchParams.set('offset', String(Math.max(0, offset - limit)));
    links.push({ rel: 'prev', type: 'application/geo+json', href: p.href });
  }
  return { type: 'FeatureCollection', numberMatched: sel.length, numberReturned: page.length,
    timeStamp: new Date().toISOString(), links, features: page.map(feature) };
}

// Naive "extraction" so the Read news UI can be exercised: one item per sentence that names a
// known place, in the item shape of src/extract (ToJson), with UTF-8 byte offsets.
// Real extraction is `tahadhari extract`.
function extract(text, published) {
  const enc = (s) => Buffer.byteLength(s, 'utf8');
  const b = (ci) => enc(text.slice(0, ci));
  const span = (ci, len) => ({ begin: b(ci), end: b(ci + len), text: text.slice(ci, ci + len) });
  const out = [];
  const sentRe = /[^.!?\n]+[.!?]?/g;
  let m;
  const KEYWORDS = [[/\b(attack(?:s|ed)?|killed|killing|massacre)\b/i, 'Violence against civilians', 'Attack', 'attack'],
    [/\b(clash(?:es)?|fighting|battle)\b/i, 'Battles', 'Armed clash', 'clash'],
    [/\b(IED|explosive|bomb(?:ing)?|landmine)\b/i, 'Explosions/Remote violence', 'Remote explosive/landmine/IED', 'explosion'],
    [/\b(withdraw(?:al)?|handover|bases?)\b/i, 'Strategic developments', 'Other', 'troop movement']];
  while ((m = sentRe.exec(text))) {
    const s = m[0];
    const lead = s.length - s.trimStart().length;
    const sBegin = m.index + lead;
    const sent = s.trim();
    for (const p of PLACES) {
      const i = sent.indexOf(p[0]);
      if (i < 0) continue;
      const item = { kind: 'event', status: 'occurred', label: '', event_type: '', sub_event_type: '',
        actor1: null, actor2: null, participants: [],
        place: { text: p[0], name: p[0], iso3: p[1], admin1: p[2], admin2: null, precision: 'admin2', lat: p[3], lon: p[4] },
        date: published ? { start: published, end: published, precision: 'day', note: 'publication date' }
          : { start: null, end: null, precision: null, note: 'not stated' },
        counts: { fatalities: null, injured: null, troops: null, bases: null, attacks: null, arrested: null },
        attribution: null, sentence: span(sBegin, sent.length), spans: { place: span(sBegin + i, p[0].length) },
        confidence: 0.5 };
      for (const [re, type, sub, label] of KEYWORDS) {
        const k = re.exec(sent);
        if (k) {
          Object.assign(item, { event_type: type, sub_event_type: sub, label });
          item.spans.trigger = span(sBegin + k.index, k[0].length);
          if (label === 'troop movement') { item.kind = 'posture'; item.status = 'planned'; }
          break;
        }
      }
      const a = /al-Shabaab|al Shabaab/i.exec(sent);
      if (a) {
        item.actor1 = { name: 'Al Shabaab', category: 'Rebel group' };
        item.spans.actor1 = span(sBegin + a.index, a[0].length);
      }
      out.push(item);
    }
  }
  return { items: out, mock: true };
}

function incident(body, reporter) {
  let j;
  try { j = JSON.parse(body); } catch { throw bad('body: not valid JSON'); }
  if (!j.date || !DATE_RE.test(j.date)) throw bad('date: expected YYYY-MM-DD');
  if ((j.lat == null || j.lon == null) && !j.place) throw bad('lat/lon or place: one is needed');
  const fid = Math.max(0, ...byFid.keys()) + 1;
  const e = { fid, source: 'report', source_id: `R${fid}`, date_start: j.date, date_end: j.date,
    date_precision: 'day', event_type: j.event_type || '', sub_event_type: j.sub_event_type || '',
    source_event_code: '', mapping_lossy: false, actor1: j.actor1 || '', actor1_category: '',
    assoc_actor1: '', actor2: j.actor2 || '', actor2_category: '', assoc_actor2: '',
    country_iso3: j.country || '', admin1: j.admin1 || '', admin2: '', place: j.place || '',
    latitude: j.lat ?? null, longitude: j.lon ?? null, geo_precision: 'exact',
    fatalities: j.fatalities ?? null, fatalities_low: null, fatalities_high: null,
    reported_by: reporter, notes: j.description || '', url: '', source_file: '', source_line: 0,
    ingested_at: new Date().toISOString().slice(0, 19) + 'Z' };
  events.push(e); byFid.set(fid, e); generation++;
  events.sort((a, b) => (a.date_start < b.date_start ? -1 : a.date_start > b.date_start ? 1 : a.fid - b.fid));
  return feature(e);
}

// ---------------------------------------------------------------- server
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8' };

function sendJson(res, status, obj, type = 'application/json') {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}
function serveStatic(res, rel) {
  const root = opt.web;
  const p = normalize(join(root, rel || 'index.html'));
  if (!p.startsWith(normalize(root))) throw new HttpError(404, 'NotFound', 'no such file');
  let file = p;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  if (!existsSync(file)) throw new HttpError(404, 'NotFound', `no such file: /app/${rel}`);
  res.writeHead(200, { 'Content-Type': MIME[extname(file)] || 'application/octet-stream' });
  createReadStream(file).pipe(res);
}
function readBody(req, max) {
  return new Promise((ok, fail) => {
    const chunks = []; let n = 0;
    req.on('data', (c) => { n += c.length; if (n > max) { fail(new HttpError(413, 'PayloadTooLarge', `body: more than ${max} bytes`)); req.destroy(); } else chunks.push(c); });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
function tokenRole(req) {
  const h = req.headers.authorization || '';
  const m = /^Bearer\s+(.+)$/.exec(h);
  if (!m) return null;
  return m[1] === opt.token ? 'editor' : 'bad';
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host || 'localhost'}`);
  const path = url.pathname, q = url.searchParams;
  try {
    if (path === '/app') { res.writeHead(301, { Location: '/app/' }); res.end(); return; }
    if (path.startsWith('/app/')) { serveStatic(res, decodeURIComponent(path.slice(5))); return; }
    if (opt.delay) await new Promise((r) => setTimeout(r, opt.delay));
    const role = tokenRole(req);
    if (role === 'bad') throw new HttpError(401, 'Unauthorized', 'token: unknown or revoked token');
    if (opt.readTokenRequired && !role) throw new HttpError(401, 'Unauthorized', 'token: this server needs a token for every request');
    if (req.method === 'GET') {
      if (path === '/') return sendJson(res, 200, { title: 'tahadhari (mock)', links: [
        { rel: 'self', href: '/' }, { rel: 'service-desc', href: '/api' }, { rel: 'conformance', href: '/conformance' },
        { rel: 'data', href: '/collections' }] });
      if (path === '/api/info') return sendJson(res, 200, info());
      if (path === '/api/points') return sendJson(res, 200, points(q));
      if (path === '/api/timeline') return sendJson(res, 200, timeline(q));
      if (path === '/api/stats') return sendJson(res, 200, stats(q));
      if (path === '/api/facets') return sendJson(res, 200, facets(q));
      if (path === '/collections/events/items') return sendJson(res, 200, items(q, url), 'application/geo+json');
      let m = /^\/collections\/events\/items\/(\d+)$/.exec(path);
      if (m) {
        const e = byFid.get(Number(m[1]));
        if (!e) throw new HttpError(404, 'NotFound', `events: no feature with id ${m[1]}`);
        return sendJson(res, 200, feature(e), 'application/geo+json');
      }
      if (path === '/collections/boundaries/items') {
        if (!boundaries) throw new HttpError(404, 'NotFound', 'boundaries: none loaded (tahadhari boundaries load)');
        return sendJson(res, 200, boundaries, 'application/geo+json');
      }
    }
    if (req.method === 'POST') {
      if (path === '/api/extract') {
        if (!opt.extract) throw new HttpError(501, 'NotImplemented', 'extract: news extraction is not available in this build');
        const body = await readBody(req, 1 << 20);
        const pub = q.get('published');
        if (pub && !DATE_RE.test(pub)) throw bad(`published: expected YYYY-MM-DD, got "${pub}"`);
        return sendJson(res, 200, extract(body, pub));
      }
      if (path === '/api/incidents') {
        if (!role) throw new HttpError(401, 'Unauthorized', 'token: this needs an editor token (Authorization: Bearer ...)');
        const body = await readBody(req, 1 << 20);
        return sendJson(res, 201, incident(body, 'mock-editor'), 'application/geo+json');
      }
    }
    throw new HttpError(404, 'NotFound', `no such path: ${req.method} ${path}`);
  } catch (err) {
    const status = err.status || 500;
    if (status === 500) console.error(err);
    if (!res.headersSent) sendJson(res, status, { code: err.code || 'ServerError', description: err.message });
  }
});
server.listen(opt.port, '127.0.0.1', () => {
  console.log(`mock-server: ${events.length} events, dashboard at http://127.0.0.1:${server.address().port}/app/`);
});
