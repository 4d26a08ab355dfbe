// Filter pickers: time window, event type, actor, country, county/region, source, area.
// Choices and counts come from /api/facets for the current time window and area.
import { api } from '../core/api.js';
import { filterParams } from '../core/state.js';
import { typeColor } from '../core/colors.js';
import { h, fmt, debounce, newId } from '../core/dom.js';

const DAY = 864e5;
const ACLED_ORDER = ['battles', 'violence against civilians', 'explosions/remote violence', 'riots', 'protests',
  'strategic developments'];
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

function field(labelText, input, help) {
  const id = input.id || (input.id = newId('f'));
  const helpEl = help ? h('p', { class: 'help', id: `${id}-help`, text: help }) : null;
  if (helpEl) input.setAttribute('aria-describedby', helpEl.id);
  return h('div', { class: 'field' }, h('label', { for: id, text: labelText }), input, helpEl);
}

export default {
  id: 'filters',
  title: 'Filters',
  slot: 'side',
  create(ctx, el) {
    const st = ctx.state;
    const set = (patch) => st.setFilter(patch);
    const setLater = debounce(set, 450);

    // Time window
    const from = h('input', { type: 'date', id: 'filter-from', name: 'from' });
    const to = h('input', { type: 'date', id: 'filter-to', name: 'to' });
    from.addEventListener('change', () => set({ from: from.value }));
    to.addEventListener('change', () => set({ to: to.value }));
    const latest = () => ctx.info.to || iso(Date.now());
    const preset = (label, days, title) => h('button', { type: 'button', class: 'chip', text: label, title,
      onclick: () => {
        if (!days) return set({ from: '', to: '' });
        const end = Date.parse(`${latest()}T00:00:00Z`);
        set({ from: iso(end - (days - 1) * DAY), to: iso(end) });
      } });
    const presets = h('div', { class: 'chips', role: 'group', 'aria-label': 'Quick time windows' },
      preset('7 days', 7, 'The last 7 days of data in the store'),
      preset('30 days', 30, 'The last 30 days of data in the store'),
      preset('12 months', 365, 'The last 12 months of data in the store'),
      preset('All time', 0, 'No time window'));
    const timeBox = h('fieldset', { class: 'group' }, h('legend', { text: 'Time window' }),
      h('div', { class: 'row2' }, field('From', from), field('To', to)), presets,
      h('p', { class: 'help', id: 'latest-help' }));

    // Event types
    const typeList = h('div', { class: 'type-list' });
    const typeBox = h('fieldset', { class: 'group' },
      h('legend', { text: 'Event type' }),
      h('p', { class: 'help', text: 'None ticked shows every type. Bigger dots: fatalities reported.' }),
      typeList);

    // Text/select pickers
    const actor = h('input', { type: 'search', id: 'filter-actor', list: 'actor-options', autocomplete: 'off',
      placeholder: 'e.g. shabaab' });
    const actorList = h('datalist', { id: 'actor-options' });
    actor.addEventListener('input', () => setLater({ actor: actor.value }));
    actor.addEventListener('change', () => { setLater.cancel(); set({ actor: actor.value }); });

    const country = h('select', { id: 'filter-country' });
    country.addEventListener('change', () => set({ country: country.value }));
    const admin1 = h('input', { type: 'search', id: 'filter-admin1', list: 'admin1-options', autocomplete: 'off',
      placeholder: 'e.g. Garissa, Lamu' });
    const admin1List = h('datalist', { id: 'admin1-options' });
    admin1.addEventListener('input', () => setLater({ admin1: admin1.value }));
    admin1.addEventListener('change', () => { setLater.cancel(); set({ admin1: admin1.value }); });
    const source = h('select', { id: 'filter-source' });
    source.addEventListener('change', () => set({ source: source.value }));

    // Area: within X km of a point
    const near = h('input', { type: 'text', id: 'filter-near', placeholder: 'lat, lon', inputmode: 'decimal' });
    const within = h('input', { type: 'number', id: 'filter-within', min: '1', step: '1', placeholder: 'km' });
    const applyArea = () => {
      const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(near.value);
      const km = Number(within.value);
      areaHelp.textContent = '';
      if (!near.value && !within.value) return set({ near: '', within: '' });
      if (!m || Math.abs(m[1]) > 90 || Math.abs(m[2]) > 180) { areaHelp.textContent = 'Write the centre as latitude, longitude, e.g. -0.4532, 39.6461'; return; }
      if (!(km > 0)) { areaHelp.textContent = 'Give a distance in kilometres.'; return; }
      set({ near: `${Number(m[1])},${Number(m[2])}`, within: String(km) });
    };
    near.addEventListener('change', applyArea);
    within.addEventListener('change', applyArea);
    const areaHelp = h('p', { class: 'help error-text', 'aria-live': 'polite' });
    const areaBox = h('fieldset', { class: 'group' }, h('legend', { text: 'Area' }),
      h('div', { class: 'row2' }, field('Centre (lat, lon)', near), field('Within (km)', within)),
      h('div', { class: 'chips' },
        h('button', { type: 'button', class: 'chip', text: 'Use map centre', onclick: () => {
          const c = ctx.map.getCenter();
          near.value = `${c.lat.toFixed(4)}, ${c.lng.toFixed(4)}`;
          if (!within.value) within.value = '50';
          applyArea();
        } }),
        h('button', { type: 'button', class: 'chip', text: 'Clear area', onclick: () => {
          near.value = ''; within.value = ''; applyArea();
        } })),
      areaHelp);

    const clearAll = h('button', { type: 'button', class: 'secondary', text: 'Clear all filters',
      onclick: () => st.setFilter({}, { replace: true }) });

    el.append(timeBox, typeBox,
      h('fieldset', { class: 'group' }, h('legend', { text: 'Who and where' }),
        field('Actor (part of a name)', actor), actorList,
        field('Country', country),
        field('County / region (admin 1)', admin1, 'Several: separate with commas.'), admin1List,
        field('Source', source)),
      areaBox, clearAll);

    // Area circle on the map
    let circle = null;
    function drawArea(f) {
      if (circle) { circle.remove(); circle = null; }
      if (!f.near || !f.within) return;
      const [la, lo] = f.near.split(',').map(Number);
      circle = L.circle([la, lo], { radius: Number(f.within) * 1000, color: '#333', weight: 1.5,
        dashArray: '6 4', fill: false, interactive: false }).addTo(ctx.map);
    }

    let facets = { type: [], country: [], admin1: [], source: [], actor: [] };

    function fillSelect(sel, values, current, anyLabel) {
      const have = new Set(values.map((v) => v[0]));
      const opts = [h('option', { value: '', text: anyLabel })];
      if (current && !have.has(current)) opts.push(h('option', { value: current, text: `${current} (0)` }));
      for (const [v, n] of values) opts.push(h('option', { value: v, text: `${v} (${fmt.format(n)})` }));
      sel.replaceChildren(...opts);
      sel.value = current;
    }

    function syncInputs(f) {
      const active = document.activeElement;
      if (active !== from) from.value = f.from;
      if (active !== to) to.value = f.to;
      if (active !== actor) actor.value = f.actor;
      if (active !== admin1) admin1.value = f.admin1;
      if (active !== near && active !== within) {
        near.value = f.near ? f.near.replace(',', ', ') : '';
        within.value = f.within;
      }
      // Types: every known type plus any ticked that has no events now.
      const counts = new Map(facets.type.map(([t, n]) => [t, n]));
      for (const t of ctx.layer('events')?.types?.() || []) if (t && !counts.has(t)) counts.set(t, 0);
      for (const t of f.type) if (!counts.has(t)) counts.set(t, 0);
      const ticked = new Set(f.type.map((t) => t.toLowerCase()));
      const rank = (t) => { const i = ACLED_ORDER.indexOf(t.toLowerCase()); return i < 0 ? 99 : i; };
      const entries = [...counts.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
      typeList.replaceChildren(...entries.map(([t, n]) => {
        const id = `type-${t.replace(/[^A-Za-z0-9]+/g, '-')}`;
        const box = h('input', { type: 'checkbox', id, value: t, checked: ticked.has(t.toLowerCase()) });
        box.addEventListener('change', () => {
          const now = [...typeList.querySelectorAll('input:checked')].map((b) => b.value);
          set({ type: now });
        });
        return h('div', { class: 'type-row' }, box,
          h('label', { for: id },
            h('span', { class: 'swatch', style: `background:${typeColor(t)}`, 'aria-hidden': 'true' }),
            h('span', { class: 'type-name', text: t }),
            h('span', { class: 'type-count', text: fmt.format(n) })));
      }));
      fillSelect(country, facets.country, f.country, 'All countries');
      fillSelect(source, facets.source, f.source, 'All sources');
      admin1List.replaceChildren(...facets.admin1.map(([v, n]) => h('option', { value: v, label: `${v} (${fmt.format(n)})` })));
      actorList.replaceChildren(...facets.actor.map(([v, n]) => h('option', { value: v, label: `${v} (${fmt.format(n)})` })));
      drawArea(f);
    }

    const pairs = (v) => (Array.isArray(v) ? v.filter((p) => Array.isArray(p) && p.length >= 1)
      .map((p) => [String(p[0]), Number(p[1]) || 0]) : []);

    return {
      onInfo(info) {
        const help = el.querySelector('#latest-help');
        if (info && info.from && info.to) help.textContent = `The store holds events from ${info.from} to ${info.to}. Quick windows end on ${info.to}.`;
      },
      async refresh(filter, signal) {
        syncInputs(filter);
        // Pickers list choices within the time window and area only, so other choices stay visible.
        const data = await api('/api/facets', {
          params: filterParams(filter, ['type', 'actor', 'country', 'admin1', 'source']),
          signal, what: 'Loading the filter choices' });
        if (signal.aborted) return;
        facets = { type: pairs(data?.type), country: pairs(data?.country), admin1: pairs(data?.admin1),
          source: pairs(data?.source), actor: pairs(data?.actor) };
        syncInputs(filter);
      },
    };
  },
};
