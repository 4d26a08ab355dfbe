// "Read news": paste an article, let tahadhari extract the events it reports (POST /api/extract),
// see what was found highlighted in the text and on the map, fix it, then save the ticked items
// as field reports (POST /api/incidents, needs an editor token from Settings).
import { api } from '../core/api.js';
import { h, newId } from '../core/dom.js';
import { settings } from '../core/settings.js';

const TYPES = ['Battles', 'Violence against civilians', 'Explosions/Remote violence', 'Riots', 'Protests',
  'Strategic developments'];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const SKIP = new Set(['sentence', 'geometry', 'properties', 'type', 'id', 'spans']);

// ---- defensive reading of the extract answer (its exact shape is not fixed by docs/api.md)
function listOf(resp) {
  if (Array.isArray(resp)) return resp;
  for (const k of ['items', 'events', 'features', 'results']) if (Array.isArray(resp?.[k])) return resp[k];
  return [];
}
function spanOf(v) {
  if (!v || typeof v !== 'object') return null;
  const b = v.begin ?? v.start, e = v.end ?? (Number.isInteger(v.length) && Number.isInteger(b) ? b + v.length : undefined);
  return Number.isInteger(b) && Number.isInteger(e) ? { begin: b, end: e } : null;
}
function valueOf(v) {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'object') return v;
  for (const k of ['value', 'normalized', 'name', 'text', 'label']) {
    if (v[k] !== undefined && v[k] !== null && typeof v[k] !== 'object') return v[k];
  }
  return '';
}
function num(v) {
  const n = typeof v === 'string' && v.trim() === '' ? NaN : Number(v);
  return Number.isFinite(n) ? n : NaN;
}
function coordsOf(obj) {
  if (!obj || typeof obj !== 'object') return null;
  const lat = num(obj.lat ?? obj.latitude), lon = num(obj.lon ?? obj.lng ?? obj.longitude);
  if (Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) return [lat, lon];
  return null;
}

/** Maps UTF-8 byte offsets to string (UTF-16) indices for `text`. */
export function byteMapper(text) {
  const map = [];
  let b = 0;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i);
    const nb = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < nb; k++) map[b + k] = i;
    b += nb;
    i += cp > 0xffff ? 2 : 1;
  }
  map[b] = text.length;
  return { bytes: b, toIndex: (off) => (Number.isInteger(off) && off >= 0 && off <= b ? map[off] : null) };
}

