/**
 * Table laws: laws fitted to one row per model from a table with named columns (loss → downstream metric,
 * over-training, data-constrained scaling, hyperparameter laws). Each law is a small `Law` object (one per
 * file in laws/) plus the columns it reads, optional data-driven bounds and a check for degenerate optima.
 * Fitting reuses the engine's objective (makeObjective) and bounded multi-start L-BFGS (optim/); intervals
 * come from a seeded bootstrap over rows. Pure: no `vscode`, no I/O, never throws.
 */
import type { Dataset, Law } from './types';
import { makeObjective } from './optim/objective';
import { multiStart } from './optim/multistart';
import { cartesian } from './optim/grid';
import { mulberry32, percentile } from './bootstrap';

export interface TableLaw extends Law {
  /** Catalog scope: what kind of question the law answers. */
  kind: 'downstream' | 'sweep' | 'hyperparameter';
  /** Column names (case-insensitive regexes) of each input and of the modelled quantity, in `inputs` order. */
  columns: { inputs: RegExp[]; y: RegExp; yName: string };
  /** Data-driven box bounds in fit space (default: the params' static bounds). */
  bounds?(data: Dataset): { lower: number[]; upper: number[] };
  /** Human-readable warnings when the optimum is degenerate (e.g. a sigmoid seen on one tail only). */
  diagnose?(raw: number[], data: Dataset): string[];
  /** Quantities derived from the natural parameters (e.g. epochs still worth repeating). */
  derived?(raw: number[]): Record<string, number>;
  /** One line of advice read off the fitted parameters (e.g. how many epochs are still worth it). */
  advice?(raw: number[]): string;
  /** Published reference values shown beside the fit (e.g. the Step Law formula). */
  published?: { source: string; params: Record<string, number> };
}

export interface TableFitOptions {
  /** Bootstrap refits over rows (0: none). */
  bootstrap?: number;
  seed?: number;
  confidence?: number;
  /** Fit-space parameters held fixed (by name), e.g. a published first-stage fit. */
  fixed?: Record<string, number>;
  /** A single fit-space start instead of the grid (local refinement of a known optimum). */
  start?: number[];
}

export interface TableFit {
  ok: true;
  law: TableLaw;
  raw: number[];
  params: Record<string, number>;
  derived: Record<string, number>;
  /** Percentile bootstrap intervals of natural parameters and derived quantities. */
  intervals: Record<string, [number, number]>;
  bootstrap: number;
  objective: number;
  /** RMSE of the residuals in the law's residual space. */
  rmse: number;
  n: number;
  warnings: string[];
}

export type TableFitResult = TableFit | { ok: false; reason: string; warnings: string[] };

function natural(law: Law, raw: ArrayLike<number>): Record<string, number> {
  return law.natural ? law.natural(raw) : Object.fromEntries(law.params.map((p, i) => [p.name, raw[i]]));
}

