/** Number formatting and parsing for the dashboard (pure; unit-tested in node). */
import type { Forecast } from '../src/protocol';
import { parseQuantity as parseQuantityShared } from '../src/shared/quantity';

export { formatCompact, targetBandText } from '../src/shared/format';
import { formatCompact, isSymmetricInterval, negligibleLower } from '../src/shared/format';

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

/** A bound of a lopsided interval: as many decimals as the value, exponent form when tiny or huge. */
function bound(v: number, d: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 10 ** -d || a >= 1e6)) return v.toExponential(1).replace('e+', 'e');
  return v.toFixed(d);
}

/**
 * "2.38 ±0.01" from a value and a symmetric interval; "1.62 [1.2e-2, 1.88]" when it is lopsided; "1.35 [≈0, 1.55]"
 * when its lower end is below a thousandth of the value (negligibleLower).
 */
export function formatInterval(value: number, lower?: number, upper?: number): string {
  if (!Number.isFinite(value)) return '—';
  if (lower === undefined || upper === undefined || !Number.isFinite(lower) || !Number.isFinite(upper))
    return formatValue(value);
  const down = Math.max(value - lower, 0),
    up = Math.max(upper - value, 0);
  const pm = Math.max(down, up);
  const d = decimalsFor(pm);
  // The host's rule (src/shared/format.ts): ± only when the two sides are within 10 % of each other.
  if (pm > 0 && !isSymmetricInterval(value, lower, upper)) {
    const dv = decimalsFor(Math.min(down, up) || pm);
    return `${value.toFixed(dv)} [${negligibleLower(value, lower) ? '≈0' : bound(lower, dv)}, ${bound(upper, dv)}]`;
  }
  return `${value.toFixed(d)} ±${pm.toFixed(d)}`;
}

/** "→ 2.38 ±0.01 @24k"; "if continued: …" for a run that stopped early; "assumed" when the end step was assumed. */
export function formatForecast(f: Forecast | undefined): string {
  if (!f || !Number.isFinite(f.value)) return '';
  const assumed = f.basis?.includes('assumed end') ? ' (assumed end)' : '';
  return `${f.hypothetical ? 'if continued:' : '→'} ${formatInterval(f.value, f.lower, f.upper)} @${formatCompact(f.atStep)}${assumed}`;
}

/** The host's parser (src/shared/quantity.ts: "1.3B", "1.3G", "1e21", "6,000"…); null if not a positive number. */
export function parseQuantity(text: string): number | null {
  const v = parseQuantityShared(text);
  return Number.isNaN(v) ? null : v;
}

/** A file name the host accepts (`/^[\w.\- ]+$/`, ≤ 256 chars) from arbitrary parts (metric names come from logs). */
export function safeFileName(parts: string[], ext: string): string {
  const base =
    parts
      .map((p) =>
        p
          .replace(/[^\w.\- ]+/g, '-')
          .replace(/-+/g, '-')
          .replace(/^[-. ]+|[-. ]+$/g, ''),
      )
      .filter(Boolean)
      .join('-')
      .slice(0, 200) || 'chart';
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
