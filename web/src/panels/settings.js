// Settings kept in this browser: the API token (sent with every request when set) and an
// optional online base map. Also what the server says about the store.
import { settings } from '../core/settings.js';
import { h, fmt } from '../core/dom.js';

export default {
  id: 'settings',
  title: 'Settings',
  slot: 'side',
  create(ctx, el) {
    const token = h('input', { type: 'password', id: 'settings-token', autocomplete: 'off', spellcheck: 'false',
      value: settings.get('token'), 'aria-describedby': 'settings-token-help' });
    const showTok = h('input', { type: 'checkbox', id: 'settings-token-show' });
    showTok.addEventListener('change', () => { token.type = showTok.checked ? 'text' : 'password'; });
    const tileUrl = h('input', { type: 'url', id: 'settings-tiles', value: settings.get('tileUrl'),
      placeholder: 'https://tiles.example.org/{z}/{x}/{y}.png', 'aria-describedby': 'settings-tiles-help' });
    const tileAttr = h('input', { type: 'text', id: 'settings-tiles-attr', value: settings.get('tileAttribution'),
      placeholder: '© the tile provider' });
    const saved = h('p', { class: 'news-msg', 'aria-live': 'polite' });
    const info = h('dl', { class: 'fields', id: 'settings-info' });

    const save = h('button', { type: 'button', id: 'settings-save', class: 'primary', text: 'Save settings',
      onclick: () => {
        const url = tileUrl.value.trim();
        if (url && !/^https?:\/\/.+\{z\}.+\{x\}.+\{y\}/.test(url)) {
          saved.textContent = 'The tile address should start with http(s):// and contain {z}, {x} and {y}.';
          saved.className = 'news-msg error';
          return;
        }
        settings.set({ token: token.value.trim(), tileUrl: url, tileAttribution: tileAttr.value.trim() });
        saved.textContent = 'Saved in this browser.';
        saved.className = 'news-msg ok';
        ctx.reloadInfo().then(() => ctx.refresh());
      } });
    const forget = h('button', { type: 'button', class: 'secondary', text: 'Forget token',
      onclick: () => { token.value = ''; settings.set({ token: '' }); saved.textContent = 'Token removed from this browser.'; } });

    el.append(
      h('fieldset', { class: 'group' }, h('legend', { text: 'Access' }),
        h('div', { class: 'field' }, h('label', { for: 'settings-token', text: 'API token' }), token,
          h('div', { class: 'inline' }, showTok, h('label', { for: 'settings-token-show', text: 'Show token' })),
          h('p', { class: 'help', id: 'settings-token-help',
            text: 'Needed to save reports (editor token) and on servers started with --read-token-required. Made with `tahadhari token create`. Kept only in this browser.' }))),
      h('fieldset', { class: 'group' }, h('legend', { text: 'Online base map (optional)' }),
        h('div', { class: 'field' }, h('label', { for: 'settings-tiles', text: 'Tile address' }), tileUrl,
          h('p', { class: 'help', id: 'settings-tiles-help',
            text: 'Leave empty to work offline with country borders only. Only used when you are online.' })),
        h('div', { class: 'field' }, h('label', { for: 'settings-tiles-attr', text: 'Tile credit' }), tileAttr)),
      h('div', { class: 'chips' }, save, forget), saved,
      h('h3', { text: 'This store' }), info);

    return {
      onInfo(i) {
        const rows = [
          ['Events', Number.isFinite(i?.events) ? fmt.format(i.events) : '—'],
          ['From', i?.from || '—'], ['To', i?.to || '—'],
          ['Sources', Array.isArray(i?.sources) ? i.sources.join(', ') || '—' : '—'],
          ['News extraction', i?.extract_available ? 'available' : 'not available in this build'],
          ['Token needed to read', i?.read_token_required ? 'yes' : 'no'],
        ];
        info.replaceChildren(...rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]));
      },
    };
  },
};
