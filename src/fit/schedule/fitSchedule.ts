/**
 * Fit an LR-schedule-aware law (MPL or Tissue) jointly to several runs of one model size (shared
 * parameters), then predict the loss curve of any other schedule from its LR series alone.
 *
 * Objective: as Luo et al. 2025, the Huber loss (δ = 1e-3) of the log residuals ln ŷ − ln y summed over all
 * points of all fitted curves; minimised by iteratively re-weighted least squares (w = min(1, δ/|r|)) around
 * the LM, starting from plain least squares. Optimiser: our small dense LM (lm.ts)
 * with analytic Jacobians, from a few deterministic starts. Pure; bad input → `{ ok: false, reason }`.
 *
 * MPL is fitted in a better-conditioned internal parametrisation: B' = B·η_ref and C' = C·η_ref^(−γ) with
 * η_ref the peak LR (C and γ otherwise trade off almost perfectly: C·η^(−γ) = C'·(η/η_ref)^(−γ)). Results are
 * reported in the paper's parameters [L0, A, α, B, C, β, γ].
 */
import { levenbergMarquardt } from '../curve/lm';
import { buildLrSchedule, type LrSchedule } from './lrSeries';
import { mplChanges, mplPredict, MPL_LATEX, MPL_LOWER, MPL_PARAM_NAMES, MPL_SOURCE, MPL_UPPER, type MplChanges } from './mpl';
import { annealingArea, tissuePredict, TISSUE_LATEX, TISSUE_LOWER, TISSUE_PARAM_NAMES, TISSUE_SOURCE, TISSUE_UPPER } from './tissue';

export type ScheduleLawId = 'mpl' | 'tissue';

/** One run: LR logged at sparse steps (interpolated), loss at (other or the same) steps. */
export interface ScheduleCurve {
  lrSteps: number[];
  lr: number[];
  steps: number[];
  loss?: number[];
  name?: string;
}

export interface ScheduleFitOptions {
  law?: ScheduleLawId;
  /** linear warmup from 0 assumed before the first logged LR (see lrSeries.ts). Default 0. */
  warmupSteps?: number;
  /** Tissue's momentum decay λ. Default 0.999. */
  lambda?: number;
  maxIter?: number;
  /** Huber threshold on log residuals (Luo et al.: 1e-3); 0 = plain least squares. */
  huberDelta?: number;
  /** Extra starting points in the law's natural parameters (e.g. a previous fit). */
  starts?: number[][];
}

export interface ScheduleFit {
  ok: true;
  law: ScheduleLawId;
  paramNames: string[];
  params: number[];
  latex: string;
  source: string;
  warmupSteps: number;
  lambda: number;
  /** RMS of log residuals on the fitted curves */
  logRmse: number;
  nPoints: number;
  iterations: number;
  warnings: string[];
}

export type ScheduleFitResult = ScheduleFit | { ok: false; reason: string };

interface Prepared {
  sched: LrSchedule;
  ch?: MplChanges;
  S2?: Float64Array;
  steps: Float64Array;
  loss: Float64Array;
}

function prepare(c: ScheduleCurve, law: ScheduleLawId, o: Required<Pick<ScheduleFitOptions, 'warmupSteps' | 'lambda'>>, needLoss: boolean): Prepared | string {
  const label = c.name ? `curve "${c.name}"` : 'curve';
  if (!c || !Array.isArray(c.steps) || !Array.isArray(c.lr) || !Array.isArray(c.lrSteps)) return `${label}: steps, lrSteps and lr must be arrays`;
  const st: number[] = [], ls: number[] = [];
  let dropped = 0;
  for (let i = 0; i < c.steps.length; i++) {
    const s = c.steps[i], y = needLoss ? c.loss?.[i] : 1;
    if (!Number.isFinite(s) || s < 1 || (needLoss && !(typeof y === 'number' && Number.isFinite(y) && y > 0))) { dropped++; continue; }
    st.push(Math.round(s)); ls.push(y as number);
  }
  if (needLoss && st.length === 0) return `${label}: no finite positive loss points`;
  const endStep = st.length ? Math.max(...st) : 0;
  const sched = buildLrSchedule(c.lrSteps, c.lr, { warmupSteps: o.warmupSteps, endStep });
  if (!sched.ok) return `${label}: ${sched.reason}`;
  void dropped;
  return {
    sched,
    ch: law === 'mpl' ? mplChanges(sched) : undefined,
    S2: law === 'tissue' ? annealingArea(sched, o.lambda) : undefined,
    steps: Float64Array.from(st),
    loss: Float64Array.from(ls),
  };
}

