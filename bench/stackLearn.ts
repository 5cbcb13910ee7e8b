/**
 * Stacking of the curve laws (issue 12, item 1: "weights from held-out error (stacking)"): pure functions shared
 * by the generator (bench/stackWeights.ts) and its unit test (test/unit/fit/curve-stack.test.ts).
 *
 * A record is one dev forecast (a curve cut at 10/30/50 %): every law that could be backtested on the prefix,
 * with its backtest score (log-RMSE on the held-out tail, fitCurve step 4) and its forecast of the final loss
 * (ln, fitted on all points of the prefix). The rule simulated here is the one fitCurve applies: Occam's window
 * (laws within `window`× the best score), at most `k` members (best score first, the best law always first),
 * weights ∝ the per-law prior weight w[law] (a law with w = 0 takes no slot but the best one's); all weights 0:
 * equal weights. Equal prior weights reproduce today's equal-weight average.
 *
 * Learning: non-negative per-law weights on a coarse grid, by coordinate descent from equal weights, minimising
 * the family-weighted mean |ln(forecast / final)| (capped at 1, as bench/devCompare.ts scores; the mean over
 * families of each family's mean over its forecasts, both scenarios 'as-logged' and 'unknown' averaged) — the
 * stacked-regression criterion of Breiman 1996 ("Stacked regressions", non-negative combination weights) with
 * the error of the forecast task itself instead of squared in-sample error (Wolpert 1992; Yao, Vehtari, Simpson
 * & Gelman 2018 for the Bayesian version: weights chosen for predictive performance, not posterior
 * probability). A change of one weight is taken only when it lowers the objective by more than `minGain`: the
 * weights stay at equal unless the corpus says otherwise.
 */

import { fitCurve, predictCurve } from '../src/fit/curve/fitCurve';
import { curveLawById } from '../src/fit/curve/laws/index';
import { decimate } from '../src/fit/curve/decimate';
import type { Task } from '../test/unit/fit/curve-tasks';

export interface StackMember {
  law: string;
  /** backtest log-RMSE of the law on the prefix (finite) */
  score: number;
  /** ln of the law's forecast of the final loss (null: not positive/finite there, the forecast fails) */
  ln: number | null;
  /** BIC of the law's fit on the prefix (log residuals on the decimated points fitCurve fits), for BIC weights */
  bic?: number;
}

export interface StackRecord {
  id: string;
  family: string;
  cut: number;
  truth: number;
  /** horizon ÷ last x of the prefix */
  ratio: number;
  /** backtested members, best score first; empty: the forecast does not come from the backtest path */
  members: StackMember[];
  /** the forecast (as-logged) of the fitCurve default when `members` is empty (BIC path), null: failed */
  fixed: number | null;
}

export interface StackRule {
  weights: Record<string, number>;
  window: number;
  k: number;
}

export const ANNEAL_DROP_SIM = 0.03;

/** today's rule: equal weights over Occam's window (2× the best score), at most 5 members */
export function equalRule(laws: string[]): StackRule {
  return { weights: Object.fromEntries(laws.map((l) => [l, 1])), window: 2, k: 5 };
}

/**
 * The record of one task: fitCurve with every backtested law in the average (window ∞, no cap), each member's
 * forecast at the horizon. A fit without a backtest (BIC path) keeps the default fit's forecast (`fixed`).
 */
