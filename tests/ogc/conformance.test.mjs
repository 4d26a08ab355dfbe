#!/usr/bin/env node
// OGC API – Features 1.0.1 (Part 1 Core + GeoJSON) conformance of `tahadhari serve`, walked like
// a client: landing page → its links → /collections → each collection's links → items → `next`
// pages. Every response is validated against the official core schemas
// (../shared/schemas/ogcapi-features-1.0.1/core-openapi/schemas/*.yaml, loaded with js-yaml and
// registered with ajv by file URL so their relative $refs resolve), and the filter semantics
// (bbox, datetime instants / closed / open intervals, limit, paging) are checked against counts
// computed independently from the store file with the sqlite3 CLI. Finally GDAL's OAPIF driver
// (`ogrinfo -ro -so OAPIF:http://127.0.0.1:PORT/ events`, that URL form works with GDAL 3.6)
// must see the events layer with the store's feature count.
//
//   node tests/ogc/conformance.test.mjs [--binary build/tahadhari] [--shared ../shared] [--keep]
//
// Needs ajv, ajv-formats and js-yaml in web/node_modules (npm ci in web/). Exit codes: 0 pass,
// 1 fail, 77 skipped (no ../shared, no sqlite3 CLI, or the npm packages missing); the reason is
// printed. Loopback traffic only.
//
// One deliberate deviation from the 1.0.1 schema files: featureGeoJSON.yaml does not allow
// `"geometry": null`, although RFC 7946 §3.2 requires it for unlocated features and OGC has
// acknowledged the omission as a bug (opengeospatial/ogcapi-features PR #833). The test patches
// that one property to `geometry: null | geometryGeoJSON` in memory (GDELT rows without
// coordinates are served with a null geometry); everything else is validated as published.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SKIP = 77;

function parseArgs(argv) {
  const o = { binary: join(repo, 'build', 'tahadhari'), shared: resolve(repo, '..', 'shared'), keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--binary') o.binary = resolve(argv[++i]);
    else if (a === '--shared') o.shared = resolve(argv[++i]);
    else if (a === '--keep') o.keep = true;
    else { console.error(`conformance.test: unknown argument ${a}`); process.exit(2); }
  }
  return o;
}
const opt = parseArgs(process.argv.slice(2));
function skip(reason) {
  console.log(`SKIP OGC conformance test: ${reason}`);
  console.log('0 passed, 0 failed');
  process.exit(SKIP);
}

