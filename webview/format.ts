/** Number formatting and parsing for the dashboard (pure; unit-tested in node). */
import type { Forecast } from '../src/protocol';

const SUFFIXES: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'k']];

function trim(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

/** 124e6 → "124M", 1.5e9 → "1.5B", 24000 → "24k", 3.2e21 → "3.2e21", 0.5 → "0.5". */
export function formatCompact(n: number | undefined | null): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  if (a >= 1e15) return n.toExponential(1).replace('e+', 'e').replace('.0e', 'e');
  for (const [v, s] of SUFFIXES) {
    if (a >= v) {
      const x = n / v;
      return trim(x.toFixed(Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2)) + s;
    }
  }
  if (a === 0) return '0';
  if (a < 1e-3) return n.toExponential(1).replace('e-', 'e-');
  return trim(n.toPrecision(3));
}

/** A loss-like value: 3 significant decimals. */
export function formatValue(v: number | undefined | null, digits = 3): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return v.toFixed(a >= 100 ? 1 : digits);
}

/** Decimals so that a ± half-width shows one or two significant digits (at least 2, at most 5). */
function decimalsFor(pm: number): number {
  if (!(pm > 0) || !Number.isFinite(pm)) return 3;
  return Math.min(5, Math.max(2, Math.ceil(-Math.log10(pm))));
}

/** An interval is shown as ± only when its sides differ by less than this factor; else as [lo, hi]. */
export const LOPSIDED = 1.5;

/** A bound of a lopsided interval: as many decimals as the value, exponent form when tiny or huge. */
function bound(v: number, d: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 10 ** -d || a >= 1e6)) return v.toExponential(1).replace('e+', 'e');
  return v.toFixed(d);
}

/** "2.38 ±0.01" from a value and a symmetric interval; "1.62 [8.0e-13, 1.88]" when it is lopsided. */
export function formatInterval(value: number, lower?: number, upper?: number): string {
  if (!Number.isFinite(value)) return '—';
  if (lower === undefined || upper === undefined || !Number.isFinite(lower) || !Number.isFinite(upper)) return formatValue(value);
  const down = Math.max(value - lower, 0), up = Math.max(upper - value, 0);
  const pm = Math.max(down, up);
  const d = decimalsFor(pm);
  if (Math.max(down, up) > LOPSIDED * Math.min(down, up) && pm > 0) {
    const dv = decimalsFor(Math.min(down, up) || pm);
    return `${value.toFixed(dv)} [${bound(lower, dv)}, ${bound(upper, dv)}]`;
  }
  return `${value.toFixed(d)} ±${pm.toFixed(d)}`;
}

/** "→ 2.38 ±0.01 @24k". */
export function formatForecast(f: Forecast | undefined): string {
  if (!f || !Number.isFinite(f.value)) return '';
  return `→ ${formatInterval(f.value, f.lower, f.upper)} @${formatCompact(f.atStep)}`;
}

/** "7B", "1.4T", "70m"(illion), "350k", "1e21", "6,000" → number; null if not a positive finite number. */
export function parseQuantity(text: string): number | null {
  const s = text.trim().replace(/[,_\s]/g, '');
  const m = /^([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)([kmbtKMBT]?)$/.exec(s);
  if (!m) return null;
  const mult = { '': 1, k: 1e3, m: 1e6, b: 1e9, t: 1e12 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'b' | 't'];
  const v = parseFloat(m[1]) * mult;
  return Number.isFinite(v) && v > 0 ? v : null;
}

/** A file name the host accepts (`/^[\w.\- ]+$/`, ≤ 256 chars) from arbitrary parts (metric names come from logs). */
export function safeFileName(parts: string[], ext: string): string {
  const base = parts.map((p) => p.replace(/[^\w.\- ]+/g, '-').replace(/-+/g, '-').replace(/^[-. ]+|[-. ]+$/g, ''))
    .filter(Boolean).join('-').slice(0, 200) || 'chart';
  return `${base}.${ext.replace(/[^\w]/g, '')}`;
}

/** "12m", "3.4h", "2.1d" for seconds. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 90) return `${Math.round(seconds)}s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)}m`;
  if (seconds < 36 * 3600) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86400).toFixed(1)}d`;
}