function nParams(law: ScheduleLawId): number {
  return law === 'mpl' ? 7 : 4;
}

function predictPrepared(law: ScheduleLawId, p: ArrayLike<number>, c: Prepared, out: Float64Array, J: Float64Array | null): void {
  if (law === 'mpl') mplPredict(p, c.sched, c.ch as MplChanges, c.steps, out, J);
  else tissuePredict(p, c.sched, c.S2 as Float64Array, c.steps, out, J);
}

/** Deterministic starting points from the data scale (loss range, peak LR). */
function startPoints(law: ScheduleLawId, curves: Prepared[]): number[][] {
  let yMin = Infinity, peak = 0, first = { y: 0, P: 1 };
  for (const c of curves) {
    for (const v of c.loss) yMin = Math.min(yMin, v);
    for (const v of c.sched.eta) peak = Math.max(peak, v);
    if (c.loss.length && first.y === 0) first = { y: c.loss[0], P: c.sched.prefix[c.steps[0]] };
  }
  const out: number[][] = [];
  for (const dL of [0.3, 0.8]) {
    const L0 = Math.max(yMin - dL, 1e-3);
    const alpha = 0.5;
    const A = Math.max(first.y - L0, 1e-3) * Math.pow(first.P, alpha);
    if (law === 'mpl') {
      // B·peak ≈ 0.1 (loss drop of a full anneal); C so that G saturates ~20 steps into an anneal at peak LR.
      out.push([L0, A, alpha, 0.1 / peak, 1 / (20 * Math.pow(peak, 0.4)), 0.5, 0.6]);
    } else {
      out.push([L0, A, alpha, 0.1 / Math.max(peak * 100, 1e-300)]);
    }
  }
  return out;
}

