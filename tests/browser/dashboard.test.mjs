#!/usr/bin/env node
// End-to-end browser test of the dashboard (web/) against `tahadhari serve` on real ACLED data.
//
//   node tests/browser/dashboard.test.mjs [--binary build/tahadhari] [--shared ../shared]
//        [--out tests/out/browser] [--chromium /usr/bin/chromium] [--keep] [--mock]
//
// Exit codes: 0 pass, 1 fail, 77 skipped (no ../shared data, no chromium, no playwright-core in
// web/node_modules, or a tahadhari without `serve`); the reason is printed.
// --mock serves the same events (exported with `tahadhari events --format geojson`) from
// web/dev/mock-server.mjs instead of `tahadhari serve`: for dashboard work before the server exists.
// Only loopback traffic: the browser may not reach any other host.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SKIP = 77;

function args(argv) {
  const o = { binary: join(repo, 'build', 'tahadhari'), shared: resolve(repo, '..', 'shared'),
    out: join(repo, 'tests', 'out', 'browser'), chromium: process.env.CHROMIUM || '/usr/bin/chromium',
    keep: false, mock: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--binary') o.binary = resolve(argv[++i]);
    else if (a === '--shared') o.shared = resolve(argv[++i]);
    else if (a === '--out') o.out = resolve(argv[++i]);
    else if (a === '--chromium') o.chromium = resolve(argv[++i]);
    else if (a === '--keep') o.keep = true;
    else if (a === '--mock') o.mock = true;
    else { console.error(`dashboard.test: unknown argument ${a}`); process.exit(2); }
  }
  return o;
}
const opt = args(process.argv.slice(2));

function skip(reason) {
  console.log(`SKIP dashboard browser test: ${reason}`);
  process.exit(SKIP);
}

// ---------------------------------------------------------------- preconditions
const acled = join(opt.shared, 'data', 'acled', 'kenya-1997-2016.csv');
const article = join(opt.shared, 'news', 'kenya-confirms-withdrawal-from-somalia.txt');
if (!existsSync(acled)) skip(`${acled} is absent (the shared data folder is needed)`);
if (!existsSync(opt.chromium)) skip(`no chromium at ${opt.chromium} (apt-get install chromium)`);
let chromium;
try {
  const req = createRequire(join(repo, 'web', 'package.json'));
  ({ chromium } = req('playwright-core'));
} catch {
  skip('playwright-core is not installed in web/node_modules (run `npm ci` in web/)');
}
if (!existsSync(opt.binary)) {
  console.error(`FAIL: no tahadhari binary at ${opt.binary} (build it first)`);
  process.exit(1);
}
if (!opt.mock) {
  const help = spawnSync(opt.binary, ['serve', '--help'], { encoding: 'utf8' });
  if (help.status !== 0 || !/serve/i.test(help.stdout + help.stderr) || /Subcommands:/.test(help.stdout)) {
    skip(`${opt.binary} has no \`serve\` subcommand yet (use --mock for the dashboard alone)`);
  }
}
const webDist = join(repo, 'web', 'dist');
if (!existsSync(join(webDist, 'index.html'))) {
  const b = spawnSync(process.execPath, [join(repo, 'web', 'build.mjs')], { encoding: 'utf8' });
  if (b.status !== 0) { console.error(`FAIL: could not build web/dist:\n${b.stderr}`); process.exit(1); }
}

