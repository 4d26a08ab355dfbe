// Events as dots on one canvas (no DOM element per event), fed by /api/points. Data is
// projected once per fetch; pan/zoom only redraws. Click near a dot: the event panel opens.
import { api } from '../core/api.js';
import { filterParams } from '../core/state.js';
import { typeColor } from '../core/colors.js';
import { fmt } from '../core/dom.js';

const MAX_POINTS = 200000;
const HIT_PX = 10;

// Web Mercator at zoom 0 (256-pixel world), as L.CRS.EPSG3857 projects.
function mercator(lat, lon) {
  const d = Math.PI / 180;
  const la = Math.max(Math.min(lat, 85.0511287798), -85.0511287798);
  const s = Math.sin(la * d);
  return [256 * (0.5 + lon / 360), 256 * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI))];
}

const PointsLayer = L.Layer.extend({
  options: { padding: 0.25, pane: 'overlayPane' },

  initialize(options) {
    L.setOptions(this, options);
    this._n = 0;
    this._types = [];
    this._selected = -1;
    this._frame = 0;
    this.drawn = 0;
  },

  /** data: the /api/points answer. */
  setData(data) {
    const pts = Array.isArray(data?.points) ? data.points : [];
    const n = pts.length;
    this._types = Array.isArray(data?.types) ? data.types.map(String) : [];
    this._fid = new Float64Array(n);
    this._x0 = new Float64Array(n);
    this._y0 = new Float64Array(n);
    this._type = new Uint16Array(n);
    this._fat = new Int32Array(n);
    this._date = new Array(n);
    this._lx = new Float32Array(n);
    this._ly = new Float32Array(n);
    this._vis = new Uint8Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const p = pts[i];
      if (!Array.isArray(p)) continue;
      const lat = Number(p[1]), lon = Number(p[2]);
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) continue;
      const [x, y] = mercator(lat, lon);
      this._fid[k] = Number(p[0]);
      this._x0[k] = x;
      this._y0[k] = y;
      const t = Number(p[3]);
      this._type[k] = Number.isInteger(t) && t >= 0 && t < 65535 ? t : 65535;
      this._fat[k] = Number.isFinite(Number(p[4])) ? Number(p[4]) : -1;
      this._date[k] = p[5] == null ? '' : String(p[5]);
      k++;
    }
    this._n = k;
    // Draw order: grouped by type (one path per colour), rarer types on top.
    const counts = new Map();
    for (let i = 0; i < k; i++) counts.set(this._type[i], (counts.get(this._type[i]) || 0) + 1);
    const typeOrder = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a));
    this._groups = typeOrder.map((t) => {
      const idx = new Uint32Array(counts.get(t));
      let j = 0;
      for (let i = 0; i < k; i++) if (this._type[i] === t) idx[j++] = i;
      return { type: t, idx };
    });
    this._selected = -1;
    this._scheduleDraw();
  },

  typeName(i) { return this._types[this._type[i]] ?? ''; },
  fidAt(i) { return this._fid[i]; },

  select(fid) {
    this._selected = -1;
    for (let i = 0; i < this._n; i++) if (this._fid[i] === fid) { this._selected = i; break; }
    this._scheduleDraw();
  },

  getEvents() {
    const ev = { viewreset: this._reset, zoom: this._onZoom, moveend: this._reset, resize: this._reset };
    if (this._zoomAnimated) ev.zoomanim = this._onAnimZoom;
    return ev;
  },

  onAdd(map) {
    this._canvas = L.DomUtil.create('canvas', 'points-canvas leaflet-zoom-animated');
    this._canvas.setAttribute('aria-hidden', 'true');
    this.getPane().appendChild(this._canvas);
    this._ctx = this._canvas.getContext('2d');
    this._reset();
  },

  onRemove() {
    L.DomUtil.remove(this._canvas);
    cancelAnimationFrame(this._frame);
    this._frame = 0;
    this.drawn = 0;
    this._vis?.fill(0);
  },

  _onAnimZoom(ev) { this._updateTransform(ev.center, ev.zoom); },
  _onZoom() { this._updateTransform(this._map.getCenter(), this._map.getZoom()); },

  _updateTransform(center, zoom) {
    if (!this._center) return;
    const map = this._map;
    const scale = map.getZoomScale(zoom, this._zoom);
    const viewHalf = map.getSize().multiplyBy(0.5 + this.options.padding);
    const currentCenterPoint = map.project(this._center, zoom);
    const topLeftOffset = viewHalf.multiplyBy(-scale).add(currentCenterPoint)
      .subtract(map._getNewPixelOrigin(center, zoom));
    L.DomUtil.setTransform(this._canvas, topLeftOffset, scale);
  },

  _reset() {
    const map = this._map;
    if (!map) return;
    const p = this.options.padding;
    const size = map.getSize();
    const min = map.containerPointToLayerPoint(size.multiplyBy(-p)).round();
    this._bounds = new L.Bounds(min, min.add(size.multiplyBy(1 + p * 2)).round());
    this._center = map.getCenter();
    this._zoom = map.getZoom();
    L.DomUtil.setPosition(this._canvas, min);
    this._draw();
  },

  _scheduleDraw() {
    if (!this._map || this._frame) return;
    this._frame = requestAnimationFrame(() => { this._frame = 0; this._draw(); });
  },

  _draw() {
    const map = this._map;
    if (!map || !this._bounds) return;
    const b = this._bounds;
    const w = b.max.x - b.min.x, hgt = b.max.y - b.min.y;
    const dpr = window.devicePixelRatio || 1;
    const c = this._canvas;
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(hgt * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(hgt * dpr);
      c.style.width = `${w}px`;
      c.style.height = `${hgt}px`;
    }
    const t0 = performance.now();
    const ctx = this._ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, hgt);
    const zoom = map.getZoom();
    const k = map.options.crs.scale(zoom) / 256;
    const origin = map.getPixelOrigin();
    const ox = origin.x + b.min.x, oy = origin.y + b.min.y; // layer -> canvas offset
    const n = this._n;
    const dense = n > 30000;
    const base = zoom <= 5 ? 2.5 : zoom <= 7 ? 3.5 : 4.5;
    let drawn = 0;
    for (const g of this._groups || []) {
      ctx.beginPath();
      const idx = g.idx;
      for (let j = 0; j < idx.length; j++) {
        const i = idx[j];
        const lx = this._x0[i] * k - origin.x, ly = this._y0[i] * k - origin.y;
        this._lx[i] = lx;
        this._ly[i] = ly;
        const x = lx + origin.x - ox, y = ly + origin.y - oy;
        if (x < -8 || y < -8 || x > w + 8 || y > hgt + 8) { this._vis[i] = 0; continue; }
        this._vis[i] = 1;
        drawn++;
        if (dense) {
          ctx.rect(x - 1.5, y - 1.5, 3, 3);
        } else {
          const f = this._fat[i];
          const r = base + (f >= 10 ? 2 : f >= 1 ? 1 : 0);
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, Math.PI * 2);
        }
      }
      ctx.fillStyle = typeColor(this._types[g.type]);
      ctx.globalAlpha = dense ? 0.75 : 0.85;
      ctx.fill();
      if (!dense) {
        ctx.globalAlpha = 0.9;
        ctx.lineWidth = 0.8;
        ctx.strokeStyle = '#ffffff';
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    const s = this._selected;
    if (s >= 0 && this._vis[s]) {
      const x = this._lx[s] - b.min.x, y = this._ly[s] - b.min.y;
      ctx.beginPath();
      ctx.arc(x, y, base + 5, 0, Math.PI * 2);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = '#111';
      ctx.stroke();
    }
    this.drawn = drawn;
    this.fire('drawn', { drawn, ms: performance.now() - t0 });
  },

  /** Index of the drawn point nearest to a layer point, within `px` pixels, or -1. */
  nearest(layerPoint, px = HIT_PX) {
    let best = -1, bestD = px * px;
    const x = layerPoint.x, y = layerPoint.y;
    for (let i = 0; i < this._n; i++) {
      if (!this._vis[i]) continue;
      const dx = this._lx[i] - x, dy = this._ly[i] - y;
      const d = dx * dx + dy * dy;
      if (d <= bestD) { bestD = d; best = i; }
    }
    return best;
  },

  /** For tests: a drawn point with no other point within `gap` px, inside `box` (container px). */
  isolatedPoint(box, gap = 14) {
    const cell = gap;
    const grid = new Map();
    const key = (cx, cy) => `${cx},${cy}`;
    for (let i = 0; i < this._n; i++) {
      if (!this._vis[i]) continue;
      const kk = key(Math.floor(this._lx[i] / cell), Math.floor(this._ly[i] / cell));
      (grid.get(kk) || grid.set(kk, []).get(kk)).push(i);
    }
    for (let i = 0; i < this._n; i++) {
      if (!this._vis[i]) continue;
      const cp = this._map.layerPointToContainerPoint([this._lx[i], this._ly[i]]);
      if (cp.x < box.left || cp.y < box.top || cp.x > box.right || cp.y > box.bottom) continue;
      const cx = Math.floor(this._lx[i] / cell), cy = Math.floor(this._ly[i] / cell);
      let alone = true;
      for (let dx = -1; dx <= 1 && alone; dx++) {
        for (let dy = -1; dy <= 1 && alone; dy++) {
          for (const j of grid.get(key(cx + dx, cy + dy)) || []) {
            if (j === i) continue;
            const ddx = this._lx[j] - this._lx[i], ddy = this._ly[j] - this._ly[i];
            if (ddx * ddx + ddy * ddy < gap * gap) { alone = false; break; }
          }
        }
      }
      if (alone) return { index: i, fid: this._fid[i], x: cp.x, y: cp.y };
    }
    return null;
  },
});

