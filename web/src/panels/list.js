// The newest events of the current filter as a list to read one by one (click: full event).
import { api } from '../core/api.js';
import { filterParams } from '../core/state.js';
import { typeColor } from '../core/colors.js';
import { h, fmt } from '../core/dom.js';

const PAGE = 50;

export default {
  id: 'list',
  title: 'List',
  slot: 'side',
  create(ctx, el) {
    const head = h('p', { class: 'help', 'aria-live': 'polite' });
    const list = h('ol', { class: 'event-list', id: 'event-list' });
    el.append(head, list);

    return {
      async refresh(filter, signal) {
        const params = filterParams(filter);
        // Items come oldest first; read the count, then the last page, shown newest first.
        const first = await api('/collections/events/items', { params: { ...params, limit: 1 }, signal, what: 'Loading the list' });
        if (signal.aborted) return;
        const n = Number(first?.numberMatched) || 0;
        let features = [];
        if (n > 0) {
          const page = await api('/collections/events/items', {
            params: { ...params, limit: PAGE, offset: Math.max(0, n - PAGE) }, signal, what: 'Loading the list' });
          if (signal.aborted) return;
          features = Array.isArray(page?.features) ? page.features.slice().reverse() : [];
        }
        head.textContent = n === 0 ? 'No events match the filter.'
          : `The ${fmt.format(features.length)} newest of ${fmt.format(n)} events. Click one to read it.`;
        list.replaceChildren(...features.map((f) => {
          const p = f.properties || {};
          const fid = f.id ?? p.fid;
          const where = [p.place, p.admin1].filter(Boolean).join(', ');
          const text = String(p.notes || '');
          return h('li', {},
            h('button', { type: 'button', class: 'event-row', onclick: () => {
              ctx.showPanel('event', { fid });
              if (Number.isFinite(p.latitude) && Number.isFinite(p.longitude) &&
                !ctx.map.getBounds().contains([p.latitude, p.longitude])) {
                ctx.map.panTo([p.latitude, p.longitude]);
              }
            } },
            h('span', { class: 'row-head' },
              h('span', { class: 'swatch', style: `background:${typeColor(p.event_type)}`, 'aria-hidden': 'true' }),
              h('strong', { text: p.date_start || '' }), ` ${p.event_type || ''}`),
            h('span', { class: 'row-where', text: `${where || 'place unknown'} · ${p.source || ''}` }),
            h('span', { class: 'row-text', text: text.length > 160 ? `${text.slice(0, 157)}…` : text })));
        }));
      },
    };
  },
};
