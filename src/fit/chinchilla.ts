/**
 * Fitting the Chinchilla law L(N, D) = E + A/N^α + B/D^β (see laws/chinchilla.ts for the law and references)
 * with the protocol of Besiroglu et al. 2024: Huber(δ = 1e-3) on log residuals, summed, L-BFGS from the
 * 4,500-start grid, best optimum kept.
 *
 * Speed (the full grid with scipy takes minutes), without changing the answer:
 *  - analytic gradient and a tight Float64Array loop (`chinchillaObjective`);
 *  - centred coordinates: a' = a − α·mean(log N), b' = b − β·mean(log D). A linear change of variables, so the
 *    objective and its optima are unchanged; grid starts are mapped exactly, results mapped back;
 *  - dead-term pruning: a start whose term k can no longer reach the data (max_i u_k,i − min_i log L_i < −20,
 *    i.e. weight < 2e-9 and zero gradient for its own parameters) can only converge to a nested two-term model,
 *    whose objective is never below the full model's; such starts are stopped;
 *  - trajectory merging (parameters and objective): iterates are hashed on a grid of cells (MERGE_CELL); a start
 *    entering a cell where an earlier start's iterate had an objective no higher than its own is following it
 *    downhill into the same basin and is stopped (dedupes the many starts sharing an optimum). A start that is
 *    lower than every earlier visitor of the cell is on a path of its own: it goes on and owns the cell;
 *  - a loose tolerance during the sweep, then the best distinct candidates are polished to tight tolerance.
 *  `exhaustive: true` disables pruning/merging (every start run to tight convergence) for verification.
 */
import type { FitFailed, FitOk, SweepPointInput } from './types';
import { failed } from './types';
import { chinchillaLaw, chinchillaObjective, CHINCHILLA_GRID, type ChinchillaData } from './laws/chinchilla';
import { minimizeLbfgsb, lbfgsWorkspace } from './optim/lbfgsb';
import { cartesian } from './optim/grid';
import { indicesOfLargest, prepareNd, distinctCount } from './prepare';
import { hessianDiagnostics, numericHessian } from './hessian';

export interface ChinchillaOptions {
  /** Huber threshold on log residuals (default 1e-3). */
  delta?: number;
  /** Fit a single exponent α = β. */
  sharedExponent?: boolean;
  /** Use a point's `Neff` (average active parameters) instead of `N` when present (default true). */
  useEffectiveN?: boolean;
  /** Drop the k highest-loss points first (Besiroglu et al. drop 5). */
  dropHighestLoss?: number;
  /** Override the grid axes (fit space: a, b, e, alpha, beta). */
  grid?: Partial<Record<'a' | 'b' | 'e' | 'alpha' | 'beta', number[]>>;
  /** Start only from these fit-space points [a, b, e, α, β] (e.g. bootstrap refits from the full-data optimum). */
  starts?: number[][];
  /** Run every grid start to tight convergence (no pruning or merging). */
  exhaustive?: boolean;
  /** Per-point weights (e.g. bootstrap multiplicities), parallel to the kept points. Internal. */
  weights?: Float64Array;
  /** Skip Hessian diagnostics (bootstrap refits). */
  skipDiagnostics?: boolean;
}

export interface ChinchillaFit extends FitOk {
  params: { A: number; B: number; E: number; alpha: number; beta: number };
  /** Prepared log-data actually fitted (for bootstrap / diagnostics). */
  data: { logN: Float64Array; logD: Float64Array; logL: Float64Array; groups: (string | number | undefined)[] };
}

const DEAD = -20;
/**
 * Cell size of trajectory merging, in centred fit space (a', b', e, α, β). Judged against running every start
 * to tight convergence (bench/chinchilla-search-check.mjs): 0.05 (before) to 3 all found the exhaustive optimum
 * on the 10 dev data sets; 2 needs 4.6× fewer objective evaluations than 0.05. Hold-out results: that script.
 */
const MERGE_CELL = 2;

/** Prepared, centred data and its ranges. */
export interface CentredData extends ChinchillaData {
  mN: number;
  mD: number;
  nMin: number;
  nMax: number;
  dMin: number;
  dMax: number;
  lMin: number;
}

