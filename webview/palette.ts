/**
 * Run colours for many runs (pure; unit-tested in node). Six theme colours served 25 runs badly; a workspace can
 * hold hundreds. Each group (the folder holding the runs: a sweep) gets its own band of hues; inside a group runs
 * are ordered by size (parameter count, then label) and spread over the band, so a scaling sweep reads as a colour
 * ramp from its smallest to its largest model; neighbours in that order also alternate in lightness so two runs of
 * nearly the same hue still differ. Lightness follows the theme (lighter on dark backgrounds, darker on light ones,
 * more extreme in high contrast). Hues and lightness are spaced in OKLCH, where equal steps look equally different.
 * The same runs always get the same colours.
 */

export interface ColorRun { id: string; group: string; label: string; params?: number }
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** OKLCH (L 0–1, C, h in degrees) → linear sRGB, or null outside the sRGB gamut. */
function oklchToLinear(L: number, C: number, h: number): [number, number, number] | null {
  const a = C * Math.cos((h * Math.PI) / 180), b = C * Math.sin((h * Math.PI) / 180);
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const rgb: [number, number, number] = [
    4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s,
  ];
  return rgb.every((v) => v >= -1e-6 && v <= 1 + 1e-6) ? rgb : null;
}

/**
 * OKLCH → #rrggbb (Ottosson's perceptual space: equal hue steps look equal, unlike HSL). Colours outside sRGB keep
 * their lightness and hue and lose chroma until they fit.
 */
export function oklchToHex(L: number, C: number, h: number): string {
  let rgb = oklchToLinear(L, C, h);
  if (!rgb) {
    let lo = 0, hi = C;
    for (let k = 0; k < 24; k++) { const mid = (lo + hi) / 2; if (oklchToLinear(L, mid, h)) lo = mid; else hi = mid; }
    rgb = oklchToLinear(L, lo, h) ?? [L, L, L];
  }
  const enc = (v: number) => { const c = Math.max(0, Math.min(1, v)); return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055; };
  return `#${rgb.map((v) => Math.round(enc(v) * 255).toString(16).padStart(2, '0')).join('')}`;
}

/** OKLCH lightness levels neighbours alternate between, and chroma, per theme (readable on its editor background). */
const LIGHTNESS: Record<ThemeKind, number[]> = {
  dark: [0.72, 0.84, 0.6],
  light: [0.55, 0.67, 0.43],
  'high-contrast': [0.74, 0.88, 0.62],
  'high-contrast-light': [0.5, 0.62, 0.38],
};
const CHROMA: Record<ThemeKind, number> = { dark: 0.14, light: 0.14, 'high-contrast': 0.17, 'high-contrast-light': 0.17 };

/** Hue (OKLCH degrees) of the first group: blue, like VS Code's first chart colour. */
const BASE_HUE = 250;

/** Runs ordered by size inside their group: parameter count (unknown last), then label. */
function bySize(a: ColorRun, b: ColorRun): number {
  const pa = a.params ?? Infinity, pb = b.params ?? Infinity;
  return pa - pb || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Colour (#rrggbb) of every run, by id. */
export function runColors(runs: readonly ColorRun[], kind: ThemeKind): Map<string, string> {
  const groups = new Map<string, ColorRun[]>();
  for (const r of runs) {
    const g = groups.get(r.group);
    if (g) g.push(r); else groups.set(r.group, [r]);
  }
  const names = [...groups.keys()].sort();
  const G = names.length;
  const levels = LIGHTNESS[kind];
  const chroma = CHROMA[kind];
  const out = new Map<string, string>();
  // Lightness alternates along the whole wheel (not per group), so the last run of a group and the first of the
  // next, close in hue, still differ in lightness.
  let n = 0;
  names.forEach((name, gi) => {
    const members = groups.get(name)!.sort(bySize);
    const k = members.length;
    // The group's band: a share of the wheel with a gap to the next group (one group: 300° of it).
    const share = 360 / G;
    const width = G === 1 ? 300 : share * 0.7;
    const start = BASE_HUE + gi * share - width / 2;
    members.forEach((r, i) => {
      const hue = k === 1 ? BASE_HUE + gi * share : start + (width * i) / (k - 1);
      out.set(r.id, oklchToHex(levels[n++ % levels.length], chroma, hue));
    });
  });
  return out;
}

/** sRGB #rrggbb → CIELAB (D65), for distinctness checks. */
export function hexToLab(hex: string): [number, number, number] {
  const v = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const [r, g, b] = v;
  const X = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const Y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const Z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}

/** CIE76 colour difference (ΔE ≈ 2.3 is a just-noticeable difference). */
export function deltaE(a: string, b: string): number {
  const p = hexToLab(a), q = hexToLab(b);
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}
