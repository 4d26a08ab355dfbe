// DuckDB side of bench/query.sh: the same two queries as `tahadhari stats`
// and `tahadhari events`, over the same synthetic GDELT 2.0 file.
//
// @duckdb/node-api is NOT a dependency of the repository: install it in a
// scratch folder ($BENCH_DIR/duckdb: `npm install @duckdb/node-api`) and pass
// that folder with --modules (default $BENCH_DIR/duckdb, BENCH_DIR defaulting
// to /tmp/tahadhari-bench).
//
// Modes:
//   load  --csv FILE --db FILE.duckdb
//         load the GDELT TSV into table `gdelt` of a new persisted database
//         (used by `once`); prints the load time.
//   bench --csv FILE [--runs 10] [--country USA,KEN] [--bbox W,S,E,N --from D --to D]
//         [--json OUT.json] [--outdir DIR]
//         load the TSV into an in-memory table, then run every query once as
//         a warm-up and --runs times timed; prints the median ms of the query
//         alone (results fully materialised into JS rows and CSV text).
//         --outdir writes each query's CSV result there (for cross-checking).
//   once  --db FILE.duckdb --query stats --country ISO3
//   once  --db FILE.duckdb --query events --bbox W,S,E,N --from D --to D
//         open the persisted database in a new process, run one query and
//         print its CSV to stdout (the end-to-end measure, like a tahadhari run).
import { createRequire } from 'node:module';
import { writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const mode = args.shift();
const opt = {};
for (let i = 0; i < args.length; i += 2) {
  if (!args[i].startsWith('--')) throw new Error(`unexpected argument ${args[i]}`);
  opt[args[i].slice(2)] = args[i + 1];
}
const benchDir = process.env.BENCH_DIR || '/tmp/tahadhari-bench';
const modules = opt.modules || path.join(benchDir, 'duckdb');
const require = createRequire(path.join(path.resolve(modules), 'package.json'));
const { DuckDBInstance } = require('@duckdb/node-api');

// tahadhari filters GDELT by ISO3, mapped from the FIPS 10-4 code in
// ActionGeo_CountryCode.  DuckDB gets the FIPS code directly: only the
// countries the benchmark uses are listed here.
const ISO3_TO_FIPS = { USA: 'US', KEN: 'KE', SOM: 'SO', GBR: 'UK', NGA: 'NI', SYR: 'SY' };

// All 61 GDELT 2.0 columns with explicit types (no sniffing); the table keeps
// the subset an events listing needs.
const GDELT_COLUMNS = [
  ['GLOBALEVENTID', 'BIGINT'], ['SQLDATE', 'INTEGER'], ['MonthYear', 'INTEGER'], ['Year', 'INTEGER'],
  ['FractionDate', 'DOUBLE'],
  ...['Code', 'Name', 'CountryCode', 'KnownGroupCode', 'EthnicCode', 'Religion1Code', 'Religion2Code',
    'Type1Code', 'Type2Code', 'Type3Code'].map((c) => [`Actor1${c}`, 'VARCHAR']),
  ...['Code', 'Name', 'CountryCode', 'KnownGroupCode', 'EthnicCode', 'Religion1Code', 'Religion2Code',
    'Type1Code', 'Type2Code', 'Type3Code'].map((c) => [`Actor2${c}`, 'VARCHAR']),
  ['IsRootEvent', 'INTEGER'], ['EventCode', 'VARCHAR'], ['EventBaseCode', 'VARCHAR'],
  ['EventRootCode', 'VARCHAR'], ['QuadClass', 'INTEGER'], ['GoldsteinScale', 'DOUBLE'],
  ['NumMentions', 'INTEGER'], ['NumSources', 'INTEGER'], ['NumArticles', 'INTEGER'], ['AvgTone', 'DOUBLE'],
  ...['Actor1Geo', 'Actor2Geo', 'ActionGeo'].flatMap((g) => [
    [`${g}_Type`, 'INTEGER'], [`${g}_FullName`, 'VARCHAR'], [`${g}_CountryCode`, 'VARCHAR'],
    [`${g}_ADM1Code`, 'VARCHAR'], [`${g}_ADM2Code`, 'VARCHAR'], [`${g}_Lat`, 'DOUBLE'],
    [`${g}_Long`, 'DOUBLE'], [`${g}_FeatureID`, 'VARCHAR']]),
  ['DATEADDED', 'BIGINT'], ['SOURCEURL', 'VARCHAR'],
];
if (GDELT_COLUMNS.length !== 61) throw new Error(`expected 61 columns, have ${GDELT_COLUMNS.length}`);
const KEPT = ['GLOBALEVENTID', 'SQLDATE', 'Actor1Name', 'Actor2Name', 'EventCode', 'EventRootCode',
  'QuadClass', 'GoldsteinScale', 'NumMentions', 'AvgTone', 'ActionGeo_FullName',
  'ActionGeo_CountryCode', 'ActionGeo_Lat', 'ActionGeo_Long', 'DATEADDED', 'SOURCEURL'];

const sqlStr = (s) => `'${String(s).replaceAll("'", "''")}'`;

function loadSql(csv, table) {
  const cols = GDELT_COLUMNS.map(([n, t]) => `${sqlStr(n)}: ${sqlStr(t)}`).join(', ');
  return `CREATE OR REPLACE TABLE ${table} AS SELECT ${KEPT.join(', ')} FROM read_csv(${sqlStr(csv)},
    delim='\t', header=false, quote='', escape='', auto_detect=false, columns={${cols}})`;
}

function statsSql(iso3) {
  const fips = ISO3_TO_FIPS[iso3];
  if (!fips) throw new Error(`no FIPS code listed for ${iso3}`);
  // month = YYYY-MM of the event date (SQLDATE); GDELT has no fatalities -> 0
  return `SELECT printf('%04d-%02d', SQLDATE // 10000, (SQLDATE // 100) % 100) AS month,
      count(*) AS events, 0 AS fatalities
    FROM gdelt WHERE ActionGeo_CountryCode = ${sqlStr(fips)} -- ${iso3}
    GROUP BY 1 ORDER BY 1`;
}

function eventsSql(bbox, from, to) {
  const [w, s, e, n] = bbox.split(',').map(Number);
  if ([w, s, e, n].some(Number.isNaN)) throw new Error(`bad bbox ${bbox}`);
  const d = (x) => Number(x.replaceAll('-', ''));
  return `SELECT ${KEPT.join(', ')} FROM gdelt
    WHERE SQLDATE BETWEEN ${d(from)} AND ${d(to)}
      AND ActionGeo_Lat BETWEEN ${s} AND ${n} AND ActionGeo_Long BETWEEN ${w} AND ${e}
    ORDER BY SQLDATE, GLOBALEVENTID`;
}

function csvField(v) {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'bigint' ? v.toString() : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

async function runToCsv(conn, sql) {
  const reader = await conn.runAndReadAll(sql);
  const names = reader.columnNames();
  const rows = reader.getRowsJS();
  const lines = [names.join(',')];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  return { csv: lines.join('\n') + '\n', rows: rows.length };
}

function queries() {
  const qs = [];
  for (const c of (opt.country || 'USA,KEN').split(',').filter(Boolean)) {
    qs.push({ name: `stats_${c}`, sql: statsSql(c) });
  }
  if (opt.bbox) qs.push({ name: 'events_bbox', sql: eventsSql(opt.bbox, opt.from, opt.to) });
  return qs;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  if (mode === 'load') {
    if (!opt.csv || !opt.db) throw new Error('load needs --csv and --db');
    for (const f of [opt.db, `${opt.db}.wal`]) if (existsSync(f)) rmSync(f);
    const inst = await DuckDBInstance.create(opt.db);
    const conn = await inst.connect();
    const t0 = performance.now();
    await conn.run(loadSql(opt.csv, 'gdelt'));
    await conn.run('CHECKPOINT');
    const n = (await conn.runAndReadAll('SELECT count(*) FROM gdelt')).getRowsJS()[0][0];
    console.log(`duckdb: loaded ${n} rows into ${opt.db} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else if (mode === 'bench') {
    if (!opt.csv) throw new Error('bench needs --csv');
    const runs = Number(opt.runs || 10);
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    let t0 = performance.now();
    await conn.run(loadSql(opt.csv, 'gdelt'));
    const n = (await conn.runAndReadAll('SELECT count(*) FROM gdelt')).getRowsJS()[0][0];
    console.log(`duckdb: loaded ${n} rows in memory in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const out = {};
    if (opt.outdir) mkdirSync(opt.outdir, { recursive: true });
    for (const q of queries()) {
      const first = await runToCsv(conn, q.sql); // warm-up
      if (opt.outdir) writeFileSync(path.join(opt.outdir, `${q.name}.csv`), first.csv);
      const times = [];
      for (let i = 0; i < runs; i++) {
        t0 = performance.now();
        await runToCsv(conn, q.sql);
        times.push(performance.now() - t0);
      }
      out[q.name] = { median_ms: median(times), min_ms: Math.min(...times), rows: first.rows, runs };
      console.log(`duckdb in-process ${q.name}: median ${out[q.name].median_ms.toFixed(2)} ms over ${runs} runs, ${first.rows} result rows`);
    }
    if (opt.json) writeFileSync(opt.json, JSON.stringify(out, null, 2));
  } else if (mode === 'once') {
    if (!opt.db) throw new Error('once needs --db');
    const inst = await DuckDBInstance.create(opt.db, { access_mode: 'READ_ONLY' });
    const conn = await inst.connect();
    let sql;
    if (opt.query === 'stats') sql = statsSql(opt.country);
    else if (opt.query === 'events') sql = eventsSql(opt.bbox, opt.from, opt.to);
    else throw new Error('--query stats|events');
    process.stdout.write((await runToCsv(conn, sql)).csv);
  } else {
    console.error('usage: node duckdb_query.mjs load|bench|once [options]  (see the header of this file)');
    process.exit(2);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