/** Optimum of `law` on `data` from the grid (and `init`) starts, with only the free parameters moving. */
function optimise(
  law: TableLaw,
  data: Dataset,
  lower: number[],
  upper: number[],
  fixed: Map<number, number>,
  starts: number[][] | null,
) {
  const P = law.params.length;
  const free = law.params.map((_, i) => i).filter((i) => !fixed.has(i));
  const full = new Float64Array(P);
  for (const [i, v] of fixed) full[i] = v;
  const fg = makeObjective(law, data, law.defaultLoss);
  const gFull = new Float64Array(P);
  const reduced = (x: Float64Array, g: Float64Array | null): number => {
    for (let j = 0; j < free.length; j++) full[free[j]] = x[j];
    const f = fg(full, g ? gFull : null);
    if (g) for (let j = 0; j < free.length; j++) g[j] = gFull[free[j]];
    return f;
  };
  let rows: number[][];
  if (starts) rows = starts.map((s) => free.map((i) => s[i]));
  else {
    const grid = cartesian(
      free.map((i) => law.params[i].grid ?? [0.5 * (Math.max(lower[i], -10) + Math.min(upper[i], 10))]),
    );
    rows = [];
    for (let r = 0; r < grid.data.length / grid.dim; r++)
      rows.push(Array.from(grid.data.subarray(r * grid.dim, (r + 1) * grid.dim)));
    try {
      for (const s of law.init?.(data) ?? [])
        if (s.length === P && s.every(Number.isFinite)) rows.push(free.map((i) => s[i]));
    } catch {
      /* a failing init only loses its starts */
    }
  }
  rows = rows.map((r) => r.map((v, j) => Math.min(upper[free[j]], Math.max(lower[free[j]], v))));
  const ms = multiStart(reduced, rows, free.length, {
    lower: free.map((i) => lower[i]),
    upper: free.map((i) => upper[i]),
    gtol: 1e-10,
    ftol: 1e-14,
    maxIter: 2000,
  });
  if (!ms || !Number.isFinite(ms.best.f)) return null;
  const raw = Array.from(full);
  for (let j = 0; j < free.length; j++) raw[free[j]] = ms.best.x[j];
  // Other optima nearly as good (within 1 % of the objective) but elsewhere: the data do not pin the law down.
  const rivals = ms.distinct
    .filter((d) => d.f <= ms.best.f + 0.01 * Math.abs(ms.best.f) + 1e-15)
    .map((d) => {
      const r = Array.from(full);
      for (let j = 0; j < free.length; j++) r[free[j]] = d.x[j];
      return r;
    });
  return { raw, f: ms.best.f, free, rivals };
}

/** Rows of `data` with finite inputs and y inside the law's domain; the rest are counted, never silently dropped. */
export function cleanData(law: TableLaw, inputs: number[][], y: number[]): { data: Dataset; dropped: number } {
  const k = law.inputs.length,
    keep: number[] = [];
  for (let i = 0; i < y.length; i++) {
    const x = inputs.map((c) => c[i]);
    if (x.length !== k || !x.every(Number.isFinite) || !Number.isFinite(y[i])) continue;
    if (law.invalidInput?.(x)) continue;
    if (law.defaultLoss.space === 'log' && !(y[i] > 0)) continue;
    keep.push(i);
  }
  return {
    data: {
      inputs: inputs.map((c) => Float64Array.from(keep.map((i) => c[i]))),
      y: Float64Array.from(keep.map((i) => y[i])),
    },
    dropped: y.length - keep.length,
  };
}