export function centre(logN: Float64Array, logD: Float64Array, logL: Float64Array, w?: Float64Array): CentredData {
  const n = logN.length;
  let mN = 0,
    mD = 0;
  for (let i = 0; i < n; i++) {
    mN += logN[i];
    mD += logD[i];
  }
  mN /= n;
  mD /= n;
  const lN = new Float64Array(n),
    lD = new Float64Array(n);
  let nMin = Infinity,
    nMax = -Infinity,
    dMin = Infinity,
    dMax = -Infinity,
    lMin = Infinity;
  for (let i = 0; i < n; i++) {
    lN[i] = logN[i] - mN;
    lD[i] = logD[i] - mD;
    if (lN[i] < nMin) nMin = lN[i];
    if (lN[i] > nMax) nMax = lN[i];
    if (lD[i] < dMin) dMin = lD[i];
    if (lD[i] > dMax) dMax = lD[i];
    if (logL[i] < lMin) lMin = logL[i];
  }
  return { lN, lD, lL: logL, w, huberCut: undefined, mN, mD, nMin, nMax, dMin, dMax, lMin };
}

/** Fit-space [a, b, e, α, β] ↔ centred [a', b', e, α, β]. */
export function toCentred(c: CentredData, p: ArrayLike<number>): Float64Array {
  return Float64Array.of(p[0] - p[3] * c.mN, p[1] - p[4] * c.mD, p[2], p[3], p[4]);
}
export function fromCentred(c: CentredData, q: ArrayLike<number>): number[] {
  return [q[0] + q[3] * c.mN, q[1] + q[4] * c.mD, q[2], q[3], q[4]];
}

/** True when one of the three terms can no longer influence the fit (see header). */
function deadTerm(c: CentredData, q: Float64Array): boolean {
  const m1 = q[0] - q[3] * (q[3] > 0 ? c.nMin : c.nMax) - c.lMin;
  const m2 = q[1] - q[4] * (q[4] > 0 ? c.dMin : c.dMax) - c.lMin;
  return m1 < DEAD || m2 < DEAD || q[2] - c.lMin < DEAD;
}

type Fg = (x: Float64Array, g: Float64Array | null) => number;

/** Objective in centred coordinates; with `shared`, x = [a', b', e, α] and β = α. */
function makeFg(c: CentredData, delta: number, shared: boolean): Fg {
  if (!shared) return (x, g) => chinchillaObjective(c, delta, x, g);
  const p = new Float64Array(5),
    g5 = new Float64Array(5);
  return (x, g) => {
    p[0] = x[0];
    p[1] = x[1];
    p[2] = x[2];
    p[3] = x[3];
    p[4] = x[3];
    const f = chinchillaObjective(c, delta, p, g ? g5 : null);
    if (g) {
      g[0] = g5[0];
      g[1] = g5[1];
      g[2] = g5[2];
      g[3] = g5[3] + g5[4];
    }
    return f;
  };
}

interface SearchResult {
  x: Float64Array;
  f: number;
  iterations: number;
  evaluations: number;
  starts: number;
  distinct: number;
  converged: boolean;
  reason: string;
  pruned: number;
  merged: number;
}

