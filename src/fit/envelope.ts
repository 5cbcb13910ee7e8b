/**
 * Compute-optimal scaling from the loss envelope (Hoffmann et al. 2022, approach 1): for each compute budget C,
 * the model size whose loss is lowest at that compute, over all runs of all sizes; then least squares
 *   log N_opt = a·log C + c   and   D_opt = C / (6·N_opt)  (so log D_opt = (1 − a)·log C − c − log 6, b = 1 − a).
 *
 * Two kinds of input, both as sweep points (N, C or D, loss; `group` = run id):
 *  - training curves (≥ 2 points per run: checkpoints of one run at growing C): as Hoffmann et al., each run's
 *    loss is interpolated linearly in log C between its checkpoints, evaluated at `budgets` (default 250)
 *    log-spaced budgets over the observed range, and at each budget the run with the lowest loss among those
 *    whose curve covers it gives N_opt(C);
 *  - final points only (one point per run): the loss at a budget is only known at the run's own compute, so
 *    the envelope is the Pareto frontier of (C, loss): the points with a lower loss than every point of less
 *    compute ("best loss reachable with at most C").
 * Pure; never throws; bad input → `{ ok: false, reason }`.
 */
import type { SweepPointInput } from './types';

export interface EnvelopePoint {
  C: number;
  N: number;
  D: number;
  loss: number;
}

export interface EnvelopeResult {
  ok: true;
  /** N_opt ∝ C^a */
  a: number;
  /** D_opt ∝ C^b (= 1 − a with D = C/6N) */
  b: number;
  /** log N_opt = a·log C + intercept */
  intercept: number;
  method: 'curves' | 'pareto';
  /** the envelope points the exponent was fitted to */
  frontier: EnvelopePoint[];
  /** number of distinct model sizes on the envelope */
  sizes: number;
  warnings: string[];
}

interface Pt {
  N: number;
  C: number;
  loss: number;
  g: string;
}

function ls(x: number[], y: number[]): { slope: number; intercept: number } | null {
  const n = x.length;
  if (n < 2) return null;
  const mx = x.reduce((s, v) => s + v, 0) / n,
    my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0,
    sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (!(sxx > 0)) return null;
  return { slope: sxy / sxx, intercept: my - (sxy / sxx) * mx };
}

/** Loss envelope → compute-optimal exponents. `budgets`: number of log-spaced budgets for training curves. */
export function lossEnvelope(
  points: readonly SweepPointInput[],
  opts: { budgets?: number } = {},
): EnvelopeResult | { ok: false; reason: string } {
  try {
    const pts: Pt[] = [];
    let dropped = 0;
    for (const [i, p] of (Array.isArray(points) ? points : []).entries()) {
      const N = p?.Neff ?? p?.N;
      const C = p?.C ?? (N !== undefined && p?.D !== undefined ? 6 * N * p.D : undefined);
      if (!(N !== undefined && N > 0 && C !== undefined && C > 0 && p.loss > 0 && Number.isFinite(N + C + p.loss))) {
        dropped++;
        continue;
      }
      pts.push({ N, C, loss: p.loss, g: p.group !== undefined ? String(p.group) : `#${i}` });
    }
    const warnings: string[] = [];
    if (dropped) warnings.push(`dropped ${dropped} point(s) without positive N, compute (C or D) and loss`);
    if (pts.length < 3) return { ok: false, reason: `not enough points: ${pts.length} < 3` };
    const runs = new Map<string, Pt[]>();
    for (const p of pts) {
      const r = runs.get(p.g);
      if (r) r.push(p);
      else runs.set(p.g, [p]);
    }
    const curves = [...runs.values()].filter((r) => r.length >= 2);
    let frontier: EnvelopePoint[];
    let method: 'curves' | 'pareto';
    if (curves.length >= 2) {
      method = 'curves';
      if (curves.length < runs.size)
        warnings.push(
          `${runs.size - curves.length} run(s) with a single point ignored (the envelope uses training curves)`,
        );
      for (const r of curves) r.sort((u, v) => u.C - v.C);
      let cLo = Infinity,
        cHi = -Infinity;
      for (const r of curves) {
        cLo = Math.min(cLo, r[0].C);
        cHi = Math.max(cHi, r[r.length - 1].C);
      }
      const K = Math.max(10, Math.floor(opts.budgets ?? 250));
      frontier = [];
      for (let k = 0; k < K; k++) {
        const C = Math.exp(Math.log(cLo) + ((Math.log(cHi) - Math.log(cLo)) * k) / (K - 1));
        let best: { N: number; loss: number } | null = null,
          covering = 0;
        for (const r of curves) {
          if (C < r[0].C || C > r[r.length - 1].C) continue;
          let j = 1;
          while (j < r.length - 1 && r[j].C < C) j++;
          const t = (Math.log(C) - Math.log(r[j - 1].C)) / Math.max(Math.log(r[j].C) - Math.log(r[j - 1].C), 1e-300);
          const loss = r[j - 1].loss + Math.min(Math.max(t, 0), 1) * (r[j].loss - r[j - 1].loss);
          covering++;
          if (!best || loss < best.loss) best = { N: r[0].N, loss };
        }
        // a budget covered by one run says nothing about which size is optimal
        if (best && covering >= 2) frontier.push({ C, N: best.N, D: C / (6 * best.N), loss: best.loss });
      }
    } else {
      method = 'pareto';
      const sorted = [...pts].sort((u, v) => u.C - v.C);
      frontier = [];
      let bestLoss = Infinity;
      for (const p of sorted)
        if (p.loss < bestLoss) {
          bestLoss = p.loss;
          frontier.push({ C: p.C, N: p.N, D: p.C / (6 * p.N), loss: p.loss });
        }
    }
    const sizes = new Set(frontier.map((f) => f.N)).size;
    if (sizes < 2)
      return {
        ok: false,
        reason: `the loss envelope has ${sizes} model size(s): need runs of ≥ 2 sizes that are each best at some compute`,
      };
    if (sizes < 4) warnings.push(`only ${sizes} model sizes on the envelope: the exponent is coarse`);
    const fit = ls(
      frontier.map((f) => Math.log(f.C)),
      frontier.map((f) => Math.log(f.N)),
    );
    if (!fit) return { ok: false, reason: 'the envelope spans a single compute budget' };
    return { ok: true, a: fit.slope, b: 1 - fit.slope, intercept: fit.intercept, method, frontier, sizes, warnings };
  } catch (e) {
    return { ok: false, reason: `internal error: ${(e as Error)?.message ?? String(e)}` };
  }
}
