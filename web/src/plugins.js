// The one place where map layers and panels are registered.
//
// To add a map layer: write web/src/layers/NAME.js exporting
//   { id, label?, defaultOn?, create(ctx) -> { layer: L.Layer, refresh?(filter, signal) } }
// To add a panel: write web/src/panels/NAME.js exporting
//   { id, title, slot: 'side' | 'bottom', create(ctx, element) -> { refresh?(filter, signal), show?(arg) } }
// and list it below. Order here is drawing order (layers) and tab order (panels).
// `ctx` is described in app.js (map, state, api, status, counts, layer(), showPanel(), hook).
import tiles from './layers/tiles.js';
import countries from './layers/countries.js';
import boundaries from './layers/boundaries.js';
import events from './layers/events.js';
import newsItems from './layers/news-items.js';

import filters from './panels/filters.js';
import list from './panels/list.js';
import eventDetail from './panels/event.js';
import news from './panels/news.js';
import settingsPanel from './panels/settings.js';
import timeline from './panels/timeline.js';

export const layers = [tiles, countries, boundaries, events, newsItems];
export const panels = [filters, list, eventDetail, news, settingsPanel, timeline];
