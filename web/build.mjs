// Builds web/dist/ (served by `tahadhari serve --web web/dist` at /app/): copies our own files
// from src/ and the few vendor files we need from node_modules/. No bundler, no network.
//   node build.mjs          (npm run build)
import { cpSync, existsSync, mkdirSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const nm = join(here, 'node_modules');

// [from (relative to node_modules), to (relative to dist/vendor)]
const vendor = [
  ['leaflet/dist/leaflet.js', 'leaflet/leaflet.js'],
  ['leaflet/dist/leaflet.css', 'leaflet/leaflet.css'],
  ['leaflet/dist/images', 'leaflet/images'],
  ['leaflet/LICENSE', 'leaflet/LICENSE'],
  ['uplot/dist/uPlot.iife.min.js', 'uplot/uPlot.iife.min.js'],
  ['uplot/dist/uPlot.min.css', 'uplot/uPlot.min.css'],
  ['uplot/LICENSE', 'uplot/LICENSE'],
  ['topojson-client/dist/topojson-client.min.js', 'topojson-client/topojson-client.min.js'],
  ['topojson-client/LICENSE', 'topojson-client/LICENSE'],
  ['world-atlas/countries-50m.json', 'world-atlas/countries-50m.json'],
  ['world-atlas/countries-110m.json', 'world-atlas/countries-110m.json'],
  ['world-atlas/LICENSE', 'world-atlas/LICENSE'],
];

function fail(msg) {
  console.error(`build: ${msg}`);
  process.exit(1);
}

if (!existsSync(nm)) fail('web/node_modules is missing: run `npm ci` in web/ first');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

cpSync(join(here, 'src'), dist, { recursive: true });
for (const [from, to] of vendor) {
  const src = join(nm, from);
  if (!existsSync(src)) fail(`missing ${from}: run \`npm ci\` in web/`);
  const dst = join(dist, 'vendor', to);
  mkdirSync(dirname(dst), { recursive: true });
  cpSync(src, dst, { recursive: true });
}

// Stamp the version so a stale cached dashboard can be told apart.
const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
writeFileSync(join(dist, 'build.json'),
  JSON.stringify({ version: pkg.version, built_at: new Date().toISOString() }) + '\n');
console.log(`build: wrote ${dist}`);