// The item shape of `tahadhari extract` (src/extract ToJson): {kind, status, label, event_type,
// sub_event_type, actor1: {name, category}, place: {name, iso3, admin1, lat, lon}, date: {start,
// end}, counts: {fatalities: {value}}, sentence: {begin, end, text}, spans: {place: {begin, end,
// text}, ...}, confidence}. Offsets are UTF-8 bytes. Other shapes are read as far as possible.
export function normaliseItems(resp, text) {
  const bm = byteMapper(text);
  const conv = (s) => {
    if (!s) return null;
    const a = bm.toIndex(s.begin), e = bm.toIndex(s.end);
    let out = a !== null && e !== null && e > a ? { begin: a, end: e } : null;
    // When the answer quotes the span and the offsets do not fit it, find the quote instead.
    const quote = typeof s.text === 'string' ? s.text : '';
    if (quote && (!out || text.slice(out.begin, out.end) !== quote)) {
      const near = out ? Math.max(0, out.begin - 200) : 0;
      let i = text.indexOf(quote, near);
      if (i < 0) i = text.indexOf(quote);
      out = i >= 0 ? { begin: i, end: i + quote.length } : out;
    }
    return out;
  };
  const spanWithText = (v) => { const sp = spanOf(v); return sp && v && typeof v.text === 'string' ? { ...sp, text: v.text } : sp; };
  return listOf(resp).map((raw0, index) => {
    const raw = raw0 && raw0.type === 'Feature' && raw0.properties ? { ...raw0.properties, geometry: raw0.geometry } : (raw0 || {});
    const fields = [];
    let coords = coordsOf(raw) || coordsOf(raw.place) || coordsOf(raw.location);
    const g = raw.geometry;
    if (!coords && g && g.type === 'Point' && Array.isArray(g.coordinates)) coords = coordsOf({ lat: g.coordinates[1], lon: g.coordinates[0] });
    const values = {};
    for (const [k, v] of Object.entries(raw)) {
      if (SKIP.has(k)) continue;
      const parts = Array.isArray(v) ? v : [v];
      for (const part of parts) {
        const span = conv(spanWithText(part));
        const val = k === 'date' && part && typeof part === 'object' && typeof part.start === 'string' ? part.start : valueOf(part);
        if (values[k] === undefined && val !== '') values[k] = val;
        if (!coords && part && typeof part === 'object') coords = coordsOf(part);
        if (span) fields.push({ name: k, value: String(val), span });
      }
    }
    if (raw.spans && typeof raw.spans === 'object') {
      for (const [k, v] of Object.entries(raw.spans)) {
        for (const part of Array.isArray(v) ? v : [v]) {
          const span = conv(spanWithText(part));
          if (span) fields.push({ name: k, value: String(values[k] ?? part?.text ?? text.slice(span.begin, span.end)), span });
        }
      }
    }
    const place = raw.place && typeof raw.place === 'object' ? raw.place : {};
    const counts = raw.counts && typeof raw.counts === 'object' ? raw.counts : {};
    const sentence = conv(spanWithText(raw.sentence));
    const pick = (...keys) => { for (const k of keys) if (values[k] !== undefined && values[k] !== '') return values[k]; return ''; };
    const fat = counts.fatalities && typeof counts.fatalities === 'object' ? counts.fatalities.value : pick('fatalities');
    const kind = String(raw.kind || 'event');
    const status = String(raw.status || '');
    return {
      index, raw: raw0, sentence, fields, kind, status, label: String(raw.label || ''),
      confidence: Number.isFinite(Number(raw.confidence)) ? Number(raw.confidence) : null,
      sentenceText: (sentence ? text.slice(sentence.begin, sentence.end)
        : String(raw.sentence?.text || pick('sentence_text', 'text', 'description') || '')).trim(),
      lat: coords ? coords[0] : NaN, lon: coords ? coords[1] : NaN,
      date: String(pick('date', 'date_start', 'event_date') || ''),
      event_type: String(pick('event_type', 'type_name', 'category') || ''),
      sub_event_type: String(pick('sub_event_type', 'sub_type') || ''),
      place: String(place.name || pick('place', 'location', 'location_name', 'admin2', 'admin1') || ''),
      admin1: String(place.admin1 || pick('admin1') || ''),
      country: String(place.iso3 || pick('country', 'country_iso3') || ''),
      actor1: String(pick('actor1') || ''),
      actor2: String(pick('actor2') || ''),
      fatalities: fat ?? '',
      // Tick for saving only what reads as an event that happened.
      keepByDefault: kind === 'event' && !['planned', 'denied'].includes(status.toLowerCase()),
    };
  });
}

/** Splits text into runs covered by the same spans. */
function runs(text, items) {
  const cuts = new Set([0, text.length]);
  const spans = [];
  for (const it of items) {
    if (it.sentence) spans.push({ ...it.sentence, kind: 'sentence', item: it.index });
    for (const f of it.fields) spans.push({ ...f.span, kind: 'field', name: f.name, value: f.value, item: it.index });
  }
  for (const s of spans) { cuts.add(s.begin); cuts.add(s.end); }
  const pts = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i + 1 < pts.length; i++) {
    const a = pts[i], b = pts[i + 1];
    const cover = spans.filter((s) => s.begin <= a && s.end >= b);
    out.push({ text: text.slice(a, b), cover });
  }
  return out;
}