/** Grid search in centred coordinates. Starts are fit-space rows of length 5 (β ignored when shared). */
export function searchChinchilla(
  c: CentredData,
  delta: number,
  shared: boolean,
  startRows: number[][] | Float64Array,
  exhaustive: boolean,
): SearchResult | null {
  // Starts as one flat array of fit-space rows [a, b, e, α, β] (β ignored when shared).
  const starts =
    startRows instanceof Float64Array
      ? startRows
      : Float64Array.from(startRows.flatMap((row) => [row[0], row[1], row[2], row[3], row[4] ?? row[3]]));
  const nStarts = Math.floor(starts.length / 5);
  const fg = makeFg(c, delta, shared);
  const dim = shared ? 4 : 5;
  const H = MERGE_CELL;
  // Visited cells: hash → slot; per slot the last start that passed and the lowest objective seen there.
  const cells = new Map<number, number>();
  let cellOwner: Float64Array = new Float64Array(1024),
    cellF: Float64Array = new Float64Array(1024),
    cellCount = 0;
  const cand: { x: Float64Array; f: number }[] = [];
  let iterations = 0,
    evaluations = 0,
    pruned = 0,
    merged = 0;
  const work = lbfgsWorkspace(dim);
  const tight = { gtol: 1e-10, ftol: 1e-13, maxIter: 3000, work };
  const loose = { gtol: 1e-6, ftol: 1e-7, maxIter: 1000, work };
  const row = new Float64Array(5),
    x5 = new Float64Array(5);
  for (let r = 0; r < nStarts; r++) {
    for (let k = 0; k < 5; k++) row[k] = starts[5 * r + k];
    if (shared) row[4] = row[3];
    const q = toCentred(c, row);
    const x0 = q.subarray(0, dim);
    if (!exhaustive && deadTerm(c, q)) {
      pruned++;
      continue;
    } // dead at the start: stays dead (zero gradient)
    let stop = '';
    const onIteration = exhaustive
      ? undefined
      : (_k: number, x: Float64Array, f: number) => {
          if (shared) {
            x5[0] = x[0];
            x5[1] = x[1];
            x5[2] = x[2];
            x5[3] = x[3];
            x5[4] = x[3];
          }
          if (deadTerm(c, shared ? x5 : x)) {
            stop = 'dead';
            return true;
          }
          const key = cellKey(x, H);
          let slot = cells.get(key);
          if (slot === undefined) {
            slot = cellCount++;
            if (slot >= cellOwner.length) {
              cellOwner = grow(cellOwner);
              cellF = grow(cellF);
            }
            cells.set(key, slot);
            cellOwner[slot] = r;
            cellF[slot] = f;
            return false;
          }
          if (cellOwner[slot] !== r && f >= cellF[slot]) {
            stop = 'merged';
            return true;
          }
          // Own path, or lower than the earlier start was here (not its path): this start now owns the cell.
          cellOwner[slot] = r;
          if (f < cellF[slot]) cellF[slot] = f;
          return false;
        };
    const res = minimizeLbfgsb(fg, x0, { ...(exhaustive || nStarts === 1 ? tight : loose), onIteration });
    iterations += res.iterations;
    evaluations += res.evaluations;
    if (stop === 'dead') {
      pruned++;
      continue;
    }
    if (stop === 'merged') merged++;
    if (Number.isFinite(res.f)) cand.push({ x: res.x, f: res.f });
  }
  if (!cand.length) return null;
  cand.sort((u, v) => u.f - v.f);
  // Polish the best few distinct candidates to tight tolerance (exhaustive runs are already tight).
  const polished: { x: Float64Array; f: number; converged: boolean; reason: string }[] = [];
  const seen: Float64Array[] = [];
  for (const k of cand) {
    if (polished.length >= (exhaustive ? 1 : 5)) break;
    if (seen.some((s) => maxAbsDiff(s, k.x) < 1e-3)) continue;
    seen.push(k.x);
    const res = exhaustive
      ? { ...k, converged: true, reason: 'grid start converged', iterations: 0 }
      : minimizeLbfgsb(fg, k.x, tight);
    iterations += res.iterations;
    if ('evaluations' in res) evaluations += res.evaluations;
    polished.push({ x: res.x, f: res.f, converged: res.converged, reason: res.reason });
  }
  polished.sort((u, v) => u.f - v.f);
  const best = polished[0];
  const full = shared ? Float64Array.of(best.x[0], best.x[1], best.x[2], best.x[3], best.x[3]) : best.x;
  return {
    x: full,
    f: best.f,
    iterations,
    starts: nStarts,
    distinct: distinctCount(
      cand.map((k) => k.f),
      1e-6,
    ),
    converged: best.converged,
    reason: best.reason,
    pruned,
    merged,
    evaluations,
  };
}

function grow(a: Float64Array): Float64Array {
  const b = new Float64Array(2 * a.length);
  b.set(a);
  return b;
}

/**
 * Hash of the grid cell holding x (a 30-bit integer, so V8 keeps map keys unboxed; a rare collision only stops
 * one start early).
 */
