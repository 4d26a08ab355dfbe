// Country borders drawn offline from world-atlas (Natural Earth, public domain), TopoJSON ->
// GeoJSON with topojson-client. Filled as land when no online tiles are set.
import { settings } from '../core/settings.js';

export default {
  id: 'countries',
  label: 'Country borders',
  defaultOn: true,
  create(ctx) {
    const map = ctx.map;
    map.createPane('countries').style.zIndex = 250;
    const renderer = L.canvas({ pane: 'countries', padding: 0.3 });
    const style = () => {
      const tiles = Boolean(settings.get('tileUrl'));
      return { color: '#7d7a73', weight: 0.9, fillColor: '#f4f1e8', fillOpacity: tiles ? 0 : 1 };
    };
    const layer = L.geoJSON(null, { renderer, pane: 'countries', interactive: false, style });
    settings.onChange(() => layer.setStyle(style()));
    // The coarse 1:110m borders (100 kB) show at once; the 1:50m ones (750 kB) replace them.
    let detailed = false;
    const load = (file) => fetch(`vendor/world-atlas/${file}`)
      .then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
    load('countries-110m.json').then((topo) => {
      if (detailed) return;
      layer.addData(topojson.feature(topo, topo.objects.countries));
    }).catch(() => {});
    load('countries-50m.json')
      .then((topo) => {
        detailed = true;
        layer.clearLayers();
        layer.addData(topojson.feature(topo, topo.objects.countries));
        ctx.hook.countriesLoaded = true;
      })
      .catch(() => ctx.status.set('countries', 'Country borders could not be loaded (vendor/world-atlas missing from the build).', 'error'));
    return { layer };
  },
};