function describe(layer, i) {
  const f = layer._fat[i];
  const dead = f < 0 ? 'fatalities unknown' : f === 1 ? '1 fatality' : `${fmt.format(f)} fatalities`;
  return `${layer._date[i]} · ${layer.typeName(i)} · ${dead}`;
}

export default {
  id: 'events',
  label: 'Events',
  defaultOn: true,
  create(ctx) {
    const layer = new PointsLayer();
    const map = ctx.map;
    const tip = L.DomUtil.create('div', 'point-tip', map.getContainer());
    tip.hidden = true;
    let hoverFrame = 0, lastMove = null;

    layer.on('drawn', (e) => { ctx.hook.pointsDrawn = e.drawn; ctx.hook.lastDrawMs = e.ms; });

    map.on('mousemove', (e) => {
      lastMove = e;
      if (hoverFrame || !map.hasLayer(layer)) return;
      hoverFrame = requestAnimationFrame(() => {
        hoverFrame = 0;
        const i = layer.nearest(lastMove.layerPoint);
        map.getContainer().classList.toggle('over-point', i >= 0);
        if (i < 0) { tip.hidden = true; return; }
        tip.textContent = `${describe(layer, i)} — click for details`;
        const cp = lastMove.containerPoint;
        tip.style.left = `${cp.x + 12}px`;
        tip.style.top = `${cp.y + 12}px`;
        tip.hidden = false;
      });
    });
    map.on('mouseout movestart zoomstart', () => { tip.hidden = true; });
    map.on('click', (e) => {
      if (!map.hasLayer(layer)) return;
      const i = layer.nearest(e.layerPoint);
      if (i < 0) return;
      const fid = layer.fidAt(i);
      layer.select(fid);
      ctx.showPanel('event', { fid });
    });

    ctx.hook.pickPoint = () => {
      const r = map.getContainer().getBoundingClientRect();
      const box = { left: 60, top: 100, right: r.width - 60, bottom: r.height - 40 };
      const p = layer.isolatedPoint(box);
      return p && { fid: p.fid, x: r.left + p.x, y: r.top + p.y };
    };

    return {
      layer,
      select: (fid) => layer.select(fid),
      async refresh(filter, signal) {
        const data = await api('/api/points', {
          params: { ...filterParams(filter), max: MAX_POINTS }, signal, what: 'Loading the map' });
        if (signal.aborted) return;
        layer.setData(data);
        tip.hidden = true;
        const matched = Number(data?.numberMatched ?? layer._n);
        const unlocated = Number(data?.unlocated || 0);
        ctx.hook.pointsLoaded = layer._n;
        ctx.counts.set('map', matched, { unlocated, shown: layer._n });
        if (matched > layer._n && layer._n >= MAX_POINTS) {
          ctx.status.set('points', `The map shows the first ${fmt.format(layer._n)} of ${fmt.format(matched)} events. Narrow the filter to see them all.`, 'info');
        } else {
          ctx.status.clear('points');
        }
      },
      types: () => layer._types,
    };
  },
};