function cellKey(x: Float64Array, h: number): number {
  let k = 17;
  for (let i = 0; i < x.length; i++) k = Math.imul(k ^ (Math.floor(x[i] / h) | 0), 0x01000193);
  return k & 0x3fffffff;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const gridCache = new Map<string, Float64Array>();

/**
 * The grid starts as one flat array of fit-space rows [a, b, e, α, β] (β = α with a shared exponent); the
 * default grids are built once per process (cold, building 4,500 row arrays took ~65 ms of a first fit).
 */
export function chinchillaGridFlat(opts: ChinchillaOptions = {}): Float64Array {
  const key = opts.grid ? '' : opts.sharedExponent ? 'shared' : 'full';
  const hit = key ? gridCache.get(key) : undefined;
  if (hit) return hit;
  const g = { ...CHINCHILLA_GRID, ...(opts.grid ?? {}) };
  const c = cartesian(opts.sharedExponent ? [g.a, g.b, g.e, g.alpha] : [g.a, g.b, g.e, g.alpha, g.beta]);
  const out = new Float64Array(c.rows * 5);
  for (let r = 0; r < c.rows; r++) {
    for (let k = 0; k < c.dim; k++) out[5 * r + k] = c.data[r * c.dim + k];
    if (opts.sharedExponent) out[5 * r + 4] = out[5 * r + 3];
  }
  if (key) gridCache.set(key, out);
  return out;
}

/** The 4,500 (or 900 with a shared exponent) grid starts in fit space. */
export function chinchillaGrid(opts: ChinchillaOptions = {}): number[][] {
  const g = { ...CHINCHILLA_GRID, ...(opts.grid ?? {}) };
  const axes = opts.sharedExponent ? [g.a, g.b, g.e, g.alpha] : [g.a, g.b, g.e, g.alpha, g.beta];
  const c = cartesian(axes);
  const rows: number[][] = [];
  for (let r = 0; r < c.rows; r++) {
    const row = Array.from(c.data.subarray(r * c.dim, (r + 1) * c.dim));
    rows.push(opts.sharedExponent ? [...row, row[3]] : row);
  }
  return rows;
}

/**
 * Fit L(N, D) to sweep points. Never throws: bad input gives `{ ok: false, reason }`.
 * Points need N (or Neff) and D (or C, with D = C/(6N)) and a positive loss.
 */
export function fitChinchilla(
  points: readonly SweepPointInput[],
  opts: ChinchillaOptions = {},
): ChinchillaFit | FitFailed {
  try {
    return fitChinchillaUnsafe(points, opts);
  } catch (e) {
    return failed(`Chinchilla fit failed: ${(e as Error)?.message ?? String(e)}`, [], 'chinchilla');
  }
}

function fitChinchillaUnsafe(points: readonly SweepPointInput[], opts: ChinchillaOptions): ChinchillaFit | FitFailed {
  const prep = prepareNd(points, opts.useEffectiveN ?? true);
  const warnings = [...prep.warnings];
  let keep = Array.from({ length: prep.L.length }, (_, i) => i);
  if (opts.dropHighestLoss && opts.dropHighestLoss > 0) {
    const drop = indicesOfLargest(prep.L, opts.dropHighestLoss);
    keep = keep.filter((i) => !drop.has(i));
    warnings.push(`dropped the ${drop.size} highest-loss point(s) before fitting`);
  }
  const nParams = opts.sharedExponent ? 4 : 5;
  if (keep.length < nParams)
    return failed(`not enough points: ${keep.length} < ${nParams} parameters`, warnings, 'chinchilla');
  const delta = opts.delta ?? 1e-3;
  if (!(delta > 0)) return failed(`Huber delta must be positive (got ${delta})`, warnings, 'chinchilla');
  const logN = Float64Array.from(keep, (i) => Math.log(prep.N[i]));
  const logD = Float64Array.from(keep, (i) => Math.log(prep.D[i]));
  const logL = Float64Array.from(keep, (i) => Math.log(prep.L[i]));
  const groups = keep.map((i) => prep.groups[i]);
  if (opts.weights && opts.weights.length !== keep.length)
    return failed('weights must be parallel to the kept points', warnings, 'chinchilla');
  if (distinctCount(logN) < 2) warnings.push('all points have the same N: α and A are not identifiable');
  if (distinctCount(logD) < 2) warnings.push('all points have the same D: β and B are not identifiable');
  if (distinctCount(logL, 1e-12) < 2) warnings.push('the loss is constant: only E is identifiable');
  if (keep.length < 2 * nParams)
    warnings.push(`few points (${keep.length}) for ${nParams} parameters: intervals will be wide`);

  const c = centre(logN, logD, logL, opts.weights);
  const starts = opts.starts?.length ? opts.starts : chinchillaGridFlat(opts);
  const s = searchChinchilla(c, delta, !!opts.sharedExponent, starts, !!opts.exhaustive || !!opts.starts?.length);
  if (!s) return failed('no start produced a finite objective', warnings, 'chinchilla');
  const p = fromCentred(c, s.x);
  const nat = chinchillaLaw.natural!(p) as ChinchillaFit['params'];

  const diagnostics: Record<string, number | string | boolean> = {
    gridStarts: s.starts,
    evaluations: s.evaluations,
    prunedDeadTerm: s.pruned,
    merged: s.merged,
    reason: s.reason,
    delta,
    sharedExponent: !!opts.sharedExponent,
  };
  if (!opts.skipDiagnostics) {
    const fgFit = (x: Float64Array, g: Float64Array | null) => chinchillaObjective(c, delta, x, g);
    const hd = hessianDiagnostics(fgFit, s.x, ["a'", "b'", 'e', 'alpha', 'beta'], opts.sharedExponent ? [] : [[3, 4]]);
    warnings.push(...hd.warnings);
    diagnostics.hessianCondition = hd.conditionNumber;
    if (hd.correlation && !opts.sharedExponent) diagnostics.corrAlphaBeta = hd.correlation[3][4];
  }
  if (nat.E < 1e-6) warnings.push('E (irreducible loss) fitted at ~0: the data do not show saturation');
  if (nat.alpha <= 0 || nat.beta <= 0)
    warnings.push('a fitted exponent is ≤ 0: the loss does not fall with scale in that direction');

  let sse = 0;
  for (let i = 0; i < logL.length; i++) {
    const r = logL[i] - Math.log(chinchillaLaw.predict(p, [Math.exp(logN[i]), Math.exp(logD[i])]));
    sse += r * r;
  }
  const ok: ChinchillaFit = {
    ok: true,
    status: 'ok',
    lawId: opts.sharedExponent ? 'chinchilla-shared' : 'chinchilla',
    paramNames: ['a', 'b', 'e', 'alpha', 'beta'],
    raw: p,
    params: nat,
    objective: s.f,
    loss: { space: 'log', kind: 'huber', delta },
    n: logL.length,
    converged: s.converged,
    iterations: s.iterations,
    starts: s.starts,
    distinctOptima: s.distinct,
    rmse: Math.sqrt(sse / logL.length),
    warnings,
    diagnostics,
    data: { logN, logD, logL, groups },
  };
  return ok;
}

/** One refit of a resample (see `chinchillaRefitter`). */
export type ChinchillaRefit =
  | {
      ok: true;
      raw: number[];
      params: ChinchillaFit['params'];
      objective: number;
      iterations: number;
      evaluations: number;
      converged: boolean;
    }
  | { ok: false; reason: string };

export interface ChinchillaRefitter {
  /** Refit with per-point weights (multiplicities, parallel to `fit.data`); the array is read, not kept. */
  refit(weights: Float64Array): ChinchillaRefit;
}

/**
 * Refits of a Chinchilla fit under resampling weights (bootstrap), sharing all the work that does not depend on
 * the weights: the centred log data are built once; every refit starts from the full-data optimum (Besiroglu et
 * al. 2024 do the same) and its L-BFGS starts from the inverse Hessian of the full-data objective there (a
 * resample's Hessian is close to it, as the weights average 1), so the first steps are nearly Newton steps
 * instead of steepest descent on an objective whose Hessian has condition number ~1e4. Same stopping rule as a
 * single-start fit (gtol 1e-10, relative ftol 1e-13), so a refit lands on the resample's own optimum.
 */
export function chinchillaRefitter(fit: ChinchillaFit): ChinchillaRefitter {
  const { logN, logD, logL } = fit.data;
  const n = logL.length;
  const delta = fit.loss.delta ?? 1e-3;
  const shared = fit.lawId === 'chinchilla-shared';
  const w = new Float64Array(n);
  const c = centre(logN, logD, logL, w);
  const fg = makeFg(c, delta, shared);
  const q = toCentred(c, fit.raw);
  const x0 = shared ? q.subarray(0, 4) : q;
  // Inverse Hessian of the unweighted objective at the full-data optimum (null when not positive definite).
  w.fill(1);
  const h0 = inverseSpd(numericHessian(fg, x0));
  const tight = { gtol: 1e-10, ftol: 1e-13, maxIter: 3000, h0: h0 ?? undefined, work: lbfgsWorkspace(x0.length) };
  return {
    refit(weights) {
      if (weights.length !== n) return { ok: false, reason: 'weights must be parallel to the fitted points' };
      w.set(weights);
      const res = minimizeLbfgsb(fg, x0, tight);
      if (!Number.isFinite(res.f)) return { ok: false, reason: res.reason };
      const full = shared ? [res.x[0], res.x[1], res.x[2], res.x[3], res.x[3]] : res.x;
      const p = fromCentred(c, full);
      return {
        ok: true,
        raw: p,
        params: chinchillaLaw.natural!(p) as ChinchillaFit['params'],
        objective: res.f,
        iterations: res.iterations,
        evaluations: res.evaluations,
        converged: res.converged,
      };
    },
  };
}

/** Inverse of a small symmetric positive-definite matrix by Cholesky, row-major; null when not positive definite. */
export function inverseSpd(H: number[][]): Float64Array | null {
  const n = H.length;
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = H[i][j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return null;
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  // inv = L⁻ᵀ L⁻¹: solve for each unit vector.
  const inv = new Float64Array(n * n),
    y = new Float64Array(n);
  for (let col = 0; col < n; col++) {
    for (let i = 0; i < n; i++) {
      let s = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
      y[i] = s / L[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < n; k++) s -= L[k * n + i] * inv[k * n + col];
      inv[i * n + col] = s / L[i * n + i];
    }
  }
  return inv;
}