export default {
  id: 'news',
  title: 'Read news',
  slot: 'side',
  create(ctx, el) {
    const text = h('textarea', { id: 'news-text', rows: '7', spellcheck: 'false',
      placeholder: 'Paste the text of a news article here.' });
    const published = h('input', { type: 'date', id: 'news-published' });
    const link = h('input', { type: 'url', id: 'news-url', placeholder: 'https://…' });
    const extractBtn = h('button', { type: 'button', id: 'news-extract', class: 'primary', text: 'Find events' });
    const clearBtn = h('button', { type: 'button', class: 'secondary', text: 'Clear' });
    const editBtn = h('button', { type: 'button', class: 'secondary', text: 'Edit the text', hidden: true });
    const textField = h('div', { class: 'field' }, h('label', { for: 'news-text', text: 'Article text' }), text);
    const msg = h('p', { class: 'news-msg', id: 'news-msg', 'aria-live': 'polite' });
    const shown = h('div', { class: 'news-shown', id: 'news-shown', hidden: true, tabindex: '0',
      'aria-label': 'Article text with the extracted events highlighted' });
    const list = h('ol', { class: 'news-items', id: 'news-items' });
    const saveBtn = h('button', { type: 'button', id: 'news-save', class: 'primary', text: 'Save ticked items', hidden: true });
    const saveMsg = h('p', { class: 'news-msg', id: 'news-save-msg', 'aria-live': 'polite' });

    el.append(
      h('p', { class: 'help', text: 'Paste an article, find the events it reports, check them (fix a wrong place or type), then save them to the store.' }),
      textField,
      h('div', { class: 'row2' },
        h('div', { class: 'field' }, h('label', { for: 'news-published', text: 'Published on (optional)' }), published),
        h('div', { class: 'field' }, h('label', { for: 'news-url', text: 'Article link (optional)' }), link)),
      h('div', { class: 'chips' }, extractBtn, editBtn, clearBtn),
      msg, shown, list, saveBtn, saveMsg);

    let items = [];
    let articleText = '';

    function setMsg(el2, text2, kind = '') { el2.textContent = text2; el2.className = `news-msg ${kind}`; }

    function focusItem(index) {
      for (const li of list.children) li.classList.toggle('focused', Number(li.dataset.index) === index);
      const li = list.querySelector(`li[data-index="${index}"]`);
      if (li) li.scrollIntoView({ block: 'nearest' });
      let firstSent = null;
      for (const s of shown.querySelectorAll('.sent')) {
        const on = s.dataset.items.split(' ').includes(String(index));
        s.classList.toggle('focused', on);
        if (on && !firstSent) firstSent = s;
      }
      if (firstSent) shown.scrollTop = Math.max(0, firstSent.offsetTop - 8);
      ctx.layer('news')?.focus(index);
    }

    function renderText() {
      shown.replaceChildren();
      for (const r of runs(articleText, items)) {
        if (!r.cover.length) { shown.append(r.text); continue; }
        const sentItems = [...new Set(r.cover.filter((c) => c.kind === 'sentence').map((c) => c.item))];
        const flds = r.cover.filter((c) => c.kind === 'field');
        const allItems = [...new Set(r.cover.map((c) => c.item))];
        const span = h('span', {
          class: `${sentItems.length ? 'sent' : ''}${flds.length ? ` fld fld-${flds[0].name.replace(/[^a-z0-9_]/gi, '')}` : ''}`,
          title: flds.length ? flds.map((f) => `${f.name}: ${f.value} (item ${f.item + 1})`).join('\n')
            : `Item ${allItems.map((i) => i + 1).join(', ')}`,
          dataset: { items: allItems.join(' ') },
          onclick: () => focusItem(allItems[0]),
        }, r.text);
        shown.append(span);
      }
      shown.hidden = false;
    }

    function inputFor(label, value, attrs = {}) {
      const id = newId('ni');
      const input = h('input', { id, value: value ?? '', ...attrs });
      return [h('label', { for: id, text: label }), input];
    }

    function placeOnMap() {
      const placed = ctx.layer('news')?.setItems(items.map((it) => ({
        index: it.index, lat: it.lat, lon: it.lon, text: it.sentenceText, short: `${it.index + 1}. ${it.place || '?'}`,
        label: `${it.index + 1}. ${it.place || 'place?'} — ${it.event_type || 'type?'}${it.date ? ` (${it.date})` : ''}`,
      }))) || 0;
      return placed;
    }

    function renderItems() {
      list.replaceChildren(...items.map((it) => {
        const typeSel = h('select', { id: newId('nt') },
          h('option', { value: '', text: '(choose a type)' }),
          ...[...new Set([...TYPES, it.event_type].filter(Boolean))].map((t) => h('option', { value: t, text: t })));
        typeSel.value = it.event_type;
        const [dl, date] = inputFor('Date', it.date || published.value, { type: 'date' });
        const [pl, place] = inputFor('Place', it.place, { type: 'text' });
        const [lal, lat] = inputFor('Lat', Number.isFinite(it.lat) ? String(it.lat) : '', { type: 'number', step: 'any', min: '-90', max: '90' });
        const [lol, lon] = inputFor('Lon', Number.isFinite(it.lon) ? String(it.lon) : '', { type: 'number', step: 'any', min: '-180', max: '180' });
        const [fl, fat] = inputFor('Fatalities', it.fatalities === '' || it.fatalities == null ? '' : String(it.fatalities), { type: 'number', min: '0', step: '1' });
        const keepId = newId('nk');
        const keep = h('input', { type: 'checkbox', id: keepId, checked: it.keepByDefault });
        const result = h('p', { class: 'item-result', 'aria-live': 'polite' });
        const update = () => {
          it.event_type = typeSel.value; it.date = date.value; it.place = place.value;
          it.lat = num(lat.value); it.lon = num(lon.value);
          it.fatalities = fat.value === '' ? '' : Number(fat.value);
          it.keep = keep.checked;
          placeOnMap();
        };
        for (const x of [typeSel, date, place, lat, lon, fat, keep]) x.addEventListener('change', update);
        it.keep = it.keepByDefault;
        it.resultEl = result;
        const about = [it.label, it.kind !== 'event' ? it.kind : '', it.status ? it.status.replace(/_/g, ' ') : '',
          it.confidence !== null ? `confidence ${Math.round(it.confidence * 100)}%` : ''].filter(Boolean).join(' · ');
        const typeId = typeSel.id;
        const li = h('li', { class: 'news-item', dataset: { index: String(it.index) } },
          h('div', { class: 'item-head' }, keep, h('label', { for: keepId, text: `Save item ${it.index + 1}` }),
            h('button', { type: 'button', class: 'link', text: 'Show', onclick: () => focusItem(it.index) })),
          about ? h('p', { class: 'help item-about', text: about }) : null,
          h('blockquote', { class: 'item-sentence', text: it.sentenceText || '(no sentence given)' }),
          h('div', { class: 'item-grid' },
            h('label', { for: typeId, text: 'Type' }), typeSel, dl, date, pl, place, lal, lat, lol, lon, fl, fat),
          (it.actor1 || it.actor2) ? h('p', { class: 'help', text: `Actors: ${[it.actor1, it.actor2].filter(Boolean).join(' vs ')}` }) : null,
          result);
        return li;
      }));
      saveBtn.hidden = items.length === 0;
    }

    async function extract() {
      articleText = text.value;
      items = [];
      list.replaceChildren();
      shown.hidden = true;
      saveBtn.hidden = true;
      setMsg(saveMsg, '');
      ctx.layer('news')?.setItems([]);
      if (!articleText.trim()) { setMsg(msg, 'Paste the article text first.', 'error'); return; }
      if (published.value && !DATE_RE.test(published.value)) { setMsg(msg, 'The published date should look like 2023-09-01.', 'error'); return; }
      extractBtn.disabled = true;
      setMsg(msg, 'Reading the article…');
      ctx.hook.news = { status: 'running' };
      try {
        const resp = await api('/api/extract', {
          method: 'POST', params: { published: published.value }, body: articleText,
          contentType: 'text/plain; charset=utf-8', what: 'Reading the article' });
        items = normaliseItems(resp, articleText);
        renderText();
        renderItems();
        textField.hidden = true;
        editBtn.hidden = false;
        const first = shown.querySelector('.sent');
        if (first) shown.scrollTop = Math.max(0, first.offsetTop - 8);
        const placed = placeOnMap();
        ctx.layer('news')?.fit();
        const unplaced = items.length - placed;
        setMsg(msg, items.length
          ? `Found ${items.length} item${items.length === 1 ? '' : 's'}; ${placed} placed on the map${unplaced ? `, ${unplaced} without a place (add coordinates to save them on the map)` : ''}.`
          : 'No events were found in this text.', items.length ? 'ok' : '');
        ctx.hook.news = { status: 'ok', items: items.length, placed };
      } catch (err) {
        if (err.status === 501) {
          setMsg(msg, 'News extraction is not available in this build.', 'error');
          ctx.hook.news = { status: 'unavailable' };
        } else {
          setMsg(msg, err.message, 'error');
          ctx.hook.news = { status: 'error', message: err.message };
        }
      } finally {
        extractBtn.disabled = false;
      }
    }

    async function save() {
      if (!settings.get('token')) {
        setMsg(saveMsg, 'Saving needs an editor token. Enter it in Settings, then press Save again.', 'error');
        return;
      }
      saveBtn.disabled = true;
      let ok = 0, failed = 0;
      for (const it of items) {
        if (!it.keep || it.saved) continue;
        const date = it.date || published.value;
        const hasPoint = Number.isFinite(it.lat) && Number.isFinite(it.lon);
        if (!DATE_RE.test(date)) { it.resultEl.textContent = 'Needs a date before it can be saved.'; failed++; continue; }
        if (!hasPoint && !it.place) { it.resultEl.textContent = 'Needs a place or coordinates before it can be saved.'; failed++; continue; }
        const body = { date, event_type: it.event_type || undefined, sub_event_type: it.sub_event_type || undefined,
          actor1: it.actor1 || undefined, actor2: it.actor2 || undefined, place: it.place || undefined,
          country: it.country || undefined, admin1: it.admin1 || undefined,
          fatalities: it.fatalities === '' || it.fatalities == null || !Number.isFinite(Number(it.fatalities)) ? undefined : Number(it.fatalities),
          description: [it.sentenceText, link.value ? `Source: ${link.value}` : '',
            published.value ? `Published ${published.value}.` : ''].filter(Boolean).join(' ') };
        if (hasPoint) { body.lat = it.lat; body.lon = it.lon; }
        try {
          const f = await api('/api/incidents', { method: 'POST', body: JSON.stringify(body),
            contentType: 'application/json', what: `Saving item ${it.index + 1}` });
          it.saved = true;
          it.resultEl.textContent = `Saved (store id ${f?.id ?? f?.properties?.fid ?? '?'}).`;
          ok++;
        } catch (err) {
          it.resultEl.textContent = err.message;
          failed++;
          if (err.status === 401 || err.status === 403) break;
        }
      }
      saveBtn.disabled = false;
      ctx.hook.newsSaved = (ctx.hook.newsSaved || 0) + ok;
      setMsg(saveMsg, `${ok} saved${failed ? `, ${failed} not saved (see the items above)` : ''}.${ok ? ' Saved items show on the map when the filter includes their date and type.' : ''}`, failed ? 'error' : 'ok');
      if (ok) ctx.refresh();
    }

    extractBtn.addEventListener('click', extract);
    saveBtn.addEventListener('click', save);
    editBtn.addEventListener('click', () => {
      textField.hidden = false; editBtn.hidden = true; text.focus();
    });
    clearBtn.addEventListener('click', () => {
      textField.hidden = false; editBtn.hidden = true;
      text.value = ''; items = []; list.replaceChildren(); shown.hidden = true; saveBtn.hidden = true;
      setMsg(msg, ''); setMsg(saveMsg, ''); ctx.layer('news')?.setItems([]);
    });

    return {
      onInfo(info) {
        if (info && info.extract_available === false) {
          setMsg(msg, 'Note: news extraction is not available in this build of tahadhari.', '');
        }
      },
      show(arg) { if (arg && Number.isInteger(arg.focus)) focusItem(arg.focus); },
    };
  },
};