export function fitTableLaw(
  law: TableLaw,
  inputs: number[][],
  y: number[],
  opts: TableFitOptions = {},
): TableFitResult {
  const warnings: string[] = [];
  try {
    if (inputs.length !== law.inputs.length)
      return {
        ok: false,
        reason: `${law.id} needs ${law.inputs.length} input column(s) (${law.inputs.join(', ')})`,
        warnings,
      };
    const { data, dropped } = cleanData(law, inputs, y);
    if (dropped) warnings.push(`dropped ${dropped} row(s) with a missing, non-finite or out-of-domain value`);
    const n = data.y.length,
      P = law.params.length;
    const fixed = new Map<number, number>();
    for (const [name, v] of Object.entries(opts.fixed ?? {})) {
      const i = law.params.findIndex((p) => p.name === name);
      if (i < 0)
        return {
          ok: false,
          reason: `${law.id} has no parameter "${name}" (fit-space parameters: ${law.params.map((p) => p.name).join(', ')})`,
          warnings,
        };
      if (!Number.isFinite(v)) return { ok: false, reason: `fixed value of ${name} is not a finite number`, warnings };
      fixed.set(i, v);
    }
    const nFree = P - fixed.size;
    if (n < nFree + 1)
      return {
        ok: false,
        reason: `not enough rows: ${n} usable, ${law.id} has ${nFree} free parameter(s) and needs at least ${nFree + 1}`,
        warnings,
      };
    if (n < nFree + 3)
      warnings.push(
        `only ${n} rows for ${nFree} free parameters: the fit nearly interpolates, treat intervals and extrapolations with care`,
      );
    if (new Set(data.y).size < 2)
      return { ok: false, reason: `${law.columns.yName} is constant: nothing to fit`, warnings };
    if (law.inputs.length === 1 && new Set(data.inputs[0]).size < 2)
      return { ok: false, reason: `every row has the same ${law.inputs[0]}: the law is not identifiable`, warnings };
    const b = law.bounds
      ? law.bounds(data)
      : { lower: law.params.map((p) => p.lower), upper: law.params.map((p) => p.upper) };
    for (const [i, v] of fixed) {
      b.lower[i] = Math.min(b.lower[i], v);
      b.upper[i] = Math.max(b.upper[i], v);
    }
    const best = optimise(
      law,
      data,
      b.lower,
      b.upper,
      fixed,
      opts.start && opts.start.length === P ? [opts.start] : null,
    );
    if (!best)
      return { ok: false, reason: 'no start gave a finite objective (the law cannot describe these rows)', warnings };
    const { raw } = best;
    for (const i of best.free) {
      const p = law.params[i],
        span = b.upper[i] - b.lower[i];
      const tolLo = 1e-7 * Math.max(1, Math.abs(b.lower[i]), Number.isFinite(span) && span < 1e3 ? span : 1);
      const tolHi = 1e-7 * Math.max(1, Math.abs(b.upper[i]), Number.isFinite(span) && span < 1e3 ? span : 1);
      if (raw[i] <= b.lower[i] + tolLo || raw[i] >= b.upper[i] - tolHi)
        warnings.push(
          `${p.name}${p.description ? ` (${p.description})` : ''} hit its bound (${raw[i].toPrecision(4)} in [${b.lower[i].toPrecision(4)}, ${b.upper[i].toPrecision(4)}]): the optimum is degenerate`,
        );
    }
    try {
      warnings.push(...(law.diagnose?.(raw, data) ?? []));
    } catch {
      /* diagnostics are best effort */
    }
    const rivalWarning = nearEqualOptima(law, raw, best.rivals);
    if (rivalWarning) warnings.push(rivalWarning);
    let sse = 0;
    const xi = new Float64Array(law.inputs.length);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < xi.length; j++) xi[j] = data.inputs[j][i];
      const yh = law.predict(raw, xi);
      const r = law.defaultLoss.space === 'log' ? Math.log(data.y[i]) - Math.log(yh) : data.y[i] - yh;
      sse += r * r;
    }
    const params = natural(law, raw);
    const derived = law.derived ? law.derived(raw) : {};
    const B = Math.max(0, Math.floor(opts.bootstrap ?? 0));
    const intervals: Record<string, [number, number]> = {};
    let done = 0;
    if (B > 0) {
      const rnd = mulberry32(opts.seed ?? 0);
      const reps: Record<string, number>[] = [];
      for (let r = 0; r < B; r++) {
        const w = new Float64Array(n);
        for (let i = 0; i < n; i++) w[Math.floor(rnd() * n)] += 1;
        const o = optimise(law, { ...data, weights: w }, b.lower, b.upper, fixed, [raw]);
        if (!o) continue;
        reps.push({ ...natural(law, o.raw), ...(law.derived ? law.derived(o.raw) : {}) });
      }
      done = reps.length;
      if (done < B) warnings.push(`${B - done} of ${B} bootstrap refit(s) failed`);
      const conf = opts.confidence ?? 0.95,
        lo = (1 - conf) / 2;
      if (done >= 20) {
        for (const k of [...Object.keys(params), ...Object.keys(derived)]) {
          const v = reps
            .map((q) => q[k])
            .filter(Number.isFinite)
            .sort((x, z) => x - z);
          if (v.length >= 20) intervals[k] = [percentile(v, lo), percentile(v, 1 - lo)];
        }
      } else warnings.push(`only ${done} successful bootstrap refit(s): no intervals`);
    }
    return {
      ok: true,
      law,
      raw,
      params,
      derived,
      intervals,
      bootstrap: done,
      objective: best.f,
      rmse: Math.sqrt(sse / n),
      n,
      warnings,
    };
  } catch (e) {
    return { ok: false, reason: `internal error: ${(e as Error)?.message ?? String(e)}`, warnings };
  }
}

