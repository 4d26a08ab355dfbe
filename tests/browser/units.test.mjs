// Unit tests of the dashboard's pure logic (no browser): `node --test tests/browser/units.test.mjs`.
import test from 'node:test';
import assert from 'node:assert/strict';

// The modules read `location` when loaded (API base under /app/).
globalThis.location = { pathname: '/app/', origin: 'http://127.0.0.1:8080', hash: '', search: '' };
const { byteMapper, normaliseItems } = await import('../../web/src/panels/news.js');
const { intervalFor } = await import('../../web/src/panels/timeline.js');
const { filterParams, emptyFilter } = await import('../../web/src/core/state.js');
const { url } = await import('../../web/src/core/api.js');

const enc = new TextEncoder();
const bytes = (s) => enc.encode(s).length;

test('byte offsets map to string indices across multi-byte characters', () => {
  const text = 'a’b🙂c';
  const m = byteMapper(text);
  assert.equal(m.bytes, bytes(text));
  assert.equal(m.toIndex(0), 0);
  assert.equal(m.toIndex(1), 1); // ’ starts at byte 1 (3 bytes)
  assert.equal(m.toIndex(4), 2); // b
  assert.equal(m.toIndex(5), 3); // 🙂 (4 bytes, 2 UTF-16 units)
  assert.equal(m.toIndex(9), 5); // c
  assert.equal(m.toIndex(bytes(text)), text.length);
  assert.equal(m.toIndex(99), null);
  assert.equal(m.toIndex(-1), null);
});

test('extract items in the src/extract shape are read, spans converted from UTF-8 bytes', () => {
  const text = 'Kenya’s “troops” left. Al-Shabaab attacked Garissa, killing 3 🙂 people.\nLamu was calm.';
  const s0 = text.indexOf('Al-Shabaab'), s1 = text.indexOf('\n');
  const p0 = text.indexOf('Garissa');
  const at = (i) => bytes(text.slice(0, i));
  const resp = { items: [{
    kind: 'event', status: 'occurred', label: 'attack', event_type: 'Violence against civilians',
    actor1: { name: 'Al Shabaab', category: 'Rebel group' }, actor2: null,
    place: { text: 'Garissa', name: 'Garissa', iso3: 'KEN', admin1: 'Garissa', lat: -0.45, lon: 39.64 },
    date: { start: '2023-08-28', end: '2023-08-28', precision: 'day' },
    counts: { fatalities: { value: 3, qualifier: null } },
    sentence: { begin: at(s0), end: at(s1), text: text.slice(s0, s1) },
    spans: { place: { begin: at(p0), end: at(p0 + 7), text: 'Garissa' } }, confidence: 0.7,
  }, { kind: 'posture', status: 'planned', sentence: { begin: 0, end: 10 ** 6 }, place: null }] };
  const [a, b] = normaliseItems(resp, text);
  assert.equal(a.sentenceText, text.slice(s0, s1));
  assert.deepEqual(a.fields.map((f) => [f.name, text.slice(f.span.begin, f.span.end)]), [['place', 'Garissa']]);
  assert.equal(a.place, 'Garissa');
  assert.equal(a.country, 'KEN');
  assert.equal(a.actor1, 'Al Shabaab');
  assert.equal(a.date, '2023-08-28');
  assert.equal(a.fatalities, 3);
  assert.equal(a.lat, -0.45);
  assert.equal(a.keepByDefault, true);
  assert.equal(b.sentence, null); // out-of-range span is ignored, not thrown on
  assert.equal(b.keepByDefault, false);
  assert.ok(Number.isNaN(b.lat));
});

test('odd extract answers do not throw', () => {
  for (const r of [null, {}, [], 'x', { items: [null, 3, 'a'] }, [{ sentence: 'x', place: [1, 2] }],
    { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [40, -1] }, properties: { place: 'X' } }] }]) {
    assert.doesNotThrow(() => normaliseItems(r, 'some text'));
  }
  const [f] = normaliseItems({ features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [40, -1] }, properties: { place: 'X' } }] }, 't');
  assert.deepEqual([f.lat, f.lon, f.place], [-1, 40, 'X']);
});

test('timeline interval follows the window length', () => {
  assert.equal(intervalFor('2015-01-01', '2015-03-31'), 'day');
  assert.equal(intervalFor('2015-01-01', '2015-12-31'), 'week');
  assert.equal(intervalFor('2014-01-01', '2016-12-31'), 'month');
  assert.equal(intervalFor('', ''), 'month');
});

test('filter parameters follow docs/api.md', () => {
  const f = { ...emptyFilter(), from: '2015-01-01', to: '2015-12-31', type: ['Battles', 'Riots'], near: '-0.45,39.6', within: '50' };
  assert.deepEqual(filterParams(f), { from: '2015-01-01', to: '2015-12-31', type: 'Battles,Riots', near: '-0.45,39.6', within: '50' });
  assert.deepEqual(filterParams(f, ['type', 'near']), { from: '2015-01-01', to: '2015-12-31' });
  assert.equal(url('/api/points', { type: 'Explosions/Remote violence', max: 5 }).href,
    'http://127.0.0.1:8080/api/points?type=Explosions%2FRemote+violence&max=5');
});