export function fitScheduleLaw(curves: ScheduleCurve[], opts: ScheduleFitOptions = {}): ScheduleFitResult {
  try {
    const law: ScheduleLawId = opts.law ?? 'mpl';
    if (law !== 'mpl' && law !== 'tissue') return { ok: false, reason: `unknown schedule law "${String(law)}"` };
    if (!Array.isArray(curves) || curves.length === 0) return { ok: false, reason: 'no curves to fit' };
    const o = { warmupSteps: opts.warmupSteps ?? 0, lambda: opts.lambda ?? 0.999 };
    const prepared: Prepared[] = [];
    for (const c of curves) {
      const p = prepare(c, law, o, true);
      if (typeof p === 'string') return { ok: false, reason: p };
      prepared.push(p);
    }
    const k = nParams(law);
    const m = prepared.reduce((a, c) => a + c.steps.length, 0);
    if (m < k + 1) return { ok: false, reason: `not enough points: ${m} < ${k + 1} (parameters + 1)` };
    let etaRef = 0;
    for (const c of prepared) for (const v of c.sched.eta) etaRef = Math.max(etaRef, v);
    if (!(etaRef > 0)) return { ok: false, reason: 'learning rate is zero everywhere' };
    // internal q ↔ natural p (identity for Tissue)
    const toNatural = (q: ArrayLike<number>): Float64Array => {
      const p = Float64Array.from(q as ArrayLike<number>);
      if (law === 'mpl') { p[3] = q[3] / etaRef; p[4] = q[4] * Math.pow(etaRef, q[6]); }
      return p;
    };
    const toInternal = (p: ArrayLike<number>): number[] => {
      const q = Array.from(p);
      if (law === 'mpl') { q[3] = p[3] * etaRef; q[4] = p[4] * Math.pow(etaRef, -p[6]); }
      return q;
    };
    const lnRef = Math.log(etaRef);
    const w = new Float64Array(m).fill(1);
    const bufs = prepared.map((c) => ({ out: new Float64Array(c.steps.length), J: new Float64Array(c.steps.length * k) }));
    const fn = (qv: Float64Array, r: Float64Array, J: Float64Array | null) => {
      const p = toNatural(qv);
      let row = 0;
      for (let ci = 0; ci < prepared.length; ci++) {
        const c = prepared[ci], b = bufs[ci];
        predictPrepared(law, p, c, b.out, J ? b.J : null);
        for (let i = 0; i < c.steps.length; i++, row++) {
          const yhat = b.out[i];
          if (!(yhat > 0) || !Number.isFinite(yhat)) {
            r[row] = 10;
            if (J) J.fill(0, row * k, row * k + k);
            continue;
          }
          const sw = Math.sqrt(w[row]);
          r[row] = sw * (Math.log(yhat) - Math.log(c.loss[i]));
          if (J) {
            const o = row * k, io = i * k;
            for (let j = 0; j < k; j++) J[o + j] = (sw * b.J[io + j]) / yhat;
            if (law === 'mpl') {
              // chain rule to the internal parameters (B', C', γ at fixed C')
              const dC = J[o + 4];
              J[o + 3] = J[o + 3] / etaRef;
              J[o + 4] = dC * Math.pow(etaRef, p[6]);
              J[o + 6] = J[o + 6] + dC * p[4] * lnRef;
            }
          }
        }
      }
    };
    const lower = law === 'mpl' ? MPL_LOWER : TISSUE_LOWER;
    const upper = law === 'mpl' ? MPL_UPPER : TISSUE_UPPER;
    let best: ReturnType<typeof levenbergMarquardt> | null = null;
    for (const s of [...(opts.starts ?? []).filter((q) => q.length === k && q.every(Number.isFinite)), ...startPoints(law, prepared)].map(toInternal)) {
      const res = levenbergMarquardt(fn, s, m, { lower, upper, maxIter: opts.maxIter ?? 150, ftol: 1e-8 });
      if (Number.isFinite(res.cost) && (!best || res.cost < best.cost)) best = res;
    }
    if (!best) return { ok: false, reason: 'fit failed from every starting point' };
    const delta = opts.huberDelta ?? 1e-3;
    if (delta > 0) {
      const r0 = new Float64Array(m);
      for (let round = 0; round < 3; round++) {
        w.fill(1);
        fn(best.p, r0, null);
        for (let i = 0; i < m; i++) { const a = Math.abs(r0[i]); w[i] = a <= delta ? 1 : delta / a; }
        const res = levenbergMarquardt(fn, best.p, m, { lower, upper, maxIter: Math.min(opts.maxIter ?? 200, 60), ftol: 1e-8 });
        if (!Number.isFinite(res.cost)) break;
        best = res;
      }
    }
    const warnings: string[] = [];
    if (!best.converged) warnings.push('optimiser hit the iteration limit');
    const names = law === 'mpl' ? MPL_PARAM_NAMES : TISSUE_PARAM_NAMES;
    for (let j = 0; j < k; j++) {
      const v = best.p[j];
      if ((Number.isFinite(lower[j]) && Math.abs(v - lower[j]) <= 1e-9 * Math.max(1, Math.abs(lower[j]))) || (Number.isFinite(upper[j]) && Math.abs(v - upper[j]) <= 1e-9 * Math.max(1, Math.abs(upper[j])))) {
        warnings.push(`${names[j]} is at its bound: the fitting curves do not identify it (predictions may still be fine)`);
      }
    }
    return {
      ok: true,
      law,
      paramNames: [...(law === 'mpl' ? MPL_PARAM_NAMES : TISSUE_PARAM_NAMES)],
      params: Array.from(toNatural(best.p)),
      latex: law === 'mpl' ? MPL_LATEX : TISSUE_LATEX,
      source: law === 'mpl' ? MPL_SOURCE : TISSUE_SOURCE,
      warmupSteps: o.warmupSteps,
      lambda: o.lambda,
      logRmse: rmsUnweighted(fn, best.p, m, w),
      nPoints: m,
      iterations: best.iterations,
      warnings,
    };
  } catch (e) {
    return { ok: false, reason: `internal error: ${(e as Error)?.message ?? String(e)}` };
  }
}

/**
 * Predicted loss at `curve.steps` for a schedule given only by its LR series (loss not needed).
 * Returns `{ ok: false }` on bad input; NaN entries for steps < 1.
 */
export function predictSchedule(fit: Pick<ScheduleFit, 'law' | 'params' | 'warmupSteps' | 'lambda'>, curve: ScheduleCurve): { ok: true; steps: number[]; loss: number[] } | { ok: false; reason: string } {
  try {
    const p = prepare(curve, fit.law, { warmupSteps: fit.warmupSteps, lambda: fit.lambda }, false);
    if (typeof p === 'string') return { ok: false, reason: p };
    const out = new Float64Array(p.steps.length);
    predictPrepared(fit.law, fit.params, p, out, null);
    return { ok: true, steps: Array.from(p.steps), loss: Array.from(out) };
  } catch (e) {
    return { ok: false, reason: `internal error: ${(e as Error)?.message ?? String(e)}` };
  }
}

function rmsUnweighted(fn: (q: Float64Array, r: Float64Array, J: Float64Array | null) => void, q: Float64Array, m: number, w: Float64Array): number {
  w.fill(1);
  const r = new Float64Array(m);
  fn(q, r, null);
  let s = 0;
  for (const v of r) s += v * v;
  return Math.sqrt(s / m);
}