export function recordOf(t: Task): StackRecord {
  const base = { id: t.id, family: t.family, cut: t.cut, truth: t.truth };
  const f = fitCurve(t.x, t.y, { window: Infinity, ensemble: 99 });
  if (!f.ok) return { ...base, ratio: NaN, members: [], fixed: null };
  const ratio = t.at / f.xRange[1];
  if (!f.members.every((m) => Number.isFinite(m.holdoutLogRmse))) {
    const g = fitCurve(t.x, t.y);
    const v = g.ok ? predictCurve(g, [t.at], { scenario: 'as-logged' })[0].value : NaN;
    return { ...base, ratio, members: [], fixed: Number.isFinite(v) ? v : null };
  }
  const keep = t.x.map((_, i) => i).filter((i) => t.x[i] >= f.xRange[0] && t.y[i] > 0);
  const dec = decimate(
    Float64Array.from(keep, (i) => t.x[i]),
    Float64Array.from(keep, (i) => t.y[i]),
    {
      maxPoints: 160,
    },
  );
  return {
    ...base,
    ratio,
    fixed: null,
    members: f.members.map((m) => {
      const law = curveLawById(m.law);
      const v = law ? law.predict(m.params, t.at / f.xScale) : NaN;
      let ss = 0;
      for (let i = 0; i < dec.x.length; i++) {
        const p = law ? law.predict(m.params, dec.x[i] / f.xScale) : NaN;
        ss += p > 0 ? (Math.log(p) - Math.log(dec.y[i])) ** 2 : Infinity;
      }
      const n = dec.x.length;
      const bic = n * Math.log(Math.max(ss / n, 1e-300)) + m.params.length * Math.log(n);
      return {
        law: m.law,
        score: m.holdoutLogRmse,
        ln: v > 0 && Number.isFinite(v) ? Math.log(v) : null,
        ...(Number.isFinite(bic) ? { bic } : {}),
      };
    }),
  };
}

/** ln forecast (as-logged) of a record under a rule, or null when the forecast fails */
export function combine(r: StackRecord, rule: StackRule): number | null {
  if (!r.members.length) return r.fixed !== null && r.fixed > 0 ? Math.log(r.fixed) : null;
  const best = r.members[0];
  const w = (law: string) => rule.weights[law] ?? 0;
  const sel = [best];
  for (const m of r.members.slice(1)) {
    if (sel.length >= rule.k) break;
    if (m.score <= rule.window * best.score && w(m.law) > 0) sel.push(m);
  }
  if (sel.some((m) => m.ln === null)) return null;
  let ws = sel.map((m) => w(m.law));
  if (!(ws.reduce((a, b) => a + b, 0) > 0)) ws = sel.map(() => 1);
  const sum = ws.reduce((a, b) => a + b, 0);
  return sel.reduce((a, m, i) => a + (ws[i] * (m.ln as number)) / sum, 0);
}

/**
 * The other weighting of issue 12 item 1: BIC weights exp(−ΔBIC/2) (Burnham & Anderson 2002) over the same
 * window and cap as `combine` (no learning: nothing to cross-validate).
 */
export function combineBic(r: StackRecord, window = 2, k = 5): number | null {
  if (!r.members.length) return r.fixed !== null && r.fixed > 0 ? Math.log(r.fixed) : null;
  const best = r.members[0];
  const sel = [best];
  for (const m of r.members.slice(1)) {
    if (sel.length >= k) break;
    if (m.score <= window * best.score) sel.push(m);
  }
  if (sel.some((m) => m.ln === null)) return null;
  const b = sel.map((m) => m.bic ?? Infinity);
  const b0 = Math.min(...b);
  if (!Number.isFinite(b0)) return sel.reduce((a, m) => a + (m.ln as number) / sel.length, 0);
  const w = b.map((v) => Math.exp(-(v - b0) / 2));
  const sum = w.reduce((a, c) => a + c, 0);
  return sel.reduce((a, m, i) => a + (w[i] / sum) * (m.ln as number), 0);
}

/** |ln(forecast / truth)| capped at 1; a failed forecast counts 1; NaN when the truth is not positive */
export function logErr(ln: number | null, truth: number): number {
  if (!(truth > 0)) return NaN;
  if (ln === null || !Number.isFinite(ln)) return 1;
  return Math.min(Math.abs(ln - Math.log(truth)), 1);
}

