// One event in full: what happened, the source text, who reported it and where the record came
// from (file:line), then every field. Opened by clicking a dot on the map.
import { api } from '../core/api.js';
import { h } from '../core/dom.js';
import { typeColor } from '../core/colors.js';

const LABELS = {
  fid: 'Store id', source: 'Source', source_id: 'Source id', date_start: 'Date (start)', date_end: 'Date (end)',
  date_precision: 'Date precision', event_type: 'Event type', sub_event_type: 'Sub-type',
  source_event_code: 'Source code', mapping_lossy: 'Type mapped approximately', actor1: 'Actor 1',
  actor1_category: 'Actor 1 category', assoc_actor1: 'Associated with actor 1', actor2: 'Actor 2',
  actor2_category: 'Actor 2 category', assoc_actor2: 'Associated with actor 2', country_iso3: 'Country',
  admin1: 'County / region', admin2: 'Admin 2', place: 'Place', latitude: 'Latitude', longitude: 'Longitude',
  geo_precision: 'Place precision', fatalities: 'Fatalities', fatalities_low: 'Fatalities (low)',
  fatalities_high: 'Fatalities (high)', reported_by: 'Reported by', notes: 'Notes / source text', url: 'Link',
  source_file: 'File', source_line: 'Line', ingested_at: 'Loaded at',
};

function show(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function safeLink(u) {
  try {
    const p = new URL(String(u));
    return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : null;
  } catch { return null; }
}

export default {
  id: 'event',
  title: 'Event',
  slot: 'side',
  create(ctx, el) {
    const body = h('div', { class: 'event-body', 'aria-live': 'polite' },
      h('p', { class: 'empty', text: 'Click a dot on the map to read that event here.' }));
    el.append(body);
    let seq = 0;

    function render(feature) {
      const p = feature?.properties || {};
      const fid = feature?.id ?? p.fid;
      const where = [p.place, p.admin2, p.admin1, p.country_iso3].filter(Boolean).join(', ');
      const dead = p.fatalities === null || p.fatalities === undefined ? 'fatalities unknown'
        : `${p.fatalities} fatalit${p.fatalities === 1 ? 'y' : 'ies'}`;
      const dates = p.date_end && p.date_end !== p.date_start ? `${p.date_start} to ${p.date_end}` : p.date_start;
      const link = p.url ? safeLink(p.url) : null;
      const fileLine = p.source_file ? `${p.source_file}${p.source_line ? `:${p.source_line}` : ''}` : '';

      // Fields in the order of docs/event-model.md (the JSON may come sorted by name).
      const order = Object.keys(LABELS);
      const rank = (k) => { const i = order.indexOf(k); return i < 0 ? order.length : i; };
      const entries = Object.entries(p).sort((a, b) => rank(a[0]) - rank(b[0]));
      const rows = entries.map(([k, v]) => {
        let val;
        if (k === 'url' && link) val = h('a', { href: link, target: '_blank', rel: 'noopener noreferrer', text: String(v) });
        else val = show(v);
        return [h('dt', { text: LABELS[k] || k, title: k }), h('dd', { class: k === 'notes' ? 'long' : null }, val)];
      });

      body.replaceChildren(
        h('h2', { class: 'event-title' },
          h('span', { class: 'swatch', style: `background:${typeColor(p.event_type)}`, 'aria-hidden': 'true' }),
          `${p.event_type || 'Event'}${p.sub_event_type ? ` — ${p.sub_event_type}` : ''}`),
        h('p', { class: 'event-when' }, `${dates || 'date unknown'} · ${where || 'place unknown'} · ${dead}`),
        (p.actor1 || p.actor2) ? h('p', { class: 'event-actors' },
          [p.actor1, p.actor2].filter(Boolean).join(' vs ')) : null,
        h('h3', { text: 'What was reported' }),
        h('blockquote', { class: 'notes', id: 'event-notes', text: p.notes || '(no text from the source)' }),
        h('h3', { text: 'Who said this' }),
        h('dl', { class: 'provenance', id: 'event-provenance' },
          h('dt', { text: 'Source' }), h('dd', { text: show(p.source) }),
          h('dt', { text: 'Source id' }), h('dd', { class: 'source-id', text: show(p.source_id) }),
          h('dt', { text: 'Reported by' }), h('dd', { text: show(p.reported_by) }),
          h('dt', { text: 'From file' }), h('dd', { class: 'file-line', text: fileLine || '—' }),
          h('dt', { text: 'Link' }), h('dd', {}, link
            ? h('a', { href: link, target: '_blank', rel: 'noopener noreferrer', text: link }) : '—')),
        h('div', { class: 'chips' },
          Number.isFinite(p.latitude) && Number.isFinite(p.longitude)
            ? h('button', { type: 'button', class: 'chip', text: 'Zoom to event', onclick: () => {
              ctx.map.setView([p.latitude, p.longitude], Math.max(ctx.map.getZoom(), 10));
            } }) : null),
        h('details', { class: 'all-fields', open: true }, h('summary', { text: 'All fields' }), h('dl', { class: 'fields' }, rows.flat())),
      );
      body.dataset.fid = String(fid);
      ctx.hook.eventShown = { fid, source_id: p.source_id };
    }

    return {
      async show(arg) {
        if (!arg || arg.fid === undefined) return;
        const my = ++seq;
        body.replaceChildren(h('p', { class: 'empty', text: 'Loading the event…' }));
        try {
          const f = await api(`/collections/events/items/${encodeURIComponent(arg.fid)}`, { what: 'Opening the event' });
          if (my !== seq) return;
          render(f);
          ctx.layer('events')?.select?.(Number(arg.fid));
        } catch (err) {
          if (my !== seq) return;
          body.replaceChildren(h('p', { class: 'error', role: 'alert', text: err.status === 404
            ? 'This event is no longer in the store (it may have been replaced by a newer import).'
            : err.message }));
        }
      },
    };
  },
};