/** Says which natural parameters differ by more than 20 % between near-equal optima (a flat, multimodal objective). */
function nearEqualOptima(law: Law, raw: number[], rivals: number[][]): string | null {
  const p0 = natural(law, raw),
    spread: Record<string, [number, number]> = {};
  for (const r of rivals) {
    const q = natural(law, r);
    for (const k of Object.keys(p0)) {
      const a = p0[k],
        v = q[k];
      if (!Number.isFinite(v) || Math.abs(v - a) <= 0.2 * Math.max(Math.abs(a), 1e-12)) continue;
      const s = spread[k] ?? [a, a];
      spread[k] = [Math.min(s[0], v), Math.max(s[1], v)];
    }
  }
  const keys = Object.keys(spread);
  if (!keys.length) return null;
  return `several optima within 1 % of the best objective disagree: ${keys.map((k) => `${k} from ${spread[k][0].toPrecision(3)} to ${spread[k][1].toPrecision(3)}`).join(', ')} — the data do not pin these down (see the bootstrap intervals)`;
}

/** The law's prediction at one input vector (natural inputs, in `law.inputs` order). */
export function predictTable(fit: Pick<TableFit, 'law' | 'raw'>, x: number[]): number {
  return fit.law.predict(fit.raw, x);
}

/** Fit-space parameter vectors refitted on `opts.bootstrap` resamples of the rows (from the full-data optimum). */
export function bootstrapRaws(
  law: TableLaw,
  inputs: number[][],
  y: number[],
  fit: Pick<TableFit, 'raw'>,
  opts: TableFitOptions,
): number[][] {
  const B = Math.max(0, Math.floor(opts.bootstrap ?? 0));
  const { data } = cleanData(law, inputs, y);
  const n = data.y.length;
  const b = law.bounds
    ? law.bounds(data)
    : { lower: law.params.map((p) => p.lower), upper: law.params.map((p) => p.upper) };
  const fixed = new Map<number, number>();
  for (const [name, v] of Object.entries(opts.fixed ?? {})) {
    const i = law.params.findIndex((p) => p.name === name);
    if (i >= 0) {
      fixed.set(i, v);
      b.lower[i] = Math.min(b.lower[i], v);
      b.upper[i] = Math.max(b.upper[i], v);
    }
  }
  const rnd = mulberry32(opts.seed ?? 0);
  const out: number[][] = [];
  for (let r = 0; r < B; r++) {
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[Math.floor(rnd() * n)] += 1;
    const o = optimise(law, { ...data, weights: w }, b.lower, b.upper, fixed, [fit.raw]);
    if (o) out.push(o.raw);
  }
  return out;
}

/** Percentile interval of finite values at `confidence`; null below 20 values. */
export function percentileBand(values: number[], confidence = 0.95): [number, number] | null {
  const v = values.filter(Number.isFinite).sort((p, q) => p - q);
  if (v.length < 20) return null;
  const lo = (1 - confidence) / 2;
  return [percentile(v, lo), percentile(v, 1 - lo)];
}

/**
 * Percentile band of the prediction at `x` over bootstrap refits (the same resampling as the parameter
 * intervals); null when fewer than 20 refits succeed.
 */
export function predictionBand(
  law: TableLaw,
  inputs: number[][],
  y: number[],
  fit: TableFit,
  x: number[],
  opts: TableFitOptions,
): [number, number] | null {
  if (Math.floor(opts.bootstrap ?? 0) < 20) return null;
  return percentileBand(
    bootstrapRaws(law, inputs, y, fit, opts).map((r) => law.predict(r, x)),
    opts.confidence,
  );
}
