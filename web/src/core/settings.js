// User settings kept in this browser (localStorage): API token, optional tile URL.
const KEY = 'tahadhari.settings';
const listeners = new Set();
let memory = null; // used when localStorage is not available (private windows, file policies)

function load() {
  if (memory) return memory;
  try { return JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch { return {}; }
}

export const settings = {
  get(name) { return load()[name] ?? ''; },
  set(patch) {
    const s = { ...load(), ...patch };
    for (const [k, v] of Object.entries(s)) if (v === '' || v == null) delete s[k];
    try { localStorage.setItem(KEY, JSON.stringify(s)); memory = null; } catch { memory = s; }
    for (const fn of listeners) fn(s);
  },
  onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); },
};
