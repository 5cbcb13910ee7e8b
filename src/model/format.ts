/** Small display helpers shared by hovers, CodeLens, the status bar and the CLI. Pure. */
import type { Forecast, ParamView, RunState, SweepFitView } from '../protocol';
import { formatCompact, isSymmetricInterval, negligibleLower, targetBandText } from '../shared/format';

/** 24000 → "24k", 1500000 → "1.5M", 1e21 → "1e21" (src/shared/format.ts). */
export function shortNumber(n: number): string {
  return formatCompact(n);
}

/** 7980 → "2h13m", 95 → "1m35s". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400),
    h = Math.floor((s % 86400) / 3600),
    m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d${h}h`;
  if (h) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Half-width of the interval, for "2.38 ±0.01". */
export function halfWidth(f: Forecast): number {
  return (f.upper - f.lower) / 2;
}

/** A number for display: 3 significant digits, exponent form outside [1e-3, 1e6). */
export function num(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
  return String(+x.toPrecision(digits));
}

/**
 * An interval around a value, honestly: "±0.01" when symmetric (sides within 10 % of each other), else
 * "[2.31, 2.45]". Lopsided intervals (log-space fits, bootstrap percentiles) are never printed as ±; a lower end
 * below a thousandth of the value is "≈0" (negligibleLower).
 */
export function intervalText(value: number, lower: number, upper: number, digits = 3): string {
  if (isSymmetricInterval(value, lower, upper)) return `±${num((upper - lower) / 2, 1)}`;
  return `[${negligibleLower(value, lower) ? '≈0' : num(lower, digits)}, ${num(upper, digits)}]`;
}

/** A band's lower end for display: "≈0" below a thousandth of the value (negligibleLower), else `precision` digits. */
export function lowerText(value: number, lower: number, precision = 4): string {
  return negligibleLower(value, lower) ? '≈0' : lower.toPrecision(precision);
}

/** An interval spanning at least this many orders of magnitude means the parameter is not identified. */
export const UNIDENTIFIED_DECADES = 2;

/**
 * Warnings for parameters whose interval spans orders of magnitude (or crosses zero for a positive value):
 * e.g. "E = 1.62 in [8e-13, 1.88]: not identified by these points (the interval spans 12 orders of magnitude)".
 */
export function identifiabilityWarnings(params: readonly ParamView[] | undefined): string[] {
  const out: string[] = [];
  for (const p of params ?? []) {
    if (p.lower === undefined || p.upper === undefined || !Number.isFinite(p.lower) || !Number.isFinite(p.upper))
      continue;
    const where = `${p.name} = ${num(p.value)} in [${num(p.lower)}, ${num(p.upper)}]`;
    if (p.value > 0 && p.lower <= 0) {
      out.push(`${where}: not identified by these points (the interval reaches zero)`);
      continue;
    }
    if (p.lower > 0 && p.upper > 0) {
      const decades = Math.log10(p.upper / p.lower);
      if (decades >= UNIDENTIFIED_DECADES)
        out.push(
          `${where}: not identified by these points (the interval spans ${Math.round(decades)} orders of magnitude)`,
        );
    }
  }
  return out;
}

/** Two exponents without intervals differ "beyond noise" above this. */
export const EXPONENT_TOLERANCE = 0.1;

/**
 * A warning when the compute-optimal methods disagree beyond their intervals: an exponent a (N_opt ∝ C^a) of
 * another method outside the parametric fit's interval (or, without one, more than 0.1 away). Undefined when
 * they agree or fewer than two methods have an answer.
 */
export function approachDisagreement(view: Pick<SweepFitView, 'approaches' | 'exponents'>): string | undefined {
  const with_ = (view.approaches ?? []).filter((x) => x.a !== undefined && Number.isFinite(x.a));
  if (with_.length < 2) return undefined;
  const ref = with_.find((x) => x.id === 'closed-form') ?? with_[0];
  const iv = ref.id === 'closed-form' ? view.exponents?.aInterval : undefined;
  const off = with_.filter(
    (x) => x !== ref && (iv ? x.a! < iv[0] || x.a! > iv[1] : Math.abs(x.a! - ref.a!) > EXPONENT_TOLERANCE),
  );
  if (!off.length) return undefined;
  const refText = `a = ${num(ref.a!)}${iv ? ` [${num(iv[0])}, ${num(iv[1])}]` : ''} (${ref.name})`;
  return `compute-optimal methods disagree beyond their intervals: N_opt ∝ C^a with ${refText} vs ${off.map((x) => `${num(x.a!)} (${x.name})`).join(', ')}: these runs do not settle the split between model size and data`;
}

/** Run states in words (runs view, hovers, status bar). */
export const STATE_LABEL: Record<RunState, string> = {
  live: 'live',
  finished: 'finished',
  stopped: 'stopped early',
  diverged: 'diverged',
  stale: 'stale (not growing)',
};

/**
 * "loss 2.61 → 2.38 ±0.01 @24k · ETA 2h13m", and with a target loss set "· 2.5 @18k (14k–26k)" (the step the
 * forecast reaches it at, and where the ends of its band do) or "· 2.5 not reached". A forecast at an assumed end says so ("@2k assumed"); one for a run that
 * stopped early is a what-if ("if continued: 2.38 … @24k"). `state` adds "finished" / "diverged" when there is
 * no forecast.
 */
export function forecastLine(
  metric: string,
  last: number | undefined,
  f: Forecast | undefined,
  target: number | null = null,
  state?: RunState,
): string {
  const name = metric.replace(/^train\//, '').replace(/^val\//, 'val ');
  let s = `${name} ${last !== undefined ? last.toPrecision(3) : '—'}`;
  if (f) {
    const assumed = f.basis?.includes('assumed end') ? ' assumed' : '';
    s += `${f.hypothetical ? ' · if continued:' : ' →'} ${f.value.toPrecision(3)} ${intervalText(f.value, f.lower, f.upper)} @${shortNumber(f.atStep)}${assumed}`;
    if (f.etaSeconds != null && !f.hypothetical) s += ` · ETA ${duration(f.etaSeconds)}`;
    if (target !== null) {
      const band = targetBandText(f.stepToTargetBand);
      s += ` · target ${+target.toPrecision(4)} ${f.stepToTarget != null ? `@${shortNumber(f.stepToTarget)}` : 'not reached'}`;
      if (band && f.stepToTarget != null) s += ` (${band})`;
    }
  } else if (state && state !== 'live') s += ` (${STATE_LABEL[state]})`;
  return s;
}

export { parseQuantity } from '../shared/quantity';
