/** Small display helpers shared by hovers, CodeLens, the status bar and the CLI. Pure. */
import type { Forecast } from '../protocol';
import { formatCompact } from '../shared/format';

/** 24000 → "24k", 1500000 → "1.5M", 1e21 → "1e21" (src/shared/format.ts). */
export function shortNumber(n: number): string {
  return formatCompact(n);
}

/** 7980 → "2h13m", 95 → "1m35s". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d${h}h`;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Half-width of the interval, for "2.38 ±0.01". */
export function halfWidth(f: Forecast): number {
  return (f.upper - f.lower) / 2;
}

/**
 * "loss 2.61 → 2.38 ±0.01 @24k · ETA 2h13m", and with a target loss set "· 2.5 @18k" (the step the forecast
 * reaches it at) or "· 2.5 not reached".
 */
export function forecastLine(metric: string, last: number | undefined, f: Forecast | undefined, target: number | null = null): string {
  const name = metric.replace(/^train\//, '').replace(/^val\//, 'val ');
  let s = `${name} ${last !== undefined ? last.toPrecision(3) : '—'}`;
  if (f) {
    s += ` → ${f.value.toPrecision(3)} ±${halfWidth(f).toPrecision(1)} @${shortNumber(f.atStep)}`;
    if (f.etaSeconds != null) s += ` · ETA ${duration(f.etaSeconds)}`;
    if (target !== null) s += ` · target ${+target.toPrecision(4)} ${f.stepToTarget != null ? `@${shortNumber(f.stepToTarget)}` : 'not reached'}`;
  }
  return s;
}

export { parseQuantity } from '../shared/quantity';
