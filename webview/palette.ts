/**
 * Run colours for many runs (pure; unit-tested in node). Six theme colours served 25 runs badly; a workspace can
 * hold hundreds. Each group (the folder holding the runs: a sweep) gets its own band of hues, as wide as its share
 * of the runs; inside a group runs
 * are ordered by size (parameter count, then label) and spread over the band, so a scaling sweep reads as a colour
 * ramp from its smallest to its largest model; neighbours in that order also alternate in lightness so two runs of
 * nearly the same hue still differ. Lightness follows the theme (lighter on dark backgrounds, darker on light ones,
 * more extreme in high contrast). Hues and lightness are spaced in OKLCH, where equal steps look equally different.
 * Every colour is kept ΔE_OK ≥ MIN_DELTA_E_OK from the colours given before it (tested to 300 runs in every theme).
 * The same runs always get the same colours.
 */

export interface ColorRun {
  id: string;
  group: string;
  label: string;
  params?: number;
}
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** OKLCH (L 0–1, C, h in degrees) → linear sRGB, or null outside the sRGB gamut. */
function oklchToLinear(L: number, C: number, h: number): [number, number, number] | null {
  const a = C * Math.cos((h * Math.PI) / 180),
    b = C * Math.sin((h * Math.PI) / 180);
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
    let lo = 0,
      hi = C;
    for (let k = 0; k < 24; k++) {
      const mid = (lo + hi) / 2;
      if (oklchToLinear(L, mid, h)) lo = mid;
      else hi = mid;
    }
    rgb = oklchToLinear(L, lo, h) ?? [L, L, L];
  }
  const enc = (v: number) => {
    const c = Math.max(0, Math.min(1, v));
    return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
  };
  return `#${rgb
    .map((v) =>
      Math.round(enc(v) * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** OKLCH lightness levels neighbours alternate between, and chroma, per theme (readable on its editor background). */
const LIGHTNESS: Record<ThemeKind, number[]> = {
  dark: [0.72, 0.84, 0.6],
  light: [0.55, 0.67, 0.43],
  'high-contrast': [0.74, 0.88, 0.62],
  'high-contrast-light': [0.5, 0.62, 0.38],
};
const CHROMA: Record<ThemeKind, number> = {
  dark: 0.14,
  light: 0.14,
  'high-contrast': 0.17,
  'high-contrast-light': 0.17,
};

/** Hue (OKLCH degrees) of the first group: blue, like VS Code's first chart colour. */
const BASE_HUE = 250;

/** Runs ordered by size inside their group: parameter count (unknown last), then label. */
function bySize(a: ColorRun, b: ColorRun): number {
  const pa = a.params ?? Infinity,
    pb = b.params ?? Infinity;
  return pa - pb || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Colour (#rrggbb) of every run, by id. */
export function runColors(runs: readonly ColorRun[], kind: ThemeKind): Map<string, string> {
  const groups = new Map<string, ColorRun[]>();
  for (const r of runs) {
    const g = groups.get(r.group);
    if (g) g.push(r);
    else groups.set(r.group, [r]);
  }
  const names = [...groups.keys()].sort();
  const G = names.length;
  const levels = LIGHTNESS[kind];
  const out = new Map<string, string>();
  const tones = tonesOf(kind);
  const taken = new Taken(tones, MIN_DELTA_E_OK);
  // Lightness alternates along the whole wheel (not per group), so the last run of a group and the first of the
  // next, close in hue, still differ in lightness.
  let n = 0;
  // Each group's band is a share of the wheel in proportion to its runs, plus one empty slot before the next group
  // (equal shares crowded a folder of 150 runs into 2° when 150 other folders held one run each). One group: 300°.
  const slots = names.reduce((a, name) => a + groups.get(name)!.length + 1, 0);
  const slot = G === 1 ? 300 / Math.max(1, groups.get(names[0])!.length - 1) : 360 / slots;
  let at = 0;
  names.forEach((name) => {
    const members = groups.get(name)!.sort(bySize);
    const k = members.length;
    const start = G === 1 ? BASE_HUE - 150 : BASE_HUE + at * slot;
    at += k + 1;
    members.forEach((r, i) => {
      const hue = G === 1 && k === 1 ? BASE_HUE : start + slot * i;
      const c = tones.distinct(n++ % levels.length, hue, taken);
      taken.add(c);
      out.set(r.id, tones.hex[c]);
    });
  });
  return out;
}

type Lab = [number, number, number];

/**
 * Runs of one large folder share its band, and past ~140 runs some came out identical. Every colour is kept at
 * least this far (ΔE in OKLab, Euclidean; ~0.02 is just noticeable) from the colours already given: the run's own
 * colour (its place in its group's band) when it is far enough, else the nearest variant that is — another lightness
 * level or chroma at the same hue first, then the hue nudged further and further (2° steps, up to ±60°).
 */
export const MIN_DELTA_E_OK = 0.03;

const CHROMA_FACTORS = [1, 0.7, 1.25, 0.45];
const HUE_STEP = 2;
/** Hues on the wheel in `HUE_STEP` steps. */
const HUES = 360 / HUE_STEP;
const MAX_NUDGE = 90;

/**
 * The candidate colours of a theme (lightness levels and points between them × chroma × hue in 2° steps), converted
 * once per theme and kept (module-wide: the run list asks for colours again whenever runs arrive).
 */
class Tones {
  private readonly ls: number[];
  /** Candidate `index(li, ci, h)`: its #rrggbb and its OKLab coordinates (3 per candidate). */
  readonly hex: string[] = [];
  readonly lab: Float64Array;
  constructor(levels: readonly number[], chroma: number) {
    // The theme's levels first, then halfway and quarter-way between neighbouring ones (denser packing when needed).
    const sorted = [...levels].sort((x, y) => x - y);
    const between = (f: number) => sorted.slice(1).map((v, i) => sorted[i] + f * (v - sorted[i]));
    this.ls = [...levels, ...between(0.5), ...between(0.25), ...between(0.75)];
    this.lab = new Float64Array(this.ls.length * CHROMA_FACTORS.length * HUES * 3);
    for (let li = 0; li < this.ls.length; li++)
      for (let ci = 0; ci < CHROMA_FACTORS.length; ci++)
        for (let h = 0; h < HUES; h++) {
          const c = this.index(li, ci, h);
          const hex = oklchToHex(this.ls[li], chroma * CHROMA_FACTORS[ci], h * HUE_STEP);
          this.hex[c] = hex;
          this.lab.set(hexToOklab(hex), 3 * c);
        }
  }

  get count(): number {
    return this.hex.length;
  }

  private index(li: number, ci: number, hi: number): number {
    const h = ((hi % HUES) + HUES) % HUES;
    return (li * CHROMA_FACTORS.length + ci) * HUES + h;
  }

  /** The first candidate far enough from every taken colour, nearest the run's own (level `li`, `hue`) first. */
  distinct(li: number, hue: number, taken: Taken): number {
    const h0 = Math.round((((hue % 360) + 360) % 360) / HUE_STEP);
    const order = [li, ...this.ls.map((_, i) => i).filter((i) => i !== li)];
    for (let r = 0; r <= MAX_NUDGE; r++) {
      for (const dh of r === 0 ? [0] : [r, -r]) {
        for (let ci = 0; ci < CHROMA_FACTORS.length; ci++) {
          for (const l of order) {
            const c = this.index(l, ci, h0 + dh);
            if (taken.clear(c)) return c;
          }
        }
      }
    }
    // Nothing far enough (far more runs than the theme's colours can hold apart): the most distant near candidate.
    let best = this.index(li, 0, h0),
      bestD = -1;
    for (let dh = -3; dh <= 3; dh++) {
      for (let ci = 0; ci < CHROMA_FACTORS.length; ci++) {
        for (const l of order) {
          const c = this.index(l, ci, h0 + dh),
            d = taken.nearest(c);
          if (d > bestD) {
            bestD = d;
            best = c;
          }
        }
      }
    }
    return best;
  }
}

const tonesByTheme = new Map<ThemeKind, Tones>();
const tonesOf = (kind: ThemeKind): Tones => {
  let t = tonesByTheme.get(kind);
  if (!t) tonesByTheme.set(kind, (t = new Tones(LIGHTNESS[kind], CHROMA[kind])));
  return t;
};

/**
 * Colours given so far, as each candidate's squared distance to the nearest of them (updated as each is given): a
 * check is one look-up, where searching the taken colours for every candidate made a thousand runs cost seconds
 * (the search runs through all the theme's candidates once the near ones are used up).
 */
class Taken {
  private readonly near: Float64Array;
  /** The minimum distance, squared (as `near` holds them). */
  private readonly min2: number;
  constructor(
    private readonly tones: Tones,
    min: number,
  ) {
    this.near = new Float64Array(tones.count).fill(Infinity);
    this.min2 = min * min;
  }
  add(c: number): void {
    const lab = this.tones.lab;
    const p0 = lab[3 * c],
      p1 = lab[3 * c + 1],
      p2 = lab[3 * c + 2];
    for (let k = 0; k < this.near.length; k++) {
      const d = (lab[3 * k] - p0) ** 2 + (lab[3 * k + 1] - p1) ** 2 + (lab[3 * k + 2] - p2) ** 2;
      if (d < this.near[k]) this.near[k] = d;
    }
  }
  /** True when no taken colour is within the minimum distance. */
  clear(c: number): boolean {
    return !(this.near[c] < this.min2);
  }
  /** Exact distance to the nearest taken colour (the fallback when nothing is far enough). */
  nearest(c: number): number {
    return Math.sqrt(this.near[c]);
  }
}

/** sRGB #rrggbb → OKLab (Ottosson 2020), for spacing colours as they are drawn (after rounding to 8 bits). */
export function hexToOklab(hex: string): Lab {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

/** sRGB #rrggbb → CIELAB (D65), for distinctness checks. */
export function hexToLab(hex: string): [number, number, number] {
  const v = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const [r, g, b] = v;
  const X = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const Y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const Z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}

/** CIE76 colour difference (ΔE ≈ 2.3 is a just-noticeable difference). */
export function deltaE(a: string, b: string): number {
  const p = hexToLab(a),
    q = hexToLab(b);
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}