// ---------------------------------------------------------------- helpers
mkdirSync(opt.out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'tahadhari-browser-'));
const store = join(work, 'store.gpkg');
const results = [];
let failed = 0;
function check(name, ok, detail = '') {
  results.push({ name, ok });
  if (!ok) failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}${detail ? ` (${detail})` : ''}`);
  return ok;
}
function note(text) { console.log(`# ${text}`); }
function run(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}
function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.unref();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server = null, context = null;
// An editor token: the mock's fixed one, or one made by `tahadhari token create` (null if it can't).
function editorToken() {
  if (opt.mock) return 'dev-token';
  const r = spawnSync(opt.binary, ['token', 'create', '--store', store, '--role', 'editor', '--name', 'browser-test'],
    { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const words = (r.stdout || '').split(/\s+/).filter((w) => /^[A-Za-z0-9_.~+=-]{20,}$/.test(w));
  return words.length ? words[words.length - 1] : null;
}
async function cleanup() {
  try { if (context) await context.close(); } catch { /* already gone */ }
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    for (let i = 0; i < 30 && server.exitCode === null; i++) await sleep(100);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (!opt.keep) rmSync(work, { recursive: true, force: true });
}
process.on('SIGINT', async () => { await cleanup(); process.exit(1); });

async function main() {
  // -------------------------------------------------------------- store and expected counts
  run(opt.binary, ['ingest', '--store', store, acled]);
  const stats = JSON.parse(run(opt.binary, ['stats', '--store', store, '--by', 'year', '--type', 'Battles',
    '--from', '2015-01-01', '--to', '2015-12-31', '--format', 'json']));
  const expected = Number(stats.total.events);
  note(`tahadhari stats: ${expected} Battles events in 2015`);
  check('stats gives a non-zero expected count', expected > 0, String(expected));

  // -------------------------------------------------------------- server
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = createWriteStream(join(opt.out, 'server.log'));
  if (opt.mock) {
    const geo = join(work, 'events.geojson');
    writeFileSync(geo, run(opt.binary, ['events', '--store', store, '--format', 'geojson', '--limit', '0']));
    server = spawn(process.execPath, [join(repo, 'web', 'dev', 'mock-server.mjs'), '--port', String(port),
      '--web', webDist, '--events', geo, '--extract'], { stdio: ['ignore', 'pipe', 'pipe'] });
    note('using the mock server (--mock)');
  } else {
    server = spawn(opt.binary, ['serve', '--store', store, '--port', String(port), '--web', webDist],
      { stdio: ['ignore', 'pipe', 'pipe'] });
  }
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  let info = null;
  for (let i = 0; i < 150 && !info; i++) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}; see ${join(opt.out, 'server.log')}`);
    try {
      const r = await fetch(`${base}/api/info`);
      if (r.ok) info = await r.json();
    } catch { /* not listening yet */ }
    if (!info) await sleep(200);
  }
  if (!check('server answers /api/info', Boolean(info))) return;
  note(`/api/info: ${JSON.stringify(info)}`);

  // -------------------------------------------------------------- browser
  const profile = mkdtempSync(join(work, 'profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: opt.chromium, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'],
    viewport: { width: 1366, height: 768 }, acceptDownloads: true,
  });
  const offsite = [];
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) || u.protocol === 'data:' || u.protocol === 'blob:') {
      return route.continue();
    }
    offsite.push(u.href);
    return route.abort();
  });
  const page = context.pages()[0] || await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') note(`browser console: ${m.text()}`); });
  const shot = async (name) => page.screenshot({ path: join(opt.out, name) });
  const hook = () => page.evaluate(() => JSON.parse(JSON.stringify({ ...window.__tahadhari, pickPoint: undefined })));
  const settled = (pred = '() => true') => page.waitForFunction(
    `(() => { const t = window.__tahadhari; return t && t.ready && t.busy === 0 && !t.pending && (${pred})(); })()`,
    null, { timeout: 30000 });

  // 1. map with markers
  await page.goto(`${base}/app/`);
  await settled('() => window.__tahadhari.pointsDrawn > 0 && window.__tahadhari.countriesLoaded');
  let h = await hook();
  await shot('01-map.png');
  check('map draws event dots on its canvas', h.pointsDrawn > 0, `${h.pointsDrawn} drawn, ${h.pointsLoaded} loaded`);
  check('map count is all located events of the store', h.lastCounts.map > 0 && h.lastCounts.map <= info.events,
    `${h.lastCounts.map} of ${info.events}`);

  // 2. time window + type filter
  await page.fill('#filter-from', '2015-01-01');
  await page.locator('#filter-from').dispatchEvent('change');
  await page.fill('#filter-to', '2015-12-31');
  await page.locator('#filter-to').dispatchEvent('change');
  await page.waitForSelector('#type-Battles');
  await page.check('#type-Battles');
  await settled(`() => /type=Battles/.test(location.hash) && /from=2015-01-01/.test(location.hash) && /to=2015-12-31/.test(location.hash)`);
  h = await hook();
  await shot('02-filtered-2015-battles.png');
  check('map count equals tahadhari stats', h.lastCounts.map === expected, `map ${h.lastCounts.map}, stats ${expected}`);
  check('timeline total equals tahadhari stats', h.lastCounts.timeline === expected, `timeline ${h.lastCounts.timeline}, stats ${expected}`);
  const countsText = await page.textContent('#counts');
  check('top bar shows the count in words', countsText.includes(`${expected} events on the map`), countsText);
  check('timeline uses weekly buckets for a one-year window', await page.evaluate(() => window.__tahadhari.timelineBuckets >= 52));
  check('canvas draws the filtered events', h.pointsDrawn > 0 && h.pointsDrawn <= expected, `${h.pointsDrawn} drawn`);

  // 3. the same view from its link (URL hash) in a fresh page
  const shared = page.url();
  const page2 = await context.newPage();
  await page2.goto(shared);
  await page2.waitForFunction('(() => { const t = window.__tahadhari; return t && t.ready && t.busy === 0 && !t.pending; })()', null, { timeout: 30000 });
  const h2 = await page2.evaluate(() => window.__tahadhari.lastCounts);
  check('a shared link restores the filter', h2.map === expected && h2.timeline === expected, JSON.stringify(h2));
  await page2.close();

  // 4. the list of the filtered events
  await page.click('#tab-list');
  await page.waitForSelector('#event-list li', { timeout: 15000 });
  const rows = await page.locator('#event-list li').count();
  check('list panel shows the newest filtered events', rows === Math.min(50, expected), `${rows} rows`);

  // 5. open an event by clicking a drawn dot
  const target = await page.evaluate(() => window.__tahadhari.pickPoint());
  if (check('found a dot to click', Boolean(target), JSON.stringify(target))) {
    await page.mouse.move(target.x, target.y);
    await page.mouse.click(target.x, target.y);
    await page.waitForSelector('#panel-event:not([hidden]) .source-id', { timeout: 15000 });
    await page.waitForFunction((fid) => window.__tahadhari.eventShown && window.__tahadhari.eventShown.fid === fid, target.fid);
    const feat = await (await fetch(`${base}/collections/events/items/${target.fid}`)).json();
    const shownId = (await page.textContent('#panel-event .source-id')).trim();
    const shownNotes = (await page.textContent('#event-notes')).trim();
    const provenance = await page.textContent('#event-provenance');
    await shot('03-event.png');
    check('event panel shows the source_id', shownId === feat.properties.source_id, `${shownId} vs ${feat.properties.source_id}`);
    check('event panel shows the notes', feat.properties.notes && shownNotes === feat.properties.notes.trim());
    check('event panel shows file:line provenance',
      provenance.includes(`${feat.properties.source_file}:${feat.properties.source_line}`) &&
      provenance.includes(feat.properties.reported_by));
  }

  // 6. GeoJSON download of the current filter
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), page.click('#download-geojson')]);
  const dlPath = join(work, 'download.geojson');
  await download.saveAs(dlPath);
  const fc = JSON.parse(readFileSync(dlPath, 'utf8'));
  check('Download GeoJSON holds the filtered events', fc.type === 'FeatureCollection' && fc.features.length === expected,
    `${fc.features.length} features`);

  // 7. Read news
  await page.click('#tab-news');
  await page.fill('#news-text', readFileSync(article, 'utf8'));
  await page.fill('#news-published', '2023-09-01');
  await page.click('#news-extract');
  await page.waitForFunction(() => window.__tahadhari.news && window.__tahadhari.news.status !== 'running', null, { timeout: 60000 });
  await sleep(300);
  const news = await page.evaluate(() => ({ ...window.__tahadhari.news, onMap: window.__tahadhari.newsOnMap }));
  await shot('04-read-news.png');
  await page.locator('#news-items').scrollIntoViewIfNeeded().catch(() => {});
  await shot('05-read-news-items.png');
  if (!info.extract_available) {
    note('Read news step skipped: /api/info says extract_available is false (news extraction is not in this build)');
    const msg = await page.textContent('#news-msg');
    check('Read news says extraction is not available', news.status === 'unavailable' && /not available in this build/i.test(msg), msg);
  } else {
    check('Read news extracted items', news.status === 'ok' && news.items > 0, JSON.stringify({ status: news.status, items: news.items, message: news.message }));
    for (const place of ['Garissa', 'Lamu']) {
      const hit = (news.onMap || []).some((p) => p.label.includes(place) || (p.text || '').includes(place));
      check(`an item mentioning ${place} is on the map`, hit, JSON.stringify(news.onMap.map((p) => p.label)));
    }
    const markers = await page.locator('path.news-marker').count();
    check('news markers are drawn', markers >= 2, `${markers} markers`);

    // Save the items as field reports with an editor token (when this build can make one).
    const token = editorToken();
    if (!token) {
      note('Save step skipped: could not create an editor token with `tahadhari token create`');
    } else {
      await page.click('#tab-settings');
      await page.fill('#settings-token', token);
      await page.click('#settings-save');
      await page.click('#tab-news');
      const ticked = await page.locator('#news-items .item-head input:checked').count();
      await page.click('#news-save');
      await page.waitForFunction((n) => (window.__tahadhari.newsSaved || 0) >= n, ticked, { timeout: 30000 })
        .catch(() => {});
      const saved = await page.evaluate(() => window.__tahadhari.newsSaved || 0);
      const r = await (await fetch(`${base}/collections/events/items?source=report&limit=100`,
        { headers: { Authorization: `Bearer ${token}` } })).json();
      await shot('06-read-news-saved.png');
      check('Save stores the ticked items as reports', ticked > 0 && saved === ticked && r.numberMatched === ticked,
        `${ticked} ticked, ${saved} saved, ${r.numberMatched} reports in the store`);
    }
  }

  // 8. brush the timeline: drag across part of the chart sets a narrower window for everything
  await page.click('#tab-filters');
  const over = await page.locator('.timeline-chart .u-over').boundingBox();
  if (check('timeline chart is drawn', Boolean(over))) {
    const y = over.y + over.height / 2;
    await page.mouse.move(over.x + over.width * 0.25, y);
    await page.mouse.down();
    await page.mouse.move(over.x + over.width * 0.6, y, { steps: 8 });
    await page.mouse.up();
    await settled(`() => !/from=2015-01-01&/.test(location.hash + '&') || !/to=2015-12-31&/.test(location.hash + '&')`);
    const f = await page.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.slice(1))));
    const brushed = JSON.parse(run(opt.binary, ['stats', '--store', store, '--by', 'year', '--type', 'Battles',
      '--from', f.from, '--to', f.to, '--format', 'json']));
    const n = Number(brushed.total.events);
    const c = (await hook()).lastCounts;
    await shot('07-timeline-brushed.png');
    check('brushing the timeline narrows the window', f.from > '2015-01-01' && f.to < '2015-12-31' && f.from <= f.to,
      `${f.from}..${f.to}`);
    check('after brushing, map and timeline counts equal tahadhari stats', c.map === n && c.timeline === n,
      `map ${c.map}, timeline ${c.timeline}, stats ${n}`);
  }

  check('no uncaught errors in the page', pageErrors.length === 0, pageErrors.join(' | '));
  check('no traffic beyond loopback', offsite.length === 0, offsite.slice(0, 5).join(' '));
}

const watchdog = setTimeout(async () => {
  console.error('FAIL: the browser test took longer than 5 minutes');
  await cleanup();
  process.exit(1);
}, 300000);
try {
  await main();
} catch (err) {
  check('test ran to the end', false, err.stack || String(err));
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
const passed = results.filter((r) => r.ok).length;
console.log(`screenshots and server log: ${opt.out}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
