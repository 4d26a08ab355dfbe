// Items extracted from a pasted article ("Read news"), placed on the map when they have
// coordinates. Few markers, so ordinary Leaflet circle markers.
import { NEWS_COLOR } from '../core/colors.js';

export default {
  id: 'news',
  label: 'Read news items',
  defaultOn: true,
  create(ctx) {
    const group = L.featureGroup();
    const byIndex = new Map();
    const api = {
      layer: group,
      /** items: [{index, lat, lon, label, text}] */
      setItems(items) {
        group.clearLayers();
        byIndex.clear();
        const placed = [];
        for (const it of items) {
          if (!Number.isFinite(it.lat) || !Number.isFinite(it.lon)) continue;
          const m = L.circleMarker([it.lat, it.lon], {
            radius: 8, color: NEWS_COLOR, weight: 3, fillColor: '#ffffff', fillOpacity: 0.9,
            className: 'news-marker', pane: 'markerPane',
          }).bindTooltip(items.length <= 12 && it.short ? it.short : it.label, { direction: 'top', offset: [0, -6], permanent: items.length <= 12,
            className: 'news-tip' });
          m.on('click', (e) => { L.DomEvent.stopPropagation(e); ctx.showPanel('news', { focus: it.index }); });
          group.addLayer(m);
          byIndex.set(it.index, m);
          placed.push({ index: it.index, lat: it.lat, lon: it.lon, label: it.label, text: it.text || '' });
        }
        ctx.hook.newsOnMap = placed;
        if (!ctx.map.hasLayer(group)) ctx.map.addLayer(group);
        return placed.length;
      },
      fit() {
        if (group.getLayers().length) ctx.map.fitBounds(group.getBounds().pad(0.3), { maxZoom: 8 });
      },
      focus(index) {
        const m = byIndex.get(index);
        if (!m) return;
        ctx.map.panTo(m.getLatLng());
        m.openTooltip();
      },
    };
    return api;
  },
};