/** ln of the 'unknown' scenario's forecast from the as-logged one (fitCurve.predictCurve: 3 % anneal, mixed 50/50) */
export function unknownLn(ln: number | null, ratio: number): number | null {
  if (ln === null) return null;
  const d = ratio > 1 ? ANNEAL_DROP_SIM * Math.min(1, Math.log(ratio) / Math.LN2) : 0;
  return ln + 0.5 * Math.log(1 - d);
}

/** family-weighted mean error of a rule over records (both scenarios averaged) */
export function objective(recs: StackRecord[], rule: StackRule, cap = 1): number {
  return familyObjective(recs, (r) => combine(r, rule), cap);
}

/**
 * family-weighted mean of the capped |ln error| of any forecast of the final log loss (null: no forecast), its
 * `as-logged` and `unknown` scenarios averaged
 */
export function familyObjective(recs: StackRecord[], f: (r: StackRecord) => number | null, cap = 1): number {
  const byFam = new Map<string, { s: number; n: number }>();
  for (const r of recs) {
    if (!(r.truth > 0)) continue;
    const a = f(r);
    const e = 0.5 * (Math.min(logErr(a, r.truth), cap) + Math.min(logErr(unknownLn(a, r.ratio), r.truth), cap));
    const q = byFam.get(r.family) ?? { s: 0, n: 0 };
    q.s += e;
    q.n++;
    byFam.set(r.family, q);
  }
  let s = 0;
  for (const q of byFam.values()) s += q.s / q.n;
  return byFam.size ? s / byFam.size : NaN;
}

/** grid of relative prior weights a law may take */
export const WEIGHT_GRID = [0, 0.25, 0.5, 1, 2, 4];

/**
 * Per-law weights by coordinate descent over WEIGHT_GRID from equal weights (1), `passes` sweeps over the laws
 * in a fixed order; a move is taken only when it lowers the objective by more than minGain. Deterministic.
 */
export function learnWeights(
  recs: StackRecord[],
  laws: string[],
  opts: { window?: number; k?: number; passes?: number; minGain?: number; cap?: number } = {},
): StackRule {
  const rule: StackRule = {
    weights: Object.fromEntries(laws.map((l) => [l, 1])),
    window: opts.window ?? 2,
    k: opts.k ?? 5,
  };
  const minGain = opts.minGain ?? 1e-4;
  let cur = objective(recs, rule, opts.cap ?? 1);
  for (let pass = 0; pass < (opts.passes ?? 4); pass++) {
    let moved = false;
    for (const l of laws) {
      const keep = rule.weights[l];
      let bestV = keep,
        bestObj = cur;
      for (const v of WEIGHT_GRID) {
        if (v === keep) continue;
        rule.weights[l] = v;
        const o = objective(recs, rule, opts.cap ?? 1);
        if (o < bestObj - minGain) {
          bestObj = o;
          bestV = v;
        }
      }
      rule.weights[l] = bestV;
      if (bestV !== keep) {
        moved = true;
        cur = bestObj;
      }
    }
    if (!moved) break;
  }
  return rule;
}

/** normalise to sum 1 over the laws (the stored form: a point on the simplex) */
export function normalise(w: Record<string, number>): Record<string, number> {
  const s = Object.values(w).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, s > 0 ? Number((v / s).toFixed(4)) : 0]));
}

/**
 * Leave-one-family-out: for each family, the rule learned on the other families' records, applied to its own;
 * returns every record's out-of-family forecast (ln, as-logged).
 */
export function lofoForecasts(
  recs: StackRecord[],
  laws: string[],
  opts: { window?: number; k?: number; passes?: number; minGain?: number; cap?: number } = {},
): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const fam of [...new Set(recs.map((r) => r.family))]) {
    const rule = learnWeights(
      recs.filter((r) => r.family !== fam),
      laws,
      opts,
    );
    for (const r of recs.filter((q) => q.family === fam)) out.set(r.id, combine(r, rule));
  }
  return out;
}
