/** Compact number formatting for both bundles (host hovers, tree, commands and the dashboard): one copy. Pure. */

const SUFFIXES: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

function trim(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * 124e6 → "124M", 1.5e9 → "1.5B", 24000 → "24k", 3.2e21 → "3.2e21", 0.5 → "0.5". With `significant`, the
 * scaled value keeps that many significant digits instead (the CLI's tables: 10,650,000 → "10.65M" with 4).
 */
export function formatCompact(n: number | undefined | null, significant?: number): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  if (a >= 1e15) return n.toExponential(1).replace('e+', 'e').replace('.0e', 'e');
  for (const [v, s] of SUFFIXES) {
    if (a >= v) {
      const x = n / v;
      if (significant) return String(Number(x.toPrecision(significant))) + s;
      return trim(x.toFixed(Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2)) + s;
    }
  }
  if (significant) return String(Number(n.toPrecision(significant)));
  if (a === 0) return '0';
  if (a < 1e-3) return n.toExponential(1).replace('e-', 'e-');
  return trim(n.toPrecision(3));
}

/** An interval is shown as ± when its two sides differ by at most this fraction of the larger one. */
export const SYMMETRIC_WITHIN = 0.1;

/**
 * True when an interval around `value` may be printed as ± (its sides within 10 % of each other); else it is
 * printed as [lo, hi]. One rule for the host (hovers, tree, reports) and the dashboard: a lopsided interval
 * (log-space fits, calibrated bands, bootstrap percentiles) is never printed as ±.
 */
export function isSymmetricInterval(value: number, lower: number, upper: number): boolean {
  const lo = value - lower,
    hi = upper - value;
  return lo >= 0 && hi >= 0 && Math.abs(lo - hi) <= SYMMETRIC_WITHIN * Math.max(lo, hi);
}

/**
 * A lower end that says only "as low as zero": positive but below a thousandth of the value (a loss band's lower end
 * of 9e-17 under a forecast of 1.35, when one law of the model average has an ill-conditioned covariance). Printed
 * as "≈0" rather than a meaningless 9.2e-17; the number itself (JSON, exports) is untouched.
 */
export function negligibleLower(value: number, lower: number): boolean {
  return value > 0 && lower >= 0 && lower < value * NEGLIGIBLE_LOWER;
}

/** See negligibleLower. */
export const NEGLIGIBLE_LOWER = 1e-3;

/**
 * The band of a steps-to-target answer (Forecast.stepToTargetBand: where the lower and the upper end of the
 * forecast's band reach the target): "14k–26k", "≥14k" when the upper end does not reach it within the horizon, ""
 * when not even the lower end does (or no band is known).
 */
export function targetBandText(band: readonly [number | null, number | null] | undefined): string {
  if (!band || band[0] === null) return '';
  return band[1] === null ? `≥${formatCompact(band[0])}` : `${formatCompact(band[0])}–${formatCompact(band[1])}`;
}
