// One colour per ACLED event type (Okabe–Ito palette, readable by most colour-blind users);
// other types get a stable colour from their name.
const FIXED = {
  'battles': '#d55e00',
  'violence against civilians': '#8e3a9d',
  'explosions/remote violence': '#e69f00',
  'riots': '#a6761d',
  'protests': '#0072b2',
  'strategic developments': '#009e73',
};
const EXTRA = ['#56b4e9', '#cc79a7', '#666666', '#1b9e77', '#7570b3', '#e7298a', '#66a61e'];

export function typeColor(type) {
  const k = String(type || '').toLowerCase();
  if (FIXED[k]) return FIXED[k];
  let h = 0;
  for (let i = 0; i < k.length; i++) h = (h * 31 + k.charCodeAt(i)) >>> 0;
  return EXTRA[h % EXTRA.length];
}

export const NEWS_COLOR = '#111111';