// ---------------------------------------------------------------- preconditions
const DATA = {
  ucdp: join(opt.shared, 'data', 'ucdp', 'ged231-sample-1000.csv'),
  gdelt: join(opt.shared, 'data', 'gdelt', '20191024143000.export.CSV'),
  acled: join(opt.shared, 'data', 'acled', 'kenya-1997-2016.csv'),
  counties: join(opt.shared, 'data', 'boundaries', 'kenya-counties.geojson'),
};
const SCHEMA_ROOT = join(opt.shared, 'schemas', 'ogcapi-features-1.0.1');
if (!existsSync(opt.shared)) skip(`${opt.shared} is absent (the shared data and schemas are needed)`);
for (const f of [DATA.ucdp, DATA.gdelt, DATA.acled, join(SCHEMA_ROOT, 'core-openapi', 'schemas')]) {
  if (!existsSync(f)) skip(`${f} is absent`);
}
if (spawnSync('sqlite3', ['-version']).status !== 0) skip('no sqlite3 CLI (apt-get install sqlite3)');
let Ajv, addFormats, yaml;
try {
  const req = createRequire(join(repo, 'web', 'package.json'));
  Ajv = req('ajv');
  Ajv = Ajv.default || Ajv;
  addFormats = req('ajv-formats');
  addFormats = addFormats.default || addFormats;
  yaml = req('js-yaml');
} catch (e) {
  skip(`ajv / ajv-formats / js-yaml not installed in web/node_modules (run npm ci in web/): ${e.message}`);
}
if (!existsSync(opt.binary)) {
  console.error(`FAIL: no tahadhari binary at ${opt.binary} (build it first)`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// ---------------------------------------------------------------- reporting
let passed = 0, failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail && !ok ? ` — ${detail}` : ''}`);
  return ok;
}
function note(text) { console.log(`# ${text}`); }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- schemas
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const schemaDir = join(SCHEMA_ROOT, 'core-openapi', 'schemas');
const schemaUrl = (name) => pathToFileURL(join(schemaDir, `${name}.yaml`)).href;
for (const file of readdirSync(schemaDir).filter((f) => f.endsWith('.yaml'))) {
  const s = yaml.load(readFileSync(join(schemaDir, file), 'utf8'));
  if (file === 'featureGeoJSON.yaml') {
    // RFC 7946 §3.2: unlocated features have "geometry": null (see the header comment).
    s.properties.geometry = { anyOf: [{ type: 'null' }, s.properties.geometry] };
  }
  s.$id = pathToFileURL(join(schemaDir, file)).href;
  ajv.addSchema(s);
}
const validators = {};
for (const n of ['landingPage', 'confClasses', 'collections', 'collection', 'featureCollectionGeoJSON',
  'featureGeoJSON', 'exception']) {
  validators[n] = ajv.getSchema(schemaUrl(n));
  if (!validators[n]) throw new Error(`schema ${n} did not compile`);
}
function validate(schema, doc, what) {
  const v = validators[schema];
  const ok = v(doc);
  return check(`${what} validates against ${schema}.yaml`, ok,
    ok ? '' : ajv.errorsText(v.errors.slice(0, 5), { separator: '; ' }));
}
// The validators must be able to fail: a broken $ref would otherwise accept anything.
{
  const good = { type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] }, properties: {} };
  const selfTest = [
    ['featureGeoJSON', good, true],
    ['featureGeoJSON', { ...good, geometry: null }, true],
    ['featureGeoJSON', { ...good, geometry: { type: 'Point', coordinates: [1] } }, false],
    ['featureGeoJSON', { ...good, geometry: { type: 'Circle', coordinates: [1, 2] } }, false],
    ['featureCollectionGeoJSON', { type: 'FeatureCollection', features: [good], timeStamp: 'now' }, false],
    ['featureCollectionGeoJSON', { type: 'FeatureCollection', features: [good], links: [{ rel: 'self' }] }, false],
    ['collections', { links: [], collections: [{ id: 'x', links: [], extent: { spatial: { bbox: [[1, 2, 3]] } } }] }, false],
    ['exception', { description: 'no code' }, false],
  ];
  const bad = selfTest.filter(([n, doc, want]) => validators[n](doc) !== want);
  if (bad.length) {
    console.error(`schema self-test failed: ${bad.map(([n, d, w]) => `${n} ${w ? 'rejected' : 'accepted'} ${JSON.stringify(d)}`).join('; ')}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
const conformanceUris = readFileSync(join(SCHEMA_ROOT, 'conformance-class-uris.txt'), 'utf8')
  .split('\n').map((l) => l.trim()).filter(Boolean);

// ---------------------------------------------------------------- store and server
const work = mkdtempSync(join(tmpdir(), 'tahadhari-ogc-'));
const store = join(work, 'store.gpkg');
function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}
function sql(query) {
  return run('sqlite3', ['-readonly', '-batch', '-noheader', '-separator', '|', store, query]).trim();
}
const sqlInt = (q) => Number(sql(q));
function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}

let server = null, serverLog = '';
async function cleanup() {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    for (let i = 0; i < 50 && server.exitCode === null; i++) await sleep(100);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (!opt.keep) rmSync(work, { recursive: true, force: true });
  else note(`kept ${work}`);
}

let base = '';
async function get(pathOrUrl, { accept = 'application/json' } = {}) {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : base + pathOrUrl;
  const res = await fetch(url, { headers: { Accept: accept }, redirect: 'manual', signal: AbortSignal.timeout(60000) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, type: res.headers.get('content-type') || '', json, text, url };
}
const linkOf = (doc, rel) => (doc && Array.isArray(doc.links) ? doc.links.find((l) => l.rel === rel) : undefined);

// ---------------------------------------------------------------- the checks
async function main() {
  run(opt.binary, ['ingest', '--store', store, '--quiet', DATA.ucdp, DATA.gdelt, DATA.acled]);
  if (existsSync(DATA.counties)) {
    run(opt.binary, ['boundaries', 'load', '--store', store, '--level', 'admin1', '--name-field', 'COUNTY', DATA.counties]);
  }
  const total = sqlInt('SELECT count(*) FROM events');
  note(`store ${store}: ${total} events`);
  check('store has the three sources', total > 8000 && sqlInt('SELECT count(DISTINCT source) FROM events') === 3);

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(opt.binary, ['serve', '--store', store, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  let up = false;
  for (let i = 0; i < 100 && !up && server.exitCode === null; i++) {
    try { up = (await get('/')).status === 200; } catch { await sleep(100); }
  }
  if (!check('server starts and answers /', up, serverLog)) return;

  // ---------- landing page
  const landing = await get('/');
  check('GET / → 200 application/json', landing.status === 200 && landing.type.startsWith('application/json'), landing.type);
  validate('landingPage', landing.json, 'landing page');
  for (const rel of ['self', 'service-desc', 'conformance', 'data']) {
    const l = linkOf(landing.json, rel);
    check(`landing page has a '${rel}' link with an absolute href on this server`, l && l.href.startsWith(base), JSON.stringify(l));
  }

  // service-desc → an OpenAPI 3.0 definition that documents the items path.
  const sd = await get(linkOf(landing.json, 'service-desc').href, { accept: 'application/vnd.oai.openapi+json;version=3.0' });
  check('service-desc → 200 OpenAPI 3.0 JSON', sd.status === 200 && sd.json && /^3\.0\./.test(sd.json.openapi), `${sd.status} ${sd.text.slice(0, 100)}`);
  check('service-desc documents /collections/{collectionId}/items with limit, bbox, datetime',
    (() => {
      const p = sd.json?.paths?.['/collections/{collectionId}/items']?.get?.parameters || [];
      const names = p.map((x) => x.name);
      return ['limit', 'bbox', 'datetime'].every((n) => names.includes(n));
    })());

  // conformance
  const conf = await get(linkOf(landing.json, 'conformance').href);
  check('conformance → 200', conf.status === 200);
  validate('confClasses', conf.json, '/conformance');
  for (const cls of ['core', 'geojson']) {
    const uri = conformanceUris.find((u) => u.endsWith(`/conf/${cls}`));
    check(`/conformance declares ${uri}`, uri && conf.json.conformsTo.includes(uri));
  }
  check('/conformance declares only known 1.0 classes', conf.json.conformsTo.every((u) => conformanceUris.includes(u)),
    conf.json.conformsTo.join(' '));

  // collections
  const cols = await get(linkOf(landing.json, 'data').href);
  check('data link → 200', cols.status === 200);
  validate('collections', cols.json, '/collections');
  check('/collections has a self link', !!linkOf(cols.json, 'self'));
  const ids = (cols.json.collections || []).map((c) => c.id);
  check('/collections lists events', ids.includes('events'), ids.join(','));
  for (const c of cols.json.collections || []) {
    validate('collection', c, `/collections entry ${c.id}`);
    const self = linkOf(c, 'self'), items = linkOf(c, 'items');
    check(`collection ${c.id} has self and items links`, self && items);
    if (!self || !items) continue;
    const one = await get(self.href);
    check(`collection ${c.id} self → 200`, one.status === 200);
    validate('collection', one.json, `/collections/${c.id}`);
    check(`collection ${c.id} self equals its /collections entry (id)`, one.json.id === c.id);
    const it = await get(items.href, { accept: 'application/geo+json' });
    check(`collection ${c.id} items → 200 application/geo+json`, it.status === 200 && it.type.startsWith('application/geo+json'), `${it.status} ${it.type}`);
    validate('featureCollectionGeoJSON', it.json, `/collections/${c.id}/items`);
    if (c.id === 'boundaries' && existsSync(DATA.counties)) {
      const polys = (it.json.features || []).filter((f) => f.geometry && /Polygon$/.test(f.geometry.type));
      check('boundaries items return the loaded county polygons', polys.length >= 40, `${polys.length} polygons`);
    }
  }

  // events collection extent = independent min/max from the store
  const ev = (await get('/collections/events')).json;
  const [w, s, e, n] = sql('SELECT min(longitude), min(latitude), max(longitude), max(latitude) FROM events WHERE latitude IS NOT NULL').split('|').map(Number);
  const bb = ev.extent?.spatial?.bbox?.[0] || [];
  check('events extent bbox = min/max of the store coordinates',
    bb.length === 4 && [w, s, e, n].every((v, i) => Math.abs(v - bb[i]) < 1e-9), `${bb} vs ${[w, s, e, n]}`);
  const [d0, d1] = sql('SELECT min(date_start), max(date_start) FROM events').split('|');
  const iv = ev.extent?.temporal?.interval?.[0] || [];
  check('events extent interval = first/last date_start', iv[0]?.startsWith(d0) && iv[1]?.startsWith(d1), `${iv} vs ${d0}..${d1}`);

  // ---------- items: default page and paging by following `next`
  const ordered = sql('SELECT fid FROM events ORDER BY date_start, fid').split('\n').map(Number);
  {
    let url = linkOf(ev, 'items').href;
    const seen = [];
    let pages = 0, pagingOk = true, why = '';
    while (url && pages < 6) {
      const p = await get(url, { accept: 'application/geo+json' });
      pages++;
      if (p.status !== 200) { pagingOk = false; why = `${url} → ${p.status}`; break; }
      validate('featureCollectionGeoJSON', p.json, `items page ${pages}`);
      if (p.json.numberMatched !== total) { pagingOk = false; why = `numberMatched ${p.json.numberMatched} on page ${pages}`; }
      if (p.json.numberReturned !== p.json.features.length) { pagingOk = false; why = `numberReturned ≠ features.length on page ${pages}`; }
      if (p.json.features.length !== 10) { pagingOk = false; why = `default page size ${p.json.features.length}`; }
      for (const f of p.json.features) {
        validate('featureGeoJSON', f, `feature ${f.id}`);
        seen.push(Number(f.id));
      }
      if (pages === 2) {
        const prev = linkOf(p.json, 'prev');
        check('page 2 has a prev link to offset 0', prev && /[?&]offset=0(&|$)/.test(prev.href), prev?.href);
      }
      url = linkOf(p.json, 'next')?.href;
    }
    check('first 6 default pages: numberMatched constant, numberReturned = features.length, 10 per page', pagingOk, why);
    check('first 6 pages: no duplicates, no gaps (= first 60 events ordered by date_start, fid)',
      JSON.stringify(seen) === JSON.stringify(ordered.slice(0, seen.length)) && seen.length === 60,
      `${seen.slice(0, 12)}… vs ${ordered.slice(0, 12)}…`);
  }
  // Whole collection in pages of 3000: union = the store, last page has no next.
  await walkAll(`/collections/events/items?limit=3000`, ordered, 'all events, limit=3000');
  {
    const unlocated = sqlInt('SELECT count(*) FROM events WHERE latitude IS NULL OR longitude IS NULL');
    check(`unlocated events are served with "geometry": null (${unlocated} in the store)`,
      (walkAll.nullGeometries || 0) === unlocated, `${walkAll.nullGeometries || 0} null geometries seen`);
  }

  // ---------- bbox
  const boxes = [
    ['Kenya', [33.9, -4.7, 41.9, 5.0]],
    ['Nairobi', [36.6, -1.45, 37.1, -1.15]],
    ['western hemisphere', [-180, -90, 0, 90]],
    ['empty (mid-Pacific)', [-150, -10, -149, -9]],
    ['spanning the antimeridian (W > E)', [100, -90, -100, 90]],
  ];
  // A degenerate box at one event's exact coordinates: inclusive edges.
  const [plon, plat] = sql('SELECT longitude, latitude FROM events WHERE latitude IS NOT NULL ORDER BY fid LIMIT 1 OFFSET 4321').split('|').map(Number);
  boxes.push(['a single point (inclusive edges)', [plon, plat, plon, plat]]);
  for (const [label, [bw, bs, be, bn]] of boxes) {
    // OGC: a box with W > E spans the antimeridian (longitudes >= W or <= E).
    const lonWhere = bw <= be ? `longitude >= ${bw} AND longitude <= ${be}` : `(longitude >= ${bw} OR longitude <= ${be})`;
    const where = `${lonWhere} AND latitude >= ${bs} AND latitude <= ${bn}`;
    const expected = sqlInt(`SELECT count(*) FROM events WHERE ${where}`);
    const r = await get(`/collections/events/items?bbox=${bw},${bs},${be},${bn}&limit=10000`);
    if (!check(`bbox ${label} → 200`, r.status === 200, r.text.slice(0, 200))) continue;
    validate('featureCollectionGeoJSON', r.json, `bbox ${label}`);
    check(`bbox ${label}: numberMatched = ${expected} (sqlite count)`, r.json.numberMatched === expected, `${r.json.numberMatched}`);
    const outside = r.json.features.filter((f) => {
      const c = f.geometry?.coordinates;
      const lonIn = bw <= be ? c && c[0] >= bw && c[0] <= be : c && (c[0] >= bw || c[0] <= be);
      return !c || !lonIn || c[1] < bs || c[1] > bn;
    });
    check(`bbox ${label}: every feature lies inside`, outside.length === 0, `${outside.length} outside, e.g. ${JSON.stringify(outside[0]?.geometry)}`);
    check(`bbox ${label}: all returned (limit 10000)`, r.json.numberReturned === Math.min(expected, 10000));
  }
  {
    const r = await get('/collections/events/items?bbox=33.9,-4.7,-100,41.9,5.0,100&limit=1');
    const expected = sqlInt('SELECT count(*) FROM events WHERE longitude BETWEEN 33.9 AND 41.9 AND latitude BETWEEN -4.7 AND 5.0');
    check('6-number bbox (heights ignored) → same count as the 4-number box', r.status === 200 && r.json.numberMatched === expected, `${r.status} ${r.json?.numberMatched} vs ${expected}`);
  }
  // bbox paging: walk it, the union must equal the store's set for the box, next keeps bbox.
  {
    const orderedBox = sql('SELECT fid FROM events WHERE longitude BETWEEN 36.6 AND 37.1 AND latitude BETWEEN -1.45 AND -1.15 ORDER BY date_start, fid')
      .split('\n').filter(Boolean).map(Number);
    await walkAll('/collections/events/items?bbox=36.6,-1.45,37.1,-1.15&limit=97', orderedBox, 'Nairobi bbox, limit=97',
      (href) => /bbox=36\.6(%2C|,)-1\.45/.test(href));
  }

  // ---------- datetime
  const busiest = sql('SELECT date_start FROM events GROUP BY date_start ORDER BY count(*) DESC, date_start LIMIT 1');
  const dtCases = [
    [`instant ${busiest}`, busiest, `date_start = '${busiest}'`],
    [`instant ${busiest}T12:30:00Z (date-time)`, `${busiest}T12:30:00Z`, `date_start = '${busiest}'`],
    ['closed 2016-01-01/2016-12-31', '2016-01-01/2016-12-31', "date_start BETWEEN '2016-01-01' AND '2016-12-31'"],
    ['closed date-times 2008-01-01T00:00:00Z/2008-06-30T23:59:59Z', '2008-01-01T00:00:00Z/2008-06-30T23:59:59Z',
      "date_start BETWEEN '2008-01-01' AND '2008-06-30'"],
    ['open start ../2010-12-31', '../2010-12-31', "date_start <= '2010-12-31'"],
    ['open end 2015-01-01/..', '2015-01-01/..', "date_start >= '2015-01-01'"],
    ['open start with empty string /2010-12-31', '/2010-12-31', "date_start <= '2010-12-31'"],
    ['empty range 1800-01-01/1800-12-31', '1800-01-01/1800-12-31', "date_start BETWEEN '1800-01-01' AND '1800-12-31'"],
  ];
  for (const [label, value, where] of dtCases) {
    const expected = sqlInt(`SELECT count(*) FROM events WHERE ${where}`);
    const r = await get(`/collections/events/items?datetime=${encodeURIComponent(value)}&limit=10000`);
    if (!check(`datetime ${label} → 200`, r.status === 200, r.text.slice(0, 200))) continue;
    validate('featureCollectionGeoJSON', r.json, `datetime ${label}`);
    check(`datetime ${label}: numberMatched = ${expected} (sqlite count of date_start)`, r.json.numberMatched === expected, `${r.json.numberMatched}`);
    const lo = value.includes('/') ? value.split('/')[0].slice(0, 10) : value.slice(0, 10);
    const hi = value.includes('/') ? value.split('/')[1].slice(0, 10) : value.slice(0, 10);
    const bad = r.json.features.filter((f) => {
      const d = f.properties?.date_start;
      return !d || (lo && lo !== '..' && d < lo) || (hi && hi !== '..' && d > hi);
    });
    check(`datetime ${label}: every feature's date_start in range`, bad.length === 0, `${bad.length} outside`);
  }
  {
    const expected = sqlInt("SELECT count(*) FROM events WHERE date_start BETWEEN '2010-01-01' AND '2012-12-31' AND longitude BETWEEN 33.9 AND 41.9 AND latitude BETWEEN -4.7 AND 5.0");
    const r = await get('/collections/events/items?bbox=33.9,-4.7,41.9,5.0&datetime=2010-01-01/2012-12-31&limit=1');
    check(`bbox + datetime combined: numberMatched = ${expected}`, r.status === 200 && r.json.numberMatched === expected, `${r.json?.numberMatched}`);
    const next = linkOf(r.json, 'next')?.href || '';
    check('next link keeps bbox and datetime', /bbox=/.test(next) && /datetime=/.test(next) && /offset=1(&|$)/.test(next), next);
  }

  // ---------- limit
  {
    const r1 = await get('/collections/events/items?limit=1');
    check('limit=1 → exactly one feature', r1.status === 200 && r1.json.features.length === 1 && r1.json.numberReturned === 1);
    const r10k = await get('/collections/events/items?limit=10000');
    check('limit=10000 → all (≤10000) features', r10k.status === 200 && r10k.json.numberReturned === Math.min(total, 10000));
    // docs/api.md: limit 1..10000; larger values are clamped to 10000 (OGC 1.0 permits either; the server clamps).
    const r10001 = await get('/collections/events/items?limit=10001');
    check('limit=10001 → 200, clamped to 10000', r10001.status === 200 && r10001.json.numberReturned === Math.min(total, 10000)
      && r10001.json.features.length === r10001.json.numberReturned, `${r10001.status}`);
    const r1e9 = await get('/collections/events/items?limit=999999999999');
    check('limit=999999999999 → 200, clamped', r1e9.status === 200 && r1e9.json.numberReturned === Math.min(total, 10000), `${r1e9.status}`);
    const last = await get(`/collections/events/items?limit=10&offset=${total - 3}`);
    check('last page: 3 features, no next link, has prev', last.status === 200 && last.json.features.length === 3
      && !linkOf(last.json, 'next') && !!linkOf(last.json, 'prev'));
    const beyond = await get(`/collections/events/items?offset=${total + 100}`);
    check('offset past the end → 200 with no features and no next', beyond.status === 200 && beyond.json.features.length === 0
      && beyond.json.numberMatched === total && !linkOf(beyond.json, 'next'));
  }

  // ---------- errors: 400 with an exception body naming the parameter
  const bad400 = [
    ['limit=0', 'limit'], ['limit=-5', 'limit'], ['limit=ten', 'limit'], ['limit=', 'limit'], ['offset=-1', 'offset'],
    ['bbox=1,2,3', 'bbox'], ['bbox=a,b,c,d', 'bbox'], ['bbox=1,2,3,4,5', 'bbox'], ['bbox=0,10,10,0', 'bbox'],
    ['bbox=0,0,200,10', 'bbox'], ['bbox=', 'bbox'], ['bbox=1,,3,4', 'bbox'], ['bbox=nan,0,1,1', 'bbox'],
    ['datetime=yesterday', 'datetime'], ['datetime=2016-13-45', 'datetime'], ['datetime=2016-02-30', 'datetime'],
    ['datetime=2016-12-31/2016-01-01', 'datetime'], ['datetime=2016-01-01/2016-02-01/2016-03-01', 'datetime'],
    ['datetime=..', 'datetime'], ['datetime=2016-01-01X', 'datetime'], ['datetime=2016/2017', 'datetime'],
  ];
  for (const [q, param] of bad400) {
    const r = await get(`/collections/events/items?${q}`);
    const ok = r.status === 400 && r.type.startsWith('application/json') && r.json
      && typeof r.json.description === 'string' && r.json.description.toLowerCase().includes(param);
    check(`?${q} → 400 JSON naming '${param}'`, ok, `${r.status} ${r.type} ${r.text.slice(0, 160)}`);
    if (r.json) validate('exception', r.json, `?${q} error body`);
  }

  // ---------- 404s
  const fid = ordered[123];
  const one = await get(`/collections/events/items/${fid}`, { accept: 'application/geo+json' });
  check(`/collections/events/items/${fid} → 200 application/geo+json`, one.status === 200 && one.type.startsWith('application/geo+json'));
  validate('featureGeoJSON', one.json, `feature ${fid}`);
  check('single feature: id and date_start agree with the store',
    Number(one.json.id) === fid && one.json.properties?.date_start === sql(`SELECT date_start FROM events WHERE fid = ${fid}`));
  check('single feature has self and collection links', !!linkOf(one.json, 'self') && !!linkOf(one.json, 'collection'));
  const maxFid = sqlInt('SELECT max(fid) FROM events');
  for (const path of ['/collections/nope', '/collections/nope/items', '/collections/nope/items/1',
    `/collections/events/items/${maxFid + 1000}`, '/collections/events/items/abc', '/collections/events/items/-1',
    '/collections/events/items/1e3', '/nope']) {
    const r = await get(path);
    check(`${path} → 404 JSON`, r.status === 404 && r.type.startsWith('application/json'), `${r.status} ${r.type} ${r.text.slice(0, 100)}`);
    if (r.json) validate('exception', r.json, `${path} error body`);
    else check(`${path} error body is JSON`, false, r.text.slice(0, 100));
  }

  // ---------- GDAL OAPIF client
  const ogr = spawnSync('ogrinfo', ['--version'], { encoding: 'utf8' });
  if (ogr.status !== 0) {
    note('SKIP ogrinfo checks: no ogrinfo (apt-get install gdal-bin)');
  } else {
    note(ogr.stdout.trim());
    // GDAL 3.6 accepts OAPIF:<landing page URL>; the layer name is the collection id.
    const r = spawnSync('ogrinfo', ['-ro', '-so', `OAPIF:${base}/`, 'events'],
      { encoding: 'utf8', timeout: 300000, env: { ...process.env, GDAL_HTTP_TIMEOUT: '120', NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' } });
    const out = `${r.stdout}\n${r.stderr}`;
    check('ogrinfo -ro -so OAPIF:…/ events succeeds', r.status === 0 && /Layer name: events/.test(out), out.slice(0, 600));
    const m = out.match(/Feature Count: (\d+)/);
    check(`ogrinfo Feature Count = ${total}`, m && Number(m[1]) === total, m ? m[0] : 'no Feature Count line');
    check('ogrinfo sees point geometry', /Geometry: Point/.test(out));
    const l = spawnSync('ogrinfo', ['-ro', '-q', `OAPIF:${base}/`], { encoding: 'utf8', timeout: 120000 });
    check('ogrinfo lists the events layer', /events/.test(l.stdout), `${l.stdout}${l.stderr}`.slice(0, 300));
  }
}

// Walks `start` by `next` links to the end; checks paging invariants and that the union of the
// pages, in order, equals `expected` (fids ordered by date_start, fid).
async function walkAll(start, expected, label, nextOk = null) {
  let url = start, pages = 0, ok = true, why = '';
  const seen = [];
  let matched = null;
  while (url) {
    const p = await get(url, { accept: 'application/geo+json' });
    pages++;
    if (p.status !== 200) { ok = false; why = `${url} → ${p.status}`; break; }
    if (!validate('featureCollectionGeoJSON', p.json, `${label} page ${pages}`)) ok = false;
    if (matched === null) matched = p.json.numberMatched;
    if (p.json.numberMatched !== matched) { ok = false; why = `numberMatched changed on page ${pages}`; }
    if (p.json.numberReturned !== p.json.features.length) { ok = false; why = `numberReturned ≠ features.length on page ${pages}`; }
    for (const f of p.json.features) {
      seen.push(Number(f.id));
      if (f.geometry === null) walkAll.nullGeometries = (walkAll.nullGeometries || 0) + 1;
    }
    const next = linkOf(p.json, 'next');
    if (next && nextOk && !nextOk(next.href)) { ok = false; why = `next link lost the filter: ${next.href}`; }
    if (next && p.json.features.length === 0) { ok = false; why = 'next link on an empty page'; break; }
    url = next?.href;
    if (pages > 1000) { ok = false; why = 'more than 1000 pages'; break; }
  }
  check(`${label}: ${pages} pages, numberMatched constant (${matched}) = ${expected.length}, numberReturned = features.length`,
    ok && matched === expected.length, why || `numberMatched ${matched}`);
  check(`${label}: union of pages = the store's rows in order (no duplicates, no gaps), next absent on the last page`,
    seen.length === expected.length && new Set(seen).size === seen.length && seen.every((v, i) => v === expected[i]),
    `${seen.length} seen, ${new Set(seen).size} distinct, ${expected.length} expected`);
}

try {
  await main();
} catch (e) {
  check('test ran to completion', false, e.stack || String(e));
  if (serverLog) note(`server output:\n${serverLog.slice(-2000)}`);
} finally {
  await cleanup();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
