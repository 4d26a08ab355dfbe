// Optional online base map: a tile URL template set in Settings (kept in this browser).
// Empty by default so the dashboard works fully offline.
import { settings } from '../core/settings.js';

export default {
  id: 'tiles',
  label: 'Online base map',
  defaultOn: true,
  create(ctx) {
    const group = L.layerGroup();
    let current = '';
    const apply = () => {
      const url = settings.get('tileUrl');
      const attribution = settings.get('tileAttribution');
      if (url === current && group.getLayers().length) return;
      group.clearLayers();
      current = url;
      if (!url) return;
      const t = L.tileLayer(url, { attribution: attribution || 'Base map: your tile server', maxZoom: 19 });
      let warned = false;
      t.on('tileerror', () => {
        if (warned) return;
        warned = true;
        ctx.status.set('tiles', 'The online base map could not be loaded (offline, or a wrong tile address in Settings). Borders still work offline.', 'info');
      });
      t.on('tileload', () => ctx.status.clear('tiles'));
      group.addLayer(t);
    };
    apply();
    settings.onChange(apply);
    return { layer: group };
  },
};
