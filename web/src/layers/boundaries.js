// Admin-1 boundary polygons loaded into the store (`tahadhari boundaries load`), when present.
import { api } from '../core/api.js';

const NAME_KEYS = ['name', 'admin1', 'NAME_1', 'ADM1_EN', 'shapeName', 'COUNTY_NAM', 'ADMIN1', 'NAME'];

function nameOf(props) {
  for (const k of NAME_KEYS) if (props && typeof props[k] === 'string' && props[k]) return props[k];
  return '';
}

export default {
  id: 'boundaries',
  label: 'Counties / regions',
  defaultOn: true,
  create(ctx) {
    const map = ctx.map;
    map.createPane('boundaries').style.zIndex = 300;
    const renderer = L.canvas({ pane: 'boundaries', padding: 0.3 });
    const layer = L.geoJSON(null, {
      renderer, pane: 'boundaries', interactive: false,
      style: { color: '#6b6b6b', weight: 1, dashArray: '4 3', fill: false },
    });
    const labels = L.layerGroup();
    const group = L.layerGroup([layer, labels]);
    const updateLabels = () => map.getContainer().classList.toggle('show-admin-labels', map.getZoom() >= 7);
    map.on('zoomend', updateLabels);
    updateLabels();

    let loaded = false, loading = false;
    const load = async () => {
      if (loaded || loading) return;
      loading = true;
      try { await loadOnce(); } finally { loading = false; }
    };
    const loadOnce = async () => {
      let fc = null;
      for (const params of [{ level: 'admin1', limit: 10000 }, { level: 'admin1' }]) {
        try {
          fc = await api('/collections/boundaries/items', { params });
          break;
        } catch (err) {
          if (err.status !== 400) return; // 404 (none loaded), 501, offline: no boundaries layer
        }
      }
      if (fc) loaded = true;
      const features = Array.isArray(fc?.features) ? fc.features : [];
      if (!features.length) return;
      layer.addData({ type: 'FeatureCollection', features });
      for (const f of features) {
        const name = nameOf(f.properties);
        if (!name) continue;
        try {
          const c = L.geoJSON(f).getBounds().getCenter();
          labels.addLayer(L.tooltip({ permanent: true, direction: 'center', className: 'admin-label', interactive: false })
            .setLatLng(c).setContent(name));
        } catch { /* geometry without bounds */ }
      }
      ctx.hook.boundaries = features.length;
    };
    // Read once /api/info has been read (again after a token is entered in Settings).
    return { layer: group, onInfo: () => load() };
  },
};
